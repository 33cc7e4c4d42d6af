import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addCalendarMonths,
  callStartOf,
  dayKey,
  entryTimeOf,
  isTimeZone,
  monthKey,
  startOfNextZonedDay,
  startOfNextZonedMonth,
  startOfZonedDay,
} from '../../services/calendar.js';

const plus12 = (isoTime: string) => new Date(addCalendarMonths(Date.parse(isoTime), 12)).toISOString();

describe('12 calendar months', () => {
  it('keeps the day of the month', () => {
    expect(plus12('2026-03-15T08:30:00.000Z')).toBe('2027-03-15T08:30:00.000Z');
    expect(plus12('2026-01-31T23:59:59.000Z')).toBe('2027-01-31T23:59:59.000Z');
  });

  it('turns 29 February into a real date', () => {
    expect(plus12('2028-02-29T10:00:00.000Z')).toBe('2029-02-28T10:00:00.000Z');
  });

  it('clamps to the end of a shorter month', () => {
    expect(new Date(addCalendarMonths(Date.parse('2026-01-31T00:00:00Z'), 1)).toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(new Date(addCalendarMonths(Date.parse('2027-08-31T00:00:00Z'), 18)).toISOString()).toBe('2029-02-28T00:00:00.000Z');
  });
});

describe('zoned calendar (spend controls count months and days in the tenant zone)', () => {
  const at = (text: string) => Date.parse(text);
  const isoOf = (ms: number) => new Date(ms).toISOString();

  it('names the month and day of an instant in a zone, which may differ from UTC', () => {
    expect(monthKey(at('2026-01-31T17:00:00Z'), 'Asia/Shanghai')).toBe('2026-02');
    expect(monthKey(at('2026-02-01T03:00:00Z'), 'America/Los_Angeles')).toBe('2026-01');
    expect(dayKey(at('2026-03-08T10:30:00Z'), 'Pacific/Kiritimati')).toBe('2026-03-09');
    expect(dayKey(at('2026-03-08T10:30:00Z'), 'Pacific/Pago_Pago')).toBe('2026-03-07');
  });

  it('finds where a zoned day and month start, across half-hour offsets and DST changes', () => {
    expect(isoOf(startOfZonedDay(at('2026-12-31T20:00:00Z'), 'Asia/Kolkata'))).toBe('2026-12-31T18:30:00.000Z');
    // Havana's DST starts at midnight: 8 March 2026 begins at 01:00 local (UTC−4).
    expect(isoOf(startOfZonedDay(at('2026-03-08T10:30:00Z'), 'America/Havana'))).toBe('2026-03-08T05:00:00.000Z');
    expect(isoOf(startOfNextZonedDay(at('2026-03-08T10:30:00Z'), 'America/Los_Angeles'))).toBe('2026-03-09T07:00:00.000Z');
    expect(isoOf(startOfNextZonedDay(at('2026-04-05T15:00:00Z'), 'Australia/Lord_Howe'))).toBe('2026-04-06T13:30:00.000Z');
    expect(isoOf(startOfNextZonedMonth(at('2026-12-31T20:00:00Z'), 'Asia/Shanghai'))).toBe('2027-01-31T16:00:00.000Z');
    expect(isoOf(startOfNextZonedMonth(at('2026-10-31T20:00:00Z'), 'Pacific/Pago_Pago'))).toBe('2026-11-01T11:00:00.000Z');
    expect(isoOf(startOfNextZonedMonth(at('2026-01-15T00:00:00Z'), 'Pacific/Kiritimati'))).toBe('2026-01-31T10:00:00.000Z');
  });

  it('knows real zones only', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(isTimeZone('x'.repeat(65))).toBe(false);
  });
});

describe('parsing a time read several times in a row', () => {
  it('answers what Date.parse answers, whatever was read before', () => {
    const text = fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constantFrom('2026-03-01T08:00:00+01:00', '2026-02-30T00:00:00Z', 'not a time', ''),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 20 }), (texts) => {
        for (const t of [...texts, ...[...texts].reverse()]) {
          expect(callStartOf(t)).toBe(Date.parse(t));
          expect(entryTimeOf(t)).toBe(Date.parse(t));
        }
      }),
    );
  });
});
