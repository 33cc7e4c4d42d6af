import { DAY_MS, iso } from '../services/calendar.js';
import type { UsageBreakdown } from '../services/insight/usageBreakdown.js';
import type { Minor } from '../services/money.js';
import type { ProjectionPointViewModel, SpendDayViewModel, TopSpendersViewModel } from './viewModels.js';

/**
 * The figures behind the charts and the top-spenders list, from the usage breakdowns
 * (`services/insight/usageBreakdown.ts`) and the runway forecast. Built once per card; the weekly
 * report takes the same figures from the same functions.
 */

/** Users the usage card lists. */
export const TOP_SPENDERS = 5;
/** Days the runway chart projects at most. */
export const PROJECTION_MAX_DAYS = 30;

const utcDay = (at: number) => iso(at).slice(0, 10);

/** Spend on each UTC day from `from` (a midnight) for `days` days, from a breakdown by day; days without calls are 0. */
export function spendPerDay(byDay: Pick<UsageBreakdown, 'rows'>, from: number, days: number): SpendDayViewModel[] {
  const spent = new Map(byDay.rows.map((row) => [row.key, row.minor]));
  return Array.from({ length: days }, (_, i) => {
    const day = utcDay(from + i * DAY_MS);
    return { day, minor: spent.get(day) ?? 0 };
  });
}

/** The users who spent most, from a breakdown by user (largest first). */
export function topSpenders(byUser: Pick<UsageBreakdown, 'rows' | 'from'>, truncated: boolean, count = TOP_SPENDERS): TopSpendersViewModel {
  return {
    since: byUser.from,
    rows: byUser.rows.slice(0, count).map((row) => ({ label: row.label, unknown: row.unknown, calls: row.calls, minor: row.minor })),
    truncated,
  };
}

/**
 * The balance at the start of each UTC day from today, spending `dailyBurnMinor` a day, until the
 * day it reaches `floorMinor` (shown at the floor) or for `maxDays` days. Empty without spend.
 * Today's point is the balance itself, even when it is already below the floor.
 */
export function runwayProjection(
  balanceMinor: Minor,
  dailyBurnMinor: Minor,
  floorMinor: Minor,
  now: number,
  maxDays = PROJECTION_MAX_DAYS,
): ProjectionPointViewModel[] {
  if (dailyBurnMinor <= 0) return [];
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const points: ProjectionPointViewModel[] = [];
  for (let i = 0; i <= maxDays; i++) {
    const minor = balanceMinor - i * dailyBurnMinor;
    points.push({ day: utcDay(today + i * DAY_MS), minor: i === 0 ? minor : Math.max(minor, floorMinor) });
    if (minor <= floorMinor) break;
  }
  return points;
}
