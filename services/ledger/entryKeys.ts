import { dayNumber } from '../calendar.js';
import type { JournalEntry } from './journal.js';

/**
 * The idempotency key an entry records, if any, and of which sort: a usage record id (kept as a
 * fingerprint for the acceptance window, with the UTC day the call started) or an operation key
 * (kept for good). `applyEntry` and the stores read keys from here, so they cannot disagree.
 */
export type EntryKey = { sort: 'usage'; recordId: string; day: number } | { sort: 'operation'; key: string };

export function entryKey(entry: JournalEntry): EntryKey | null {
  const detail = entry.detail;
  if (detail.kind === 'usage') return { sort: 'usage', recordId: detail.usage.recordId, day: dayNumber(Date.parse(detail.usage.startDateTime)) };
  return entry.idempotencyKey ? { sort: 'operation', key: entry.idempotencyKey } : null;
}
