import { callStartOf, dayKey, iso, HOUR_MS, startOfNextZonedDay, startOfZonedDay } from '../calendar.js';
import type { Alert } from '../alerts.js';
import type { Account } from '../ledger/account.js';
import type { UsageDetail } from '../ledger/journal.js';
import type { Minor } from '../money.js';
import { USAGE_HOURS_KEPT } from './usageStats.js';

/** An hour's spend this many times the tenant's hourly average over the previous week is unusual. */
export const SPIKE_FACTOR = 5;
/** The hours the average is taken over: the week before the hour. */
export const BASELINE_HOURS = USAGE_HOURS_KEPT - 24;

/** What the spend checks need to know from before a usage change. */
export interface SpendBefore {
  /** Spend of the hours the change touches. */
  hours: Record<string, Minor>;
}

/** Copies only what the checks compare, so a change's cost does not grow with the account's history. */
export function spendBefore(account: Account | undefined, hoursTouched: Iterable<number>): SpendBefore {
  const all = account?.usage.hours ?? {};
  const hours: Record<string, Minor> = {};
  for (const hour of hoursTouched) if (all[hour] !== undefined) hours[hour] = all[hour];
  return { hours };
}

/** The UTC hour numbers a call's spend is counted in. */
export const hourOf = (startDateTime: string): number => Math.floor(callStartOf(startDateTime) / HOUR_MS);

/** The UTC hours of some calls, each once, in the order first called (no array of them in between: a batch holds thousands). */
function hoursOf(calls: Iterable<Pick<UsageDetail, 'startDateTime'>>): Set<number> {
  const hours = new Set<number>();
  for (const call of calls) hours.add(hourOf(call.startDateTime));
  return hours;
}

/**
 * An early warning of toll fraud, raised by the usage change that caused it: an hour's spend
 * crossing SPIKE_FACTOR times the tenant's own hourly average of the week before, and at least
 * `floorMinor` (the smallest amount worth an alert: the smallest addition), so a quiet week does
 * not make every call a spike. A week without any spend is no baseline: nothing to compare with,
 * no spike (a tenant's first calls are not "far above" anything). The low-balance threshold plays
 * no part: raising it never hides a spike. The alert says what it compared. (Calls to a country
 * never called before are `NewDestinationWatch`'s.)
 */
export function spendAlerts(before: SpendBefore, account: Account, calls: UsageDetail[], now: number, floorMinor: Minor): Alert[] {
  const base = { tenantId: account.tenantId, currency: account.currency, balanceMinor: account.balanceMinor, at: iso(now) };
  const alerts: Alert[] = [];
  const hoursTouched = hoursOf(calls);
  const floor = Math.max(floorMinor, 1);
  for (const hour of hoursTouched) {
    const is = account.usage.hours[hour] ?? 0;
    // Below the floor nothing can have crossed the threshold: skip the week's baseline.
    if (is < floor) continue;
    const week = weekBefore(account.usage.hours, hour);
    if (week === 0) continue;
    const usual = Math.floor(week / BASELINE_HOURS);
    const threshold = Math.max(SPIKE_FACTOR * usual, floor);
    const was = before.hours[hour] ?? 0;
    if (was < threshold && is >= threshold) {
      alerts.push({
        ...base,
        type: 'unusual-spend',
        reason: 'hourly-spike',
        hourStart: iso(hour * HOUR_MS),
        spendMinor: is,
        baselineMinor: usual,
        thresholdMinor: threshold,
        destination: null,
      });
    }
  }
  return alerts;
}

/** The spend of the week before `hour`; its hourly average is the baseline. */
function weekBefore(hours: Record<string, Minor>, hour: number): Minor {
  let total = 0;
  for (const [key, minor] of Object.entries(hours)) {
    const h = Number(key);
    if (h < hour && h >= hour - BASELINE_HOURS) total += minor;
  }
  return total;
}

/** A tenant day whose spend passed the daily alert amount. */
export interface DailySpendExceeded {
  day: string;
  spentMinor: Minor;
  ceilingMinor: Minor;
}

/**
 * The daily spend ceiling ("more than X spent today"): after a usage change, the latest tenant day
 * its calls fell on that spent more than the admins' amount and was not reported yet, if any.
 * Only today and yesterday (a late import) count: older days are history, not news. At most once
 * a day, since the ledger records each report (`dailySpendAlertedDay`) and days only move forward.
 * A day's spend is summed from the kept hourly totals (UTC hours), so in a zone with a half-hour
 * offset the day's edges are off by that half hour.
 */
export function dailySpendExceeded(account: Account, calls: Array<Pick<UsageDetail, 'startDateTime'>>, now: number): DailySpendExceeded | null {
  const { dailySpendAlertMinor: ceilingMinor, timeZone } = account.spendControls;
  if (ceilingMinor === null || calls.length === 0) return null;
  const yesterday = dayKey(startOfZonedDay(now, timeZone) - 1, timeZone);
  const reported = account.dailySpendAlertedDay ?? '';
  const days = new Map<string, number>();
  for (const call of calls) {
    const at = Date.parse(call.startDateTime);
    const day = dayKey(at, timeZone);
    if (day >= yesterday && day > reported && !days.has(day)) days.set(day, at);
  }
  for (const [day, at] of [...days].sort(([a], [b]) => (a < b ? 1 : -1))) {
    const spentMinor = spendBetween(account.usage.hours, startOfZonedDay(at, timeZone), startOfNextZonedDay(at, timeZone));
    if (spentMinor > ceilingMinor) return { day, spentMinor, ceilingMinor };
  }
  return null;
}

/** The spend of the UTC hours starting in [from, to). */
function spendBetween(hours: Record<string, Minor>, from: number, to: number): Minor {
  let total = 0;
  for (const [key, minor] of Object.entries(hours)) {
    const start = Number(key) * HOUR_MS;
    if (start >= from && start < to) total += minor;
  }
  return total;
}
