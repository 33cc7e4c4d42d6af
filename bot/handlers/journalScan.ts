import type { JournalEntry } from '../../services/ledger/journal.js';
import type { HandlerDeps } from './handlerDeps.js';

/** Entries read per journal request while scanning back. */
const WINDOW = 200;

export interface Scan {
  /** The entries kept, newest first. */
  entries: JournalEntry[];
  /** The lowest entry number read; 1 once the scan reached the first entry. */
  lowestRead: number;
}

/**
 * The newest entries `keep` accepts, numbered below `before`, newest first: the journal is read
 * backwards a window at a time until `want` are found, the first entry is reached, or `maxRead`
 * entries were read (a million calls never make one card read a million entries).
 */
export async function scanBack(
  deps: Pick<HandlerDeps, 'ledger'>,
  tenantId: string,
  options: { before: number; keep: (entry: JournalEntry) => boolean; want: number; maxRead: number },
): Promise<Scan> {
  const entries: JournalEntry[] = [];
  const floor = Math.max(1, options.before - options.maxRead);
  let lowest = options.before;
  while (lowest > floor && entries.length < options.want) {
    const from = Math.max(floor, lowest - WINDOW);
    const window = await deps.ledger.journal(tenantId, from - 1, lowest - from);
    lowest = from;
    for (let i = window.length - 1; i >= 0; i--) {
      const entry = window[i]!;
      if (options.keep(entry)) entries.push(entry);
      if (entries.length >= options.want) {
        lowest = Number(entry.id);
        break;
      }
    }
  }
  return { entries, lowestRead: lowest };
}
