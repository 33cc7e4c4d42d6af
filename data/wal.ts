import { open, readFile, unlink } from 'node:fs/promises';
import type { Alert } from '../services/alerts.js';
import type { JournalEntry } from '../services/ledger/journal.js';
import { DamagedDataError, OLD_FORMAT, RESTORE_FROM_BACKUP } from './damagedData.js';
import type { DataLayout } from './dataLayout.js';
import { listFolder } from './durableJsonFile.js';
import type { EncodedLine } from './groupCommitWriter.js';
import { describeSealProblem, seal, sealedLineBytes, sealInPlace, unseal } from './sealedLine.js';
import type { UnfiledEntries } from './tenantJournal.js';

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

/**
 * A transaction's line, written straight into the WAL writer's buffer around the entries' JSON,
 * copied from the journal tail they were just sealed into (no string of the line is built). Every
 * WAL line is sealed (see sealedLine.ts) and its `seq` is the one before plus one, across
 * segments, so recovery finds an edited line and a missing line or segment.
 */
export function transactionLine(seq: number, tenantId: string, entries: UnfiledEntries | null, alerts: readonly Alert[]): EncodedLine {
  const head = `{"seq":${seq},"tenantId":${JSON.stringify(tenantId)},"entries":[`;
  const foot = `],"alerts":${JSON.stringify(alerts)}}`;
  const entryBytes = entries ? entries.lines.jsonListBytes(entries.from, entries.to) : 0;
  return {
    bytes: sealedLineBytes(head) + entryBytes + Buffer.byteLength(foot, 'utf8'),
    writeTo(buffer, offset) {
      const jsonStart = offset + 9;
      let at = jsonStart + buffer.write(head, jsonStart, 'utf8');
      if (entries) at = entries.lines.copyJsonList(entries.from, entries.to, buffer, at);
      at += buffer.write(foot, at, 'utf8');
      return sealInPlace(buffer, offset, at);
    },
  };
}

export function acknowledgementLine(seq: number, alertId: string): string {
  return `${seal(JSON.stringify({ seq, ack: alertId } satisfies WalAcknowledgement))}\n`;
}

/** The WAL's segment numbers, oldest first. Other files in the folder are not the store's and are left alone. */
export async function listWalSegments(layout: DataLayout): Promise<number[]> {
  const names = await listFolder(layout.walFolder);
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

/** A record and the line of its segment it was read from (counted from 1), for messages. */
export interface WalLine {
  record: WalRecord;
  line: number;
}

export interface SegmentContent {
  lines: WalLine[];
  /** Where a torn last line starts, in bytes: the segment is to be cut there. Null when it ends cleanly. */
  tornAt: number | null;
}

/**
 * Reads a WAL segment and checks every line's seal; changes nothing. Only the segment being
 * appended to when the process died can end in a torn write, and that write was never
 * acknowledged: in the last segment, a last line that is incomplete or garbled is reported as torn
 * (the caller cuts it, durably, before anything is appended after it). A line that is well formed
 * but fails its checksum was edited, wherever it is; that, and anything else unreadable, is damage.
 */
export async function readWalSegment(file: string, isLastSegment: boolean): Promise<SegmentContent> {
  const text = await readFile(file, 'utf8');
  const lines: WalLine[] = [];
  let start = 0;
  for (let line = 1; start < text.length; line++) {
    const end = text.indexOf('\n', start);
    const isLastLine = end === -1 || end === text.length - 1;
    const opened = unseal(text.slice(start, end === -1 ? text.length : end));
    const record = opened.ok ? asRecord(opened.value) : undefined;
    if (record && end !== -1) {
      lines.push({ record, line });
      start = end + 1;
      continue;
    }
    const problem = opened.ok ? null : opened.problem;
    if (isLastSegment && isLastLine && (end === -1 || problem === 'garbled')) {
      return { lines, tornAt: Buffer.byteLength(text.slice(0, start), 'utf8') };
    }
    const described = problem ? describeSealProblem(problem) : end === -1 ? 'is not complete' : 'holds no WAL record';
    throw new DamagedDataError(file, `line ${line} ${described}`, problem === 'old-format' ? OLD_FORMAT : RESTORE_FROM_BACKUP);
  }
  return { lines, tornAt: null };
}

/** Cuts a torn last line off a segment, durably. */
export async function cutTornTail(file: string, length: number): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.truncate(length);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function asRecord(value: unknown): WalRecord | undefined {
  const record = value as Partial<WalTransaction & WalAcknowledgement> | null;
  if (!Number.isSafeInteger(record?.seq) || record!.seq! < 1) return undefined;
  if (typeof record!.ack === 'string') return record as WalAcknowledgement;
  const isTransaction = typeof record!.tenantId === 'string' && Array.isArray(record!.entries) && Array.isArray(record!.alerts);
  return isTransaction ? (record as WalTransaction) : undefined;
}
