import { DAY_MS, HOUR_MS } from '../calendar.js';
import type { Minor } from '../money.js';
import type { UsageDetail } from '../ledger/journal.js';

/** Days of usage kept per account: enough for a trailing 30-day burn rate. */
export const USAGE_DAYS_KEPT = 35;
/** Hours of spend kept: a week of baseline plus the current hour. */
export const USAGE_HOURS_KEPT = 8 * 24;

export interface UsageTotals {
  calls: number;
  seconds: number;
  minor: Minor;
}

/**
 * Running usage totals kept on the account, so breakdowns, forecasts and spend alerts cost the
 * same at the millionth record as at the first. Keys are UTC day and hour numbers of the call's
 * start; a category is "callType|destination".
 */
export interface UsageStats {
  days: Record<string, UsageTotals & { byCategory: Record<string, UsageTotals> }>;
  hours: Record<string, Minor>;
  /** International destinations this tenant has called. */
  destinations: string[];
}

export const emptyUsageStats = (): UsageStats => ({ days: {}, hours: {}, destinations: [] });

/** Where a call went, as admins think of it: Domestic, or the country called. */
export function destinationOf(usage: Pick<UsageDetail, 'destinationContext' | 'destinationName'>): string {
  if ((usage.destinationContext ?? '').toLowerCase() === 'domestic') return 'Domestic';
  return usage.destinationName ?? usage.destinationContext ?? 'Unknown';
}

export const isInternational = (usage: Pick<UsageDetail, 'destinationContext'>): boolean =>
  (usage.destinationContext ?? '').toLowerCase() === 'international';

/** Adds one charged call to the totals, forgetting days and hours that have left the window. */
export function recordUsageStats(stats: UsageStats, usage: UsageDetail, chargeMinor: Minor): void {
  const startedAt = Date.parse(usage.startDateTime);
  const day = Math.floor(startedAt / DAY_MS);
  const hour = Math.floor(startedAt / HOUR_MS);
  const seconds = usage.durationSeconds ?? 0;
  const category = `${usage.callType ?? 'unknown'}|${destinationOf(usage)}`;
  // Old buckets are dropped when a new one starts, not on every call: this runs per record.
  if (!stats.days[day]) {
    forgetBefore(stats.days, day - USAGE_DAYS_KEPT);
    stats.days[day] = { calls: 0, seconds: 0, minor: 0, byCategory: {} };
  }
  if (stats.hours[hour] === undefined) {
    forgetBefore(stats.hours, hour - USAGE_HOURS_KEPT);
    stats.hours[hour] = 0;
  }
  const totals = stats.days[day]!;
  add(totals, seconds, chargeMinor);
  add((totals.byCategory[category] ??= { calls: 0, seconds: 0, minor: 0 }), seconds, chargeMinor);
  stats.hours[hour] += chargeMinor;
  if (isInternational(usage) && usage.destinationName && !stats.destinations.includes(usage.destinationName)) {
    stats.destinations.push(usage.destinationName);
  }
}

function add(totals: UsageTotals, seconds: number, minor: Minor): void {
  totals.calls++;
  totals.seconds += seconds;
  totals.minor += minor;
}

function forgetBefore(buckets: Record<string, unknown>, oldest: number): void {
  for (const key of Object.keys(buckets)) if (Number(key) < oldest) delete buckets[key];
}
