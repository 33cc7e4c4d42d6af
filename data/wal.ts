import { open, readdir, readFile, unlink } from 'node:fs/promises';
import type { Alert } from '../services/alerts.js';
import type { JournalEntry } from '../services/ledger/journal.js';
import type { DataLayout } from './dataLayout.js';

/** One change of one tenant: its entries and the alerts it raised, atomic because it is one line. */
export interface WalTransaction {
  seq: number;
  tenantId: string;
  entries: JournalEntry[];
  alerts: Alert[];
}

export interface WalAcknowledgement {
  seq: number;
  /** The id of the acknowledged alert. */
  ack: string;
}

export type WalRecord = WalTransaction | WalAcknowledgement;

export function isAcknowledgement(record: WalRecord): record is WalAcknowledgement {
  return 'ack' in record;
}

/** A transaction's line, built around entries already serialised once for the journal. */
export function transactionLine(seq: number, tenantId: string, entryLines: readonly string[], alerts: readonly Alert[]): string {
  return `{"seq":${seq},"tenantId":${JSON.stringify(tenantId)},"entries":[${entryLines.join(',')}],"alerts":${JSON.stringify(alerts)}}\n`;
}

export function acknowledgementLine(seq: number, alertId: string): string {
  return `${JSON.stringify({ seq, ack: alertId } satisfies WalAcknowledgement)}\n`;
}

/** The WAL's segment numbers, oldest first. */
export async function listWalSegments(layout: DataLayout): Promise<number[]> {
  const names = await readdir(layout.walFolder);
  return names
    .map((name) => /^(\d+)\.log$/.exec(name)?.[1])
    .filter((digits): digits is string => digits !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

export async function deleteWalSegmentsBefore(layout: DataLayout, segment: number): Promise<void> {
  for (const old of await listWalSegments(layout)) {
    if (old < segment) await unlink(layout.walSegmentFile(old));
  }
}

export interface SegmentContent {
  records: WalRecord[];
  /** Whether an incomplete or unreadable last line was cut off. */
  tornTailDropped: boolean;
}

/**
 * Reads a WAL segment. Only the segment being appended to when the process died can end in a torn
 * write, and that write was never acknowledged: in the last segment, a last line that is
 * incomplete or unreadable is cut off (and the cut made durable before anything is appended after
 * it). Anything else unreadable is damage, reported rather than skipped.
 */
export async function readWalSegment(file: string, isLastSegment: boolean): Promise<SegmentContent> {
  const text = await readFile(file, 'utf8');
  const records: WalRecord[] = [];
  let start = 0;
  let tornAt: number | null = null;
  while (start < text.length) {
    const end = text.indexOf('\n', start);
    const record = end === -1 ? undefined : parseRecord(text.slice(start, end));
    if (record) {
      records.push(record);
      start = end + 1;
      continue;
    }
    const isLastLine = end === -1 || end === text.length - 1;
    if (!isLastSegment || !isLastLine) {
      const line = text.slice(0, start).split('\n').length;
      throw new Error(`The write-ahead log ${file} is damaged at line ${line}; refusing to guess what it held.`);
    }
    tornAt = start;
    break;
  }
  if (tornAt !== null) await truncateDurably(file, Buffer.byteLength(text.slice(0, tornAt), 'utf8'));
  return { records, tornTailDropped: tornAt !== null };
}

function parseRecord(line: string): WalRecord | undefined {
  try {
    const record = JSON.parse(line) as Partial<WalTransaction & WalAcknowledgement> | null;
    if (typeof record?.seq !== 'number') return undefined;
    if (typeof record.ack === 'string') return record as WalAcknowledgement;
    const isTransaction = typeof record.tenantId === 'string' && Array.isArray(record.entries) && Array.isArray(record.alerts);
    return isTransaction ? (record as WalTransaction) : undefined;
  } catch {
    return undefined;
  }
}

async function truncateDurably(file: string, length: number): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.truncate(length);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
