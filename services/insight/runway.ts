import { DAY_MS } from '../calendar.js';
import type { Account } from '../ledger/account.js';
import { divideRoundingUp, type Minor } from '../money.js';
import type { UsageTotals } from './usageStats.js';

/** The burn rate is taken over this many trailing days. */
export const BURN_DAYS = 30;

export interface Runway {
  /** Usage charged in the trailing 30 days. */
  spentMinor: Minor;
  /** Average daily spend over those days, rounded up. */
  dailyBurnMinor: Minor;
  /** Whole days until the balance reaches the auto-recharge trigger (when on) or zero; null with no usage. */
  daysLeft: number | null;
  /** What the days count down to. */
  until: 'trigger' | 'zero';
  /** A recharge amount covering 30 days at this rate, rounded up to 10 major units, within the limits. */
  suggestedRechargeMinor: Minor | null;
}

/** Days until the money runs out at the trailing 30-day burn rate, and what to recharge. */
export function runway(account: Account, now: number, limits: { minMinor: Minor; maxMinor: Minor; stepMinor: Minor }): Runway {
  const today = Math.floor(now / DAY_MS);
  let spentMinor = 0;
  for (const [day, totals] of Object.entries(account.usage.days)) {
    if (Number(day) > today - BURN_DAYS && Number(day) <= today) spentMinor += totals.minor;
  }
  const dailyBurnMinor = divideRoundingUp(spentMinor, BURN_DAYS);
  const until = account.autoRecharge.enabled ? 'trigger' : 'zero';
  const floor = until === 'trigger' ? account.autoRecharge.triggerMinor : 0;
  const headroom = account.balanceMinor - floor;
  const daysLeft = dailyBurnMinor === 0 ? null : headroom <= 0 ? 0 : Math.floor(headroom / dailyBurnMinor);
  const suggested =
    spentMinor === 0 ? null : Math.min(limits.maxMinor, Math.max(limits.minMinor, divideRoundingUp(spentMinor, limits.stepMinor) * limits.stepMinor));
  return { spentMinor, dailyBurnMinor, daysLeft, until, suggestedRechargeMinor: suggested };
}

export interface CallTypeDestinationRow extends UsageTotals {
  /** Both empty for the calls counted past a day's category cap (`OTHER_CATEGORY`), shown as "Other". */
  callType: string;
  destination: string;
}

/**
 * Usage of the last `days` days by call type and destination, largest spend first, from the
 * account's daily totals (no journal read). Other groupings and ranges: `usageBreakdown.ts`.
 */
export function usageByCallTypeAndDestination(account: Account, now: number, days: number): { rows: CallTypeDestinationRow[]; total: UsageTotals } {
  const today = Math.floor(now / DAY_MS);
  const rows = new Map<string, CallTypeDestinationRow>();
  const total: UsageTotals = { calls: 0, seconds: 0, minor: 0 };
  for (const [day, totals] of Object.entries(account.usage.days)) {
    if (Number(day) <= today - days || Number(day) > today) continue;
    for (const [category, t] of Object.entries(totals.byCategory)) {
      const [callType = 'unknown', destination = 'Unknown'] = category.split('|');
      const row = rows.get(category) ?? { callType, destination, calls: 0, seconds: 0, minor: 0 };
      row.calls += t.calls;
      row.seconds += t.seconds;
      row.minor += t.minor;
      rows.set(category, row);
      total.calls += t.calls;
      total.seconds += t.seconds;
      total.minor += t.minor;
    }
  }
  return { rows: [...rows.values()].sort((a, b) => b.minor - a.minor || a.callType.localeCompare(b.callType)), total };
}
