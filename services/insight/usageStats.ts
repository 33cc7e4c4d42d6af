import { callStartOf, DAY_MS, HOUR_MS } from '../calendar.js';
import type { Minor } from '../money.js';
import type { UsageDetail } from '../ledger/journal.js';

/** Days of usage kept per account: enough for a trailing 30-day burn rate. */
export const USAGE_DAYS_KEPT = 35;
/** Hours of spend kept: a week of baseline plus the current hour. */
export const USAGE_HOURS_KEPT = 8 * 24;
/**
 * International destinations remembered per tenant. There are about 250 countries and regions, so
 * only junk or fraud fills the list; past it, a destination not on it counts as new every time.
 */
export const MAX_DESTINATIONS_KEPT = 500;
/** Call type and destination pairs counted apart per day; calls past them are counted together. */
export const MAX_CATEGORIES_PER_DAY = 100;
/** The category of the calls past a day's MAX_CATEGORIES_PER_DAY: no call type, no destination ("Other" on cards). */
export const OTHER_CATEGORY = '|';

export interface UsageTotals {
  calls: number;
  seconds: number;
  minor: Minor;
}

/**
 * Running usage totals kept on the account, so breakdowns, forecasts and spend alerts cost the
 * same at the millionth record as at the first. Keys are UTC day and hour numbers of the call's
 * start; a category is "callType|destination". Every part is bounded: days and hours by the usage
 * acceptance window, categories per day and destinations by their caps.
 */
export interface UsageStats {
  days: Record<string, UsageTotals & { byCategory: Record<string, UsageTotals> }>;
  hours: Record<string, Minor>;
  /** International destinations this tenant has called, in the order first called; at most MAX_DESTINATIONS_KEPT. */
  destinations: Set<string>;
  /** New-destination alerts raised in the UTC hour `hour` (of the changes that raised them, not of the calls). */
  newDestinationAlerts: { hour: number; count: number };
}

/** UsageStats as plain JSON, for checkpoints. */
export type UsageStatsSnapshot = Omit<UsageStats, 'destinations'> & { destinations: string[] };

export const emptyUsageStats = (): UsageStats => ({ days: {}, hours: {}, destinations: new Set(), newDestinationAlerts: { hour: 0, count: 0 } });

export function usageStatsToSnapshot(stats: UsageStats): UsageStatsSnapshot {
  const { destinations, ...rest } = stats;
  return { ...structuredClone(rest), destinations: [...destinations] };
}

/** Reads a snapshot, also one written before the alert count was kept. */
export function usageStatsFromSnapshot(snapshot: Partial<UsageStatsSnapshot> & Pick<UsageStatsSnapshot, 'days' | 'hours' | 'destinations'>): UsageStats {
  const { destinations, newDestinationAlerts, ...rest } = snapshot;
  return {
    ...structuredClone(rest),
    destinations: new Set(destinations.slice(0, MAX_DESTINATIONS_KEPT)),
    newDestinationAlerts: { ...(newDestinationAlerts ?? { hour: 0, count: 0 }) },
  };
}

/** Where a call went, as admins think of it: Domestic, or the country called. */
export function destinationOf(usage: Pick<UsageDetail, 'destinationContext' | 'destinationName'>): string {
  if (DOMESTIC.test(usage.destinationContext ?? '')) return 'Domestic';
  return usage.destinationName ?? usage.destinationContext ?? 'Unknown';
}

export const isInternational = (usage: Pick<UsageDetail, 'destinationContext'>): boolean => INTERNATIONAL.test(usage.destinationContext ?? '');

// Tested without lower-casing a copy of the text: these run for every usage record.
const DOMESTIC = /^domestic$/i;
const INTERNATIONAL = /^international$/i;

/** New-destination alerts already raised in the UTC hour of `at`. */
export function newDestinationAlertsInHour(stats: UsageStats, at: number): number {
  return stats.newDestinationAlerts.hour === Math.floor(at / HOUR_MS) ? stats.newDestinationAlerts.count : 0;
}

/** The largest total a call starting at `startDateTime` adds to: its day's or its hour's (a category is part of its day). */
export function largestUsageTotal(stats: UsageStats, startDateTime: string): Minor {
  const startedAt = callStartOf(startDateTime);
  return Math.max(stats.days[Math.floor(startedAt / DAY_MS)]?.minor ?? 0, stats.hours[Math.floor(startedAt / HOUR_MS)] ?? 0);
}

/**
 * Adds one charged call, recorded at `at`, to the totals, forgetting days and hours that have left
 * the window. Runs for every usage entry, live and on replay, so it decides only from the entry.
 */
export function recordUsageStats(stats: UsageStats, usage: UsageDetail, chargeMinor: Minor, at: number): void {
  const startedAt = callStartOf(usage.startDateTime);
  const day = Math.floor(startedAt / DAY_MS);
  const hour = Math.floor(startedAt / HOUR_MS);
  const seconds = usage.durationSeconds ?? 0;
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
  add((totals.byCategory[categoryOf(totals.byCategory, usage)] ??= { calls: 0, seconds: 0, minor: 0 }), seconds, chargeMinor);
  stats.hours[hour] += chargeMinor;
  if (isInternational(usage) && usage.destinationName && stats.destinations.size < MAX_DESTINATIONS_KEPT) {
    stats.destinations.add(usage.destinationName);
  }
  if (usage.newDestinationAlert) {
    const alertHour = Math.floor(at / HOUR_MS);
    stats.newDestinationAlerts = { hour: alertHour, count: newDestinationAlertsInHour(stats, at) + 1 };
  }
}

/** The call's "callType|destination", or OTHER_CATEGORY once the day counts MAX_CATEGORIES_PER_DAY others. */
function categoryOf(byCategory: Record<string, UsageTotals>, usage: UsageDetail): string {
  // Every category holds a "|", so none can name a property every object has.
  const category = `${usage.callType ?? 'unknown'}|${destinationOf(usage)}`;
  if (byCategory[category] !== undefined) return category;
  // Counting the keys costs at most MAX_CATEGORIES_PER_DAY, and only for a category not seen that day.
  return Object.keys(byCategory).length < MAX_CATEGORIES_PER_DAY ? category : OTHER_CATEGORY;
}

function add(totals: UsageTotals, seconds: number, minor: Minor): void {
  totals.calls++;
  totals.seconds += seconds;
  totals.minor += minor;
}

function forgetBefore(buckets: Record<string, unknown>, oldest: number): void {
  for (const key of Object.keys(buckets)) if (Number(key) < oldest) delete buckets[key];
}
