import { DAY_MS, HOUR_MS } from '../calendar.js';

/**
 * When a tenant's weekly report is due: a weekday and hour on the wall clock of a time zone. The
 * ledger keeps times in UTC (services/calendar.ts); this turns a wall-clock time of an IANA zone
 * into the UTC instant it is, through Intl, so daylight saving time moves the instant, not the
 * hour admins chose.
 */
export interface WeeklySchedule {
  /** ISO weekday: 1 Monday … 7 Sunday. */
  day: number;
  /** 0–23, on the zone's wall clock. */
  hour: number;
}

export const DEFAULT_WEEKLY_SCHEDULE: WeeklySchedule = { day: 1, hour: 9 };

/**
 * A report missed by more than this (the bot was down when it was due) is not sent late: a
 * "weekly" report on Sunday night about a week nearly over helps nobody, and next week's comes.
 */
export const REPORT_CATCH_UP_MS = 24 * HOUR_MS;

export interface ScheduledReport {
  /** The ISO week of the due day in the zone ("2026-W49"): what makes the report once a week. */
  week: string;
  /** The UTC instant it was due. */
  dueAt: number;
}

/** The most recent scheduled time at or before `now`, in `timeZone` (a zone Intl knows). */
export function lastScheduled(schedule: WeeklySchedule, timeZone: string, now: number): ScheduledReport {
  const today = wallClock(now, timeZone);
  // Local dates as UTC midnights: whole days can be added exactly.
  let date = Date.UTC(today.year, today.month - 1, today.day) - ((today.weekday - schedule.day + 7) % 7) * DAY_MS;
  let dueAt = instantOf(date, schedule.hour, timeZone);
  if (dueAt > now) {
    date -= 7 * DAY_MS;
    dueAt = instantOf(date, schedule.hour, timeZone);
  }
  return { week: isoWeek(date), dueAt };
}

/**
 * The report due now, if one is: its scheduled time has come, not more than the catch-up window
 * ago, and not before the account was opened. Whether it was already raised is the ledger's
 * idempotency key (the week), not this.
 */
export function dueReport(schedule: WeeklySchedule, timeZone: string, now: number, openedAt: number): ScheduledReport | null {
  const last = lastScheduled(schedule, timeZone, now);
  return last.dueAt > now - REPORT_CATCH_UP_MS && last.dueAt >= openedAt ? last : null;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** ISO weekday, 1 Monday … 7 Sunday. */
  weekday: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock date and time in `timeZone` at `at`. */
function wallClock(at: number, timeZone: string): WallClock {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(at)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0 } = parts;
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay() || 7;
  return { year, month, day, hour, minute, weekday };
}

/** How far the zone's wall clock is ahead of UTC at `at`, in milliseconds. */
function offsetAt(at: number, timeZone: string): number {
  const w = wallClock(at, timeZone);
  const seconds = new Date(at).getUTCSeconds();
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, seconds) - (at - (at % 1000));
}

/**
 * The instant the zone's wall clock shows `hour`:00 on the local date `date` (a UTC midnight). In a
 * spring-forward gap (02:00 that never happens) it is the instant the clock jumps past it; in a
 * fall-back overlap, the first of the two.
 */
function instantOf(date: number, hour: number, timeZone: string): number {
  const wall = date + hour * HOUR_MS;
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  // Either guess may be right; the earlier one that shows the wanted hour, else (a gap) the later.
  const candidates = [Math.min(first, second), Math.max(first, second)];
  return candidates.find((at) => wallClock(at, timeZone).hour === hour) ?? candidates[1]!;
}

/** ISO 8601 week of a date (a UTC midnight): "2026-W01" … "2026-W53". */
function isoWeek(date: number): string {
  const d = new Date(date);
  const weekday = d.getUTCDay() || 7;
  // The week belongs to the year of its Thursday.
  const thursday = date + (4 - weekday) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}
