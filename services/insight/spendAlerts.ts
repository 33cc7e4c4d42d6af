import { iso, HOUR_MS } from '../calendar.js';
import type { Alert } from '../alerts.js';
import type { Account } from '../ledger/account.js';
import type { UsageDetail } from '../ledger/journal.js';
import type { Minor } from '../money.js';
import { USAGE_HOURS_KEPT } from './usageStats.js';

/** An hour's spend this many times the week's hourly average is unusual… */
export const SPIKE_FACTOR = 5;
/** …and so is any hour above this many low-balance thresholds, however quiet the week was. */
export const SPIKE_FLOOR_THRESHOLDS = 5;

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
export const hourOf = (startDateTime: string): number => Math.floor(Date.parse(startDateTime) / HOUR_MS);

/**
 * An early warning of toll fraud, raised by the usage change that caused it: an hour's spend
 * crossing far above the tenant's weekly baseline. (Calls to a country never called before are
 * `NewDestinationWatch`'s.)
 */
export function spendAlerts(before: SpendBefore, account: Account, calls: UsageDetail[], now: number): Alert[] {
  const base = { tenantId: account.tenantId, currency: account.currency, balanceMinor: account.balanceMinor, at: iso(now) };
  const alerts: Alert[] = [];
  const hoursTouched = new Set(calls.map((c) => hourOf(c.startDateTime)));
  const floor = SPIKE_FLOOR_THRESHOLDS * Math.max(account.lowBalanceAlertMinor, 1);
  for (const hour of hoursTouched) {
    const is = account.usage.hours[hour] ?? 0;
    // Below the floor nothing can have crossed the threshold: skip the week's baseline.
    if (is < floor) continue;
    const threshold = spikeThreshold(account.usage.hours, hour, account.lowBalanceAlertMinor);
    const was = before.hours[hour] ?? 0;
    if (was < threshold && is >= threshold) {
      alerts.push({ ...base, type: 'unusual-spend', reason: 'hourly-spike', hourStart: iso(hour * HOUR_MS), spendMinor: is, baselineMinor: baseline(account.usage.hours, hour), destination: null });
    }
  }
  return alerts;
}

/** The week's average hourly spend before `hour` (integer minor units, rounded down). */
function baseline(hours: Record<string, Minor>, hour: number): Minor {
  let total = 0;
  for (const [key, minor] of Object.entries(hours)) {
    const h = Number(key);
    if (h < hour && h >= hour - (USAGE_HOURS_KEPT - 24)) total += minor;
  }
  return Math.floor(total / (USAGE_HOURS_KEPT - 24));
}

function spikeThreshold(hours: Record<string, Minor>, hour: number, lowBalanceAlertMinor: Minor): Minor {
  return Math.max(SPIKE_FACTOR * baseline(hours, hour), SPIKE_FLOOR_THRESHOLDS * Math.max(lowBalanceAlertMinor, 1));
}
