import { mkdir, open, readdir, readFile, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { JournalEntry } from '../services/ledger/journal.js';
import { isMissing, syncFolder } from './durableJsonFile.js';

export const ENTRIES_PER_SEGMENT = 10_000;
/** Filed entries kept in memory as well: the balance card's recent transactions read no file. */
const RECENT_KEPT = 32;

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
 * One tenant's journal: entries 1..filed in segment files of one JSON line per entry, and the
 * entries after them in memory (the tail), until a checkpoint files them.
 */
export class TenantJournal {
  private tail: string[] = [];
  /** The last filed lines: entries filed - recent.length + 1 … filed. */
  private recent: string[] = [];
  private folderExists: boolean;

  constructor(
    readonly folder: string,
    private filed: number,
    private end: JournalEnd,
  ) {
    this.folderExists = filed > 0;
  }

  /** Whether some entries are only in memory (and the WAL), not yet in the journal files. */
  get hasUnfiledEntries(): boolean {
    return this.tail.length > 0;
  }

  /** Adds the next entries, each already serialised as one JSON line. */
  add(entryLines: readonly string[]): void {
    for (const line of entryLines) this.tail.push(line);
  }

  /**
   * Appends the tail up to entry `upTo` to the segment files, durably, and returns where the files
   * now end. A failed earlier attempt may have left bytes after the known end: they are cut first.
   */
  async fileUpTo(upTo: number): Promise<JournalEnd> {
    const count = upTo - this.filed;
    if (count <= 0) return this.end;
    if (!this.folderExists) {
      await mkdir(this.folder, { recursive: true });
      await syncFolder(path.dirname(this.folder));
      this.folderExists = true;
    }
    let end = this.end;
    let created = false;
    for (let first = this.filed + 1; first <= upTo; ) {
      const segment = segmentOf(first);
      const last = Math.min(upTo, (segment + 1) * ENTRIES_PER_SEGMENT);
      const text = `${this.tail.slice(first - this.filed - 1, last - this.filed).join('\n')}\n`;
      const continuing = segment === end.segment && end.bytes > 0;
      const bytes = await appendSegment(this.segmentFile(segment), continuing ? end.bytes : 0, text);
      created ||= !continuing;
      end = { segment, bytes };
      first = last + 1;
    }
    if (created) await syncFolder(this.folder);
    this.recent = [...this.recent, ...this.tail.slice(0, count)].slice(-RECENT_KEPT);
    this.tail = this.tail.slice(count);
    this.filed = upTo;
    this.end = end;
    return end;
  }

  /** Entries numbered above `afterEntryNo`, oldest first, at most `limit`: reads one segment per 10,000. */
  async read(afterEntryNo: number, limit: number): Promise<JournalEntry[]> {
    // Taken together before any await: a checkpoint filing the tail meanwhile makes a new array.
    const { filed, tail, end, recent } = this;
    const recentFrom = filed - recent.length + 1;
    const entries: JournalEntry[] = [];
    let next = Math.max(1, Math.floor(afterEntryNo) + 1);
    while (entries.length < limit && next <= filed) {
      if (next >= recentFrom) {
        entries.push(JSON.parse(recent[next - recentFrom]!) as JournalEntry);
        next++;
        continue;
      }
      const segment = segmentOf(next);
      const last = Math.min(filed, (segment + 1) * ENTRIES_PER_SEGMENT, next + (limit - entries.length) - 1);
      if (last === filed && segment === end.segment) {
        // The latest filed entries (the balance card's recent ones): read them from the end of the
        // file instead of the whole segment, which holds up to 10,000 entries.
        const lines = await readLastLines(this.segmentFile(segment), end.bytes, last - next + 1);
        // After a restart the recent lines are known only once read; nothing was filed meanwhile.
        if (this.recent.length === 0 && this.filed === filed) this.recent = lines.slice(-RECENT_KEPT);
        for (const line of lines) entries.push(JSON.parse(line) as JournalEntry);
        next = last + 1;
        continue;
      }
      const lines = (await readFile(this.segmentFile(segment), 'utf8')).split('\n');
      for (; next <= last; next++) entries.push(JSON.parse(lines[(next - 1) % ENTRIES_PER_SEGMENT]!) as JournalEntry);
    }
    for (let i = next - filed - 1; entries.length < limit && i < tail.length; i++) {
      entries.push(JSON.parse(tail[i]!) as JournalEntry);
    }
    return entries;
  }

  private segmentFile(segment: number): string {
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
        if (bytesRead === 0) throw new Error(`The journal file ${file} is shorter than the ${endBytes} bytes its account document counts.`);
        got += bytesRead;
      }
      const lines = buffer.toString('utf8').split('\n');
      lines.pop(); // the text ends with a newline
      if (start > 0) lines.shift();
      if (lines.length >= count) return lines.slice(-count);
      if (start === 0) throw new Error(`The journal file ${file} holds ${lines.length} entries where at least ${count} were counted.`);
    }
  } finally {
    await handle.close();
  }
}

async function appendSegment(file: string, keepBytes: number, text: string): Promise<number> {
  const handle = await open(file, keepBytes > 0 ? 'r+' : 'w');
  try {
    await handle.truncate(keepBytes);
    const buffer = Buffer.from(text, 'utf8');
    for (let offset = 0; offset < buffer.length; ) {
      offset += (await handle.write(buffer, offset, buffer.length - offset, keepBytes + offset)).bytesWritten;
    }
    await handle.datasync();
    return keepBytes + buffer.length;
  } finally {
    await handle.close();
  }
}

/**
 * Cuts a tenant's journal files back to where its account document says they end: a crash during
 * a checkpoint may have filed entries whose account document was never written. They are still in
 * the WAL and come back from there.
 */
export async function reconcileJournal(folder: string, end: JournalEnd): Promise<void> {
  for (const segment of await listSegments(folder)) {
    const file = path.join(folder, `${segment}.jsonl`);
    if (segment > end.segment || end.bytes === 0) {
      await unlink(file);
    } else if (segment === end.segment) {
      const handle = await open(file, 'r+');
      try {
        const { size } = await handle.stat();
        if (size < end.bytes) throw new Error(`The journal file ${file} has ${size} bytes, fewer than the ${end.bytes} its account document counts.`);
        if (size > end.bytes) {
          await handle.truncate(end.bytes);
          await handle.sync();
        }
      } finally {
        await handle.close();
      }
    }
  }
}

/** Removes the journal of a tenant that has no account document yet: all its entries are in the WAL. */
export async function removeJournal(folder: string): Promise<void> {
  await rm(folder, { recursive: true, force: true });
}

async function listSegments(folder: string): Promise<number[]> {
  try {
    const names = await readdir(folder);
    return names
      .map((name) => /^(\d+)\.jsonl$/.exec(name)?.[1])
      .filter((digits): digits is string => digits !== undefined)
      .map(Number);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}
