/** Calendar arithmetic in UTC, the ledger's time zone. */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/**
 * Adds calendar months, clamping to the month's last day: 31 January + 1 month is 28 (or 29)
 * February, 29 February 2028 + 12 months is 28 February 2029.
 */
export function addCalendarMonths(at: number, months: number): number {
  const d = new Date(at);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const targetYear = y + Math.floor(m / 12);
  const targetMonth = ((m % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return Date.UTC(targetYear, targetMonth, Math.min(d.getUTCDate(), lastDay), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

export function addDays(at: number, days: number): number {
  return at + days * DAY_MS;
}

/** Whole UTC days since the epoch, used to bucket things by day. */
export function dayNumber(at: number): number {
  return Math.floor(at / DAY_MS);
}

export const iso = (at: number): string => new Date(at).toISOString();
