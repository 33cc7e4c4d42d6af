import { describe, expect, it } from 'vitest';
import { dueReport, lastScheduled, REPORT_CATCH_UP_MS } from '../../../services/insight/weeklySchedule.js';

const at = (text: string) => Date.parse(text);
const MONDAY_9 = { day: 1, hour: 9 };

describe('the weekly report schedule', () => {
  it('is Monday 09:00 on the wall clock of Shanghai (UTC+8): Monday 01:00 UTC', () => {
    // Thursday 2026-12-03 12:00 UTC: the last Monday 09:00 in Shanghai was 2026-11-30 01:00 UTC.
    expect(lastScheduled(MONDAY_9, 'Asia/Shanghai', at('2026-12-03T12:00:00Z'))).toEqual({ week: '2026-W49', dueAt: at('2026-11-30T01:00:00Z') });
    // One second before the next one, still that week; at it, the next week.
    expect(lastScheduled(MONDAY_9, 'Asia/Shanghai', at('2026-12-07T00:59:59Z')).week).toBe('2026-W49');
    expect(lastScheduled(MONDAY_9, 'Asia/Shanghai', at('2026-12-07T01:00:00Z'))).toEqual({ week: '2026-W50', dueAt: at('2026-12-07T01:00:00Z') });
  });

  it('is Monday 09:00 in Los Angeles: 17:00 UTC in winter (PST), 16:00 UTC in summer (PDT)', () => {
    expect(lastScheduled(MONDAY_9, 'America/Los_Angeles', at('2026-12-07T17:00:00Z'))).toEqual({ week: '2026-W50', dueAt: at('2026-12-07T17:00:00Z') });
    // It is still Sunday evening in Los Angeles when it is Monday in Shanghai: last week's report.
    expect(lastScheduled(MONDAY_9, 'America/Los_Angeles', at('2026-12-07T16:59:00Z')).dueAt).toBe(at('2026-11-30T17:00:00Z'));
    expect(lastScheduled(MONDAY_9, 'America/Los_Angeles', at('2026-07-08T00:00:00Z')).dueAt).toBe(at('2026-07-06T16:00:00Z'));
  });

  it('keeps the hour admins chose across a daylight saving change (Los Angeles, 2027-03-14 and 2026-11-01)', () => {
    // The Monday after clocks sprang forward: 09:00 PDT is 16:00 UTC, a week after 09:00 PST (17:00 UTC).
    const before = lastScheduled(MONDAY_9, 'America/Los_Angeles', at('2027-03-09T00:00:00Z'));
    const after = lastScheduled(MONDAY_9, 'America/Los_Angeles', at('2027-03-16T00:00:00Z'));
    expect(before.dueAt).toBe(at('2027-03-08T17:00:00Z'));
    expect(after.dueAt).toBe(at('2027-03-15T16:00:00Z'));
    expect(after.dueAt - before.dueAt).toBe(7 * 24 * 3_600_000 - 3_600_000);
    // Sunday 02:00 on the spring-forward day never happens: the report goes when the clock jumps past it.
    expect(lastScheduled({ day: 7, hour: 2 }, 'America/Los_Angeles', at('2027-03-14T12:00:00Z')).dueAt).toBe(at('2027-03-14T10:00:00Z'));
    // Sunday 01:00 on the fall-back day happens twice: the first.
    expect(lastScheduled({ day: 7, hour: 1 }, 'America/Los_Angeles', at('2026-11-01T12:00:00Z')).dueAt).toBe(at('2026-11-01T08:00:00Z'));
  });

  it('names weeks by ISO 8601 in the zone, across the turn of a year', () => {
    // Monday 2026-12-28 is in week 53 of 2026; Monday 2027-01-04 is week 1 of 2027.
    expect(lastScheduled(MONDAY_9, 'UTC', at('2026-12-31T00:00:00Z')).week).toBe('2026-W53');
    expect(lastScheduled(MONDAY_9, 'UTC', at('2027-01-05T00:00:00Z')).week).toBe('2027-W01');
    // Sunday 2027-01-03 in Shanghai is already Sunday 23:30 there while UTC is 15:30: still 2026-W53.
    expect(lastScheduled({ day: 7, hour: 23 }, 'Asia/Shanghai', at('2027-01-03T15:30:00Z')).week).toBe('2026-W53');
  });

  it('is due from its time for a day, not for an account opened after it', () => {
    const dueAt = at('2026-11-30T01:00:00Z');
    // A second before it, last week's is long past its catch-up window: nothing is due.
    expect(dueReport(MONDAY_9, 'Asia/Shanghai', dueAt - 1, 0)).toBeNull();
    expect(dueReport(MONDAY_9, 'Asia/Shanghai', dueAt, 0)).toEqual({ week: '2026-W49', dueAt });
    expect(dueReport(MONDAY_9, 'Asia/Shanghai', dueAt + REPORT_CATCH_UP_MS - 1, 0)?.week).toBe('2026-W49');
    expect(dueReport(MONDAY_9, 'Asia/Shanghai', dueAt + REPORT_CATCH_UP_MS, 0)).toBeNull();
    expect(dueReport(MONDAY_9, 'Asia/Shanghai', dueAt + 60_000, dueAt + 1)).toBeNull();
  });
});
