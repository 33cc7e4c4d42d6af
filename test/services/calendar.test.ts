import { describe, expect, it } from 'vitest';
import { addCalendarMonths } from '../../services/calendar.js';

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
