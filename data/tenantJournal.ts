import { open, readFile, rmdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { JournalEntry } from '../services/ledger/journal.js';
import { DamagedDataError, OLD_FORMAT, RESTORE_FROM_BACKUP } from './damagedData.js';
import type { DurableBatch } from './durableBatch.js';
import { listFolder, syncFolder } from './durableJsonFile.js';
import { describeSealProblem, unseal } from './sealedLine.js';
import { SealedLines } from './sealedLines.js';
import { isUsageKeyFileName } from './usageKeyFile.js';

export const ENTRIES_PER_SEGMENT = 10_000;
/**
 * Filed entries kept in memory as well, once the journal's end was read: the balance card's recent
 * transactions read no file. A tenant whose journal is only written (usage through the operator
 * API) keeps none: for 1,000 such tenants they were 14 MB of JSON text.
 */
const RECENT_KEPT = 32;

/** Entries just added to a journal's tail: lines `from` up to `to` of `lines`. */
export interface UnfiledEntries {
  lines: SealedLines;
  from: number;
  to: number;
}

/** Where a tenant's journal files end: the last segment and its length in bytes. */
export interface JournalEnd {
  segment: number;
  bytes: number;
}

export const EMPTY_JOURNAL: JournalEnd = { segment: 0, bytes: 0 };

/** Entry n (counted from 1) lives in segment floor((n - 1) / 10,000). */
function segmentOf(entryNo: number): number {
  return Math.floor((entryNo - 1) / ENTRIES_PER_SEGMENT);
}

/**
 * One tenant's journal: entries 1..filed in segment files of one sealed JSON line per entry (see
 * sealedLine.ts; each line is checked, and must be the entry its position says, whenever it is
 * read), and the entries after them in memory (the tail), until a checkpoint files them.
 */
export class TenantJournal {
  /** Entries not yet filed, as the sealed lines a checkpoint writes. */
  private readonly tail = new SealedLines();
  /** The last filed entries, as JSON text: entries filed - recent.length + 1 … filed. */
  private recent: string[] = [];
  private folderExists: boolean;

  constructor(
    readonly folder: string,
    private readonly tenantId: string,
    private filed: number,
    private end: JournalEnd,
  ) {
    this.folderExists = filed > 0;
  }

  /** Whether some entries are only in memory (and the WAL), not yet in the journal files. */
  get hasUnfiledEntries(): boolean {
    return this.tail.count > 0;
  }

  /** How many entries are only in memory (and the WAL). */
  get unfiledCount(): number {
    return this.tail.count;
  }

  /**
   * Adds the next entries to the tail; returns where they are in it, so the WAL's line copies their
   * JSON from there (valid until the next change or checkpoint).
   */
  add(entries: readonly JournalEntry[]): UnfiledEntries {
    const from = this.tail.count;
    for (const entry of entries) this.tail.add(JSON.stringify(entry));
    return { lines: this.tail, from, to: this.tail.count };
  }

  /**
   * Writes the tail up to entry `upTo` to the segment files as part of `batch`, and returns where
   * the files end once it is durable; `markFiled` then drops those entries from memory. Bytes a
   * failed earlier attempt left after the known end are cut first.
   */
  async stageUpTo(upTo: number, batch: DurableBatch): Promise<JournalEnd> {
    if (upTo <= this.filed) return this.end;
    if (!this.folderExists) {
      await batch.makeFolder(this.folder);
      this.folderExists = true;
    }
    let end = this.end;
    for (let first = this.filed + 1; first <= upTo; ) {
      const segment = segmentOf(first);
      const last = Math.min(upTo, (segment + 1) * ENTRIES_PER_SEGMENT);
      // The tail's own bytes: markFiled, after the batch, is the first to move them.
      const bytes = this.tail.linesBetween(first - this.filed - 1, last - this.filed);
      const from = segment === end.segment ? end.bytes : 0;
      await batch.writeAt(this.segmentFile(segment), from, bytes);
      end = { segment, bytes: from + bytes.length };
      first = last + 1;
    }
    return end;
  }

  /** Once the batch `stageUpTo` wrote into is durable: entries up to `upTo` are filed, and the files end at `end`. */
  markFiled(upTo: number, end: JournalEnd): void {
    const count = upTo - this.filed;
    if (count <= 0) return;
    if (this.recent.length > 0) {
      const newlyFiled: string[] = [];
      for (let i = Math.max(0, count - RECENT_KEPT); i < count; i++) newlyFiled.push(this.tail.json(i));
      this.recent = [...this.recent, ...newlyFiled].slice(-RECENT_KEPT);
    }
    this.tail.dropFirst(count);
    this.filed = upTo;
    this.end = end;
  }

  /** Entries numbered above `afterEntryNo`, oldest first, at most `limit`: reads one segment per 10,000. */
  async read(afterEntryNo: number, limit: number): Promise<JournalEntry[]> {
    // Taken together before any await, the tail's entries included: a checkpoint filing the tail
    // meanwhile moves its bytes, and a change appends to it.
    const { filed, end, recent } = this;
    const recentFrom = filed - recent.length + 1;
    const entries: JournalEntry[] = [];
    let next = Math.max(1, Math.floor(afterEntryNo) + 1);
    const fromFiles = Math.max(0, Math.min(limit, filed - next + 1));
    const fromTail: JournalEntry[] = [];
    for (let i = Math.max(0, next - filed - 1); fromTail.length < limit - fromFiles && i < this.tail.count; i++) {
      fromTail.push(JSON.parse(this.tail.json(i)) as JournalEntry);
    }
    while (entries.length < limit && next <= filed) {
      if (next >= recentFrom) {
        entries.push(JSON.parse(recent[next - recentFrom]!) as JournalEntry);
        next++;
        continue;
      }
      const segment = segmentOf(next);
      const file = this.segmentFile(segment);
      const last = Math.min(filed, (segment + 1) * ENTRIES_PER_SEGMENT, next + (limit - entries.length) - 1);
      if (last === filed && segment === end.segment) {
        // The latest filed entries (the balance card's recent ones): read them from the end of the
        // file instead of the whole segment, which holds up to 10,000 entries.
        const lines = await readLastLines(file, end.bytes, last - next + 1);
        const texts = lines.map((line, i) => this.openLine(file, next + i, line).json);
        // The recent lines are kept from their first read on (after a restart too); nothing was filed meanwhile.
        if (this.recent.length === 0 && this.filed === filed) this.recent = texts.slice(-RECENT_KEPT);
        for (const text of texts) entries.push(JSON.parse(text) as JournalEntry);
        next = last + 1;
        continue;
      }
      const lines = (await readFile(file, 'utf8')).split('\n');
      for (; next <= last; next++) entries.push(this.openLine(file, next, lines[(next - 1) % ENTRIES_PER_SEGMENT]).entry);
    }
    for (const entry of fromTail) entries.push(entry);
    return entries;
  }

  /** Checks entry `entryNo`'s line of `file`: its seal, and that it holds that entry of this tenant. */
  private openLine(file: string, entryNo: number, line: string | undefined): { entry: JournalEntry; json: string } {
    const lineNo = ((entryNo - 1) % ENTRIES_PER_SEGMENT) + 1;
    const opened = unseal(line ?? '');
    if (!opened.ok) {
      throw new DamagedDataError(
        file,
        `line ${lineNo} ${describeSealProblem(opened.problem)}`,
        opened.problem === 'old-format' ? OLD_FORMAT : RESTORE_FROM_BACKUP,
      );
    }
    const entry = opened.value as Partial<JournalEntry> | null;
    if (entry?.id !== String(entryNo) || entry.tenantId !== this.tenantId) {
      throw new DamagedDataError(
        file,
        `line ${lineNo} holds entry ${String(entry?.id)} of tenant ${String(entry?.tenantId)} where entry ${entryNo} of tenant ${this.tenantId} belongs`,
        RESTORE_FROM_BACKUP,
      );
    }
    return { entry: entry as JournalEntry, json: line!.slice(9) };
  }

  segmentFile(segment: number): string {
    return path.join(this.folder, `${segment}.jsonl`);
  }
}

/**
 * The last `count` lines of the first `endBytes` bytes of `file` (bytes past `endBytes` may be a
 * checkpoint's append in progress). Reads backwards in growing chunks; a chunk's first line may be
 * cut (even mid-character) and is dropped unless the chunk starts the file. "\n" never occurs
 * inside a multi-byte UTF-8 character, so every other line is whole.
 */
async function readLastLines(file: string, endBytes: number, count: number): Promise<string[]> {
  const handle = await open(file, 'r');
  try {
    for (let size = Math.min(endBytes, Math.max(16_384, count * 1_024)); ; size = Math.min(endBytes, size * 4)) {
      const start = endBytes - size;
      const buffer = Buffer.allocUnsafe(size);
      for (let got = 0; got < size; ) {
        const { bytesRead } = await handle.read(buffer, got, size - got, start + got);
        if (bytesRead === 0) throw new DamagedDataError(file, `is shorter than the ${endBytes} bytes its account document counts`, RESTORE_FROM_BACKUP);
        got += bytesRead;
      }
      const lines = buffer.toString('utf8').split('\n');
      lines.pop(); // the text ends with a newline
      if (start > 0) lines.shift();
      if (lines.length >= count) return lines.slice(-count);
      if (start === 0) throw new DamagedDataError(file, `holds ${lines.length} entries where at least ${count} were counted`, RESTORE_FROM_BACKUP);
    }
  } finally {
    await handle.close();
  }
}

/**
 * Checks a tenant's journal files against its account document, which counts `entryCount` entries
 * ending at `end`; changes nothing. Every segment up to `end` must be there, the last one at least
 * `end.bytes` long, and the line just before `end` must be the document's last entry (every line
 * is checked when it is read; reading all of them here would make start-up grow with history).
 * Returns the repair: a crash during a checkpoint may have filed entries whose account document was
 * never written; they are still in the WAL and come back from there, so they are cut.
 */
export async function checkJournal(folder: string, tenantId: string, end: JournalEnd, entryCount: number): Promise<() => Promise<void>> {
  const segments = await listSegments(folder);
  if (entryCount > 0) {
    for (let segment = 0; segment <= end.segment; segment++) {
      if (!segments.includes(segment)) {
        throw new DamagedDataError(
          path.join(folder, `${segment}.jsonl`),
          `is missing; the account document counts ${entryCount} journal entries`,
          RESTORE_FROM_BACKUP,
        );
      }
    }
    const journal = new TenantJournal(folder, tenantId, entryCount, end);
    const file = journal.segmentFile(end.segment);
    const { size } = await stat(file);
    if (size < end.bytes) throw new DamagedDataError(file, `has ${size} bytes, fewer than the ${end.bytes} its account document counts`, RESTORE_FROM_BACKUP);
    await journal.read(entryCount - 1, 1);
  }
  return () => cutJournal(folder, segments, entryCount > 0 ? end : null);
}

async function cutJournal(folder: string, segments: number[], end: JournalEnd | null): Promise<void> {
  for (const segment of segments) {
    const file = path.join(folder, `${segment}.jsonl`);
    if (end === null || segment > end.segment) {
      await unlink(file);
    } else if (segment === end.segment) {
      const handle = await open(file, 'r+');
      try {
        if ((await handle.stat()).size > end.bytes) {
          await handle.truncate(end.bytes);
          await handle.sync();
        }
      } finally {
        await handle.close();
      }
    }
  }
}

/** Whether a folder under journal/ holds any file the store writes (journal segments or usage keys). */
export async function holdsLedgerFiles(folder: string): Promise<boolean> {
  return (await listFolder(folder)).some((name) => SEGMENT_PATTERN.test(name) || isUsageKeyFileName(name));
}

/**
 * Empties the journal folder of a tenant that has no account document yet, whose every entry the
 * WAL holds (a crash during its first checkpoint): only the store's own files are deleted.
 */
export async function resetJournal(folder: string): Promise<void> {
  const names = await listFolder(folder);
  for (const name of names) {
    if (SEGMENT_PATTERN.test(name) || isUsageKeyFileName(name)) await unlink(path.join(folder, name));
  }
  if ((await listFolder(folder)).length === 0) await rmdir(folder);
  await syncFolder(path.dirname(folder));
}

const SEGMENT_PATTERN = /^(\d+)\.jsonl$/;

async function listSegments(folder: string): Promise<number[]> {
  return (await listFolder(folder))
    .map((name) => SEGMENT_PATTERN.exec(name)?.[1])
    .filter((digits): digits is string => digits !== undefined)
    .map(Number);
}
