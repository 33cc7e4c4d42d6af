/** Calendar arithmetic: in UTC, the ledger's time zone, and in a tenant's zone for its months and days (spend controls). */
import { BoundedCache } from './boundedCache.js';

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

/** `Date.parse` remembering the last text it read, for texts read several times in a row. */
function rememberingLastParse(): (text: string) => number {
  let lastText: string | undefined;
  let lastAt = Number.NaN;
  return (text) => {
    if (text !== lastText) {
      lastAt = Date.parse(text);
      lastText = text;
    }
    return lastAt;
  };
}

/**
 * A call's start time (a usage record's `startDateTime`) in ms. The usage rules read each
 * record's start four times in turn (window, range, usage key, totals); it is parsed once.
 */
export const callStartOf = rememberingLastParse();

/** A journal entry's time (`at`) in ms: every entry of a change carries the same text. */
export const entryTimeOf = rememberingLastParse();

/** A calendar date in a time zone: month 1–12. */
export interface ZonedDate {
  year: number;
  month: number;
  day: number;
}

// Intl formats are costly to build and zones come from clients: kept per zone, bounded.
const zoneFormats = new BoundedCache<string, Intl.DateTimeFormat>(256);

function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  return zoneFormats.getOrCreate(timeZone, (zone) => {
    const fields = { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' } as const;
    return new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', ...fields });
  });
}

/** Whether Intl knows the IANA zone (names come from clients: checked before they are used or kept). */
export function isTimeZone(name: string): boolean {
  if (name.length === 0 || name.length > 64) return false;
  try {
    zoneFormat(name);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time of `at` in `timeZone`, as if it were UTC (its offset added). */
function wallClock(at: number, timeZone: string): number {
  const parts = zoneFormat(timeZone).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)!.value);
  return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
}

/** The date `at` falls on in `timeZone` (a zone `isTimeZone` accepts). */
export function zonedDate(at: number, timeZone: string): ZonedDate {
  const wall = new Date(wallClock(at, timeZone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-12": the calendar month of `at` in `timeZone`; months compare as text. */
export function monthKey(at: number, timeZone: string): string {
  const d = zonedDate(at, timeZone);
  return `${d.year}-${pad(d.month)}`;
}

/** "2026-12-03": the calendar day of `at` in `timeZone`; days compare as text. */
export function dayKey(at: number, timeZone: string): string {
  const d = zonedDate(at, timeZone);
  return `${d.year}-${pad(d.month)}-${pad(d.day)}`;
}

/**
 * The first instant of the zoned day holding `at`: its wall-clock midnight less the zone's offset,
 * taken again at the guess when a DST change lies between (the offset differs there).
 */
export function startOfZonedDay(at: number, timeZone: string): number {
  const seconds = at - (((at % 1000) + 1000) % 1000);
  const wall = wallClock(seconds, timeZone);
  const midnight = wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS);
  let start = midnight - (wall - seconds);
  start = midnight - (wallClock(start, timeZone) - start);
  // A zone whose midnight does not exist on that day (skipped by DST) starts the day later:
  // the first second whose date is the day.
  const day = dayKey(at, timeZone);
  while (dayKey(start, timeZone) !== day) start += 60_000;
  return start;
}

/** The first instant of the zoned day after the one holding `at`. */
export function startOfNextZonedDay(at: number, timeZone: string): number {
  // A zoned day lasts 23 to 25 hours: 26 hours after its start is always in the next day.
  return startOfZonedDay(startOfZonedDay(at, timeZone) + 26 * HOUR_MS, timeZone);
}

/** The first instant of the zoned month after the one holding `at`. */
export function startOfNextZonedMonth(at: number, timeZone: string): number {
  const { year, month } = zonedDate(at, timeZone);
  // Noon UTC on the 1st is the 1st in every zone from UTC−11 to UTC+11; beyond, a day either side.
  let first = Date.UTC(year + Math.floor(month / 12), month % 12, 1, 12);
  const day = zonedDate(first, timeZone).day;
  if (day !== 1) first += day > 1 ? -DAY_MS / 2 : DAY_MS / 2;
  return startOfZonedDay(first, timeZone);
}
