import { iso } from '../calendar.js';
import type { JournalEntry } from '../ledger/journal.js';
import type { Minor } from '../money.js';
import { destinationOf, type UsageTotals } from './usageStats.js';

/** What usage can be grouped by. */
export const USAGE_GROUPS = ['user', 'department', 'destination', 'callType', 'day'] as const;
export type UsageGroup = (typeof USAGE_GROUPS)[number];

/** The group of calls whose row names no user (bot calls, records sent without one). */
export const UNKNOWN_USER = 'unknown user';
/** The group of calls whose row carries no administrative unit or department. */
export const NO_DEPARTMENT = 'no department';
/** The group of calls with no call type. */
export const UNKNOWN_CALL_TYPE = 'unknown';

/** One charged call, as a breakdown reads it from its journal entry. */
export interface UsageCall {
  /** When the call started (ms since the epoch). */
  startedAt: number;
  seconds: number;
  /** What it cost, positive. */
  minor: Minor;
  callType: string | null;
  /** Domestic, or the country called (`destinationOf`). */
  destination: string;
  /** The caller's UPN in lower case, else their user id; null when the row names nobody. */
  user: string | null;
  userDisplayName: string | null;
  department: string | null;
}

export interface UsageBreakdownQuery {
  groupBy: UsageGroup;
  /** Calls that started from `from` (inclusive) to `to` (exclusive), ms since the epoch. */
  from: number;
  to: number;
}

export interface UsageGroupRow extends UsageTotals {
  /**
   * The group: a UPN (or user id), a department, a destination, a call type, or a UTC day
   * ("2026-03-05"); `UNKNOWN_USER`, `NO_DEPARTMENT` or `UNKNOWN_CALL_TYPE` for calls without one.
   */
  key: string;
  /** The group as people read it: a user's display name (the first met; the newest from the journal), else the key. */
  label: string;
  /** The key is one of the stand-ins for "none" (cards word it in the reader's language). */
  unknown: boolean;
}

export interface UsageBreakdown {
  groupBy: UsageGroup;
  from: string;
  to: string;
  /** Largest spend first (ties by key); by day: oldest day first. */
  rows: UsageGroupRow[];
  total: UsageTotals;
}

/** The call a usage journal entry charged, or null for any other entry. */
export function usageCallOf(entry: JournalEntry): UsageCall | null {
  if (entry.detail.kind !== 'usage') return null;
  const usage = entry.detail.usage;
  const startedAt = Date.parse(usage.startDateTime);
  if (Number.isNaN(startedAt)) return null;
  const upn = usage.userPrincipalName?.trim().toLowerCase();
  return {
    startedAt,
    seconds: usage.durationSeconds ?? 0,
    minor: -entry.amountMinor,
    callType: usage.callType,
    destination: destinationOf(usage),
    user: upn || usage.userId?.trim() || null,
    userDisplayName: usage.userDisplayName?.trim() || null,
    department: usage.department?.trim() || null,
  };
}

/**
 * Sums calls by one group over a time range, in integer minor units: the one breakdown the usage
 * card, the weekly report and the operator API share. Feed calls in any order with `add`.
 */
export class UsageBreakdownBuilder {
  private readonly rows = new Map<string, UsageGroupRow>();
  private readonly total: UsageTotals = { calls: 0, seconds: 0, minor: 0 };

  constructor(readonly query: UsageBreakdownQuery) {}

  /** Counts the call when it started within the range. */
  add(call: UsageCall): void {
    const { groupBy, from, to } = this.query;
    if (call.startedAt < from || call.startedAt >= to) return;
    const [key, unknown] = groupOf(call, groupBy);
    let row = this.rows.get(key);
    if (!row) {
      row = { key, label: key, unknown, calls: 0, seconds: 0, minor: 0 };
      this.rows.set(key, row);
    }
    // The first name met: the journal is read newest first, so a renamed user shows their name now.
    if (groupBy === 'user' && call.userDisplayName && row.label === key) row.label = call.userDisplayName;
    for (const totals of [row, this.total]) {
      totals.calls++;
      totals.seconds += call.seconds;
      totals.minor += call.minor;
    }
  }

  result(): UsageBreakdown {
    const rows = [...this.rows.values()];
    const byKey = (a: UsageGroupRow, b: UsageGroupRow) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
    rows.sort(this.query.groupBy === 'day' ? byKey : (a, b) => b.minor - a.minor || byKey(a, b));
    return { groupBy: this.query.groupBy, from: iso(this.query.from), to: iso(this.query.to), rows, total: { ...this.total } };
  }
}

/** `UsageBreakdownBuilder` over calls already at hand. */
export function breakDownUsage(calls: Iterable<UsageCall>, query: UsageBreakdownQuery): UsageBreakdown {
  const builder = new UsageBreakdownBuilder(query);
  for (const call of calls) builder.add(call);
  return builder.result();
}

function groupOf(call: UsageCall, groupBy: UsageGroup): [key: string, unknown: boolean] {
  switch (groupBy) {
    case 'user':
      return call.user ? [call.user, false] : [UNKNOWN_USER, true];
    case 'department':
      return call.department ? [call.department, false] : [NO_DEPARTMENT, true];
    case 'destination':
      return [call.destination, call.destination === 'Unknown'];
    case 'callType':
      return call.callType ? [call.callType, false] : [UNKNOWN_CALL_TYPE, true];
    case 'day':
      return [iso(call.startedAt).slice(0, 10), false];
  }
}

/** Reads a tenant's journal page by page: entries numbered above `afterEntryNo`, oldest first, at most `limit`. */
export type ReadJournal = (afterEntryNo: number, limit: number) => Promise<JournalEntry[]>;

/**
 * Journal entries a breakdown reads at most: three months of a tenant placing about 5,000 calls a
 * day. A busier tenant's breakdown says it is `truncated`.
 */
export const USAGE_SCAN_LIMIT = 500_000;

/** Journal entries read per request while scanning. */
const PAGE = 1000;

/**
 * The breakdown of a tenant's calls that started in the query's range, read from the journal
 * backwards from its newest entry (`entryCount`). An entry is written after its call started, so
 * the scan stops at the first entry written before `from`. At most `maxEntries` entries are read;
 * `truncated` says the scan stopped there, with older calls of the range left out.
 */
export async function journalUsageBreakdown(
  readJournal: ReadJournal,
  entryCount: number,
  query: UsageBreakdownQuery,
  maxEntries: number,
): Promise<UsageBreakdown & { truncated: boolean }> {
  const { breakdowns, truncated } = await journalUsageBreakdowns(readJournal, entryCount, [query], maxEntries);
  return { ...breakdowns[0]!, truncated };
}

/** As `journalUsageBreakdown`, several breakdowns (a card's days and its top users) in one scan. */
export async function journalUsageBreakdowns(
  readJournal: ReadJournal,
  entryCount: number,
  queries: UsageBreakdownQuery[],
  maxEntries: number,
): Promise<{ breakdowns: UsageBreakdown[]; truncated: boolean }> {
  const builders = queries.map((query) => new UsageBreakdownBuilder(query));
  const from = Math.min(...queries.map((query) => query.from));
  const floor = Math.max(0, entryCount - maxEntries);
  const done = (truncated: boolean) => ({ breakdowns: builders.map((builder) => builder.result()), truncated });
  for (let below = entryCount; below > floor; ) {
    const after = Math.max(floor, below - PAGE);
    const page = await readJournal(after, below - after);
    for (let i = page.length - 1; i >= 0; i--) {
      const entry = page[i]!;
      if (Date.parse(entry.at) < from) return done(false);
      const call = usageCallOf(entry);
      if (call) for (const builder of builders) builder.add(call);
    }
    below = after;
  }
  return done(floor > 0);
}
