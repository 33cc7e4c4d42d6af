import type { JournalEntry } from './ledger/journal.js';
import type { LatestEntriesQuery } from './ports.js';

/** Where the journal is read from: the ledger service (or anything that pages entries as it does). */
export interface JournalSource {
  ledger: { journal(tenantId: string, afterEntryNo: number, limit: number): Promise<JournalEntry[]> };
}

/** Entries read per journal request while scanning, unless the scan asks for more. */
const WINDOW = 200;

/** What to do with an entry met while scanning: keep it, pass over it, or end the scan before it. */
export type Take = 'keep' | 'skip' | 'stop';

/**
 * Reads the journal backwards from the entry numbered below `before`, a window at a time, asking
 * `take` about each entry, until it says stop, the first entry is reached, or `maxRead` entries
 * were read (a million calls never make one card read a million entries). `entries` are the kept
 * ones, newest first; the scan covered the entries numbered `lowest` to `before - 1`.
 */
export async function scanBack(
  deps: JournalSource,
  tenantId: string,
  options: { before: number; maxRead: number; take: (entry: JournalEntry) => Take; window?: number },
): Promise<{ entries: JournalEntry[]; lowest: number }> {
  const size = options.window ?? WINDOW;
  const entries: JournalEntry[] = [];
  const floor = Math.max(1, options.before - options.maxRead);
  let lowest = Math.max(1, options.before);
  while (lowest > floor) {
    const from = Math.max(floor, lowest - size);
    const window = await deps.ledger.journal(tenantId, from - 1, lowest - from);
    for (let i = window.length - 1; i >= 0; i--) {
      const entry = window[i]!;
      const verdict = options.take(entry);
      if (verdict === 'stop') return { entries, lowest };
      if (verdict === 'keep') entries.push(entry);
      lowest = Number(entry.id);
    }
    lowest = Math.min(lowest, from);
  }
  return { entries, lowest };
}

/** As `scanBack`, forwards from the entry numbered above `after`: kept entries oldest first, covering `after + 1` to `highest`. */
export async function scanForward(
  deps: JournalSource,
  tenantId: string,
  options: { after: number; last: number; maxRead: number; take: (entry: JournalEntry) => Take },
): Promise<{ entries: JournalEntry[]; highest: number }> {
  const entries: JournalEntry[] = [];
  const ceiling = Math.min(options.last, options.after + options.maxRead);
  let highest = Math.max(0, options.after);
  while (highest < ceiling) {
    const window = await deps.ledger.journal(tenantId, highest, Math.min(WINDOW, ceiling - highest));
    if (window.length === 0) break;
    for (const entry of window) {
      const verdict = options.take(entry);
      if (verdict === 'stop') return { entries, highest };
      if (verdict === 'keep') entries.push(entry);
      highest = Number(entry.id);
    }
  }
  return { entries, highest };
}

/**
 * `LedgerStore.latestEntries` by scanning the journal back from `query.before`, for a store that
 * reads its journal from memory or its own files, where passing over the other kinds costs no round trip.
 */
export async function latestOfKinds(source: JournalSource, tenantId: string, query: LatestEntriesQuery): Promise<JournalEntry[]> {
  const kinds = new Set(query.kinds);
  const limit = Math.floor(query.limit);
  let kept = 0;
  const scan = await scanBack(source, tenantId, {
    before: query.before,
    maxRead: query.before - Math.max(1, query.from),
    take: (entry) => (!kinds.has(entry.kind) ? 'skip' : kept++ < limit ? 'keep' : 'stop'),
  });
  return scan.entries;
}
