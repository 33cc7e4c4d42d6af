import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../../services/ledger/journal.js';
import {
  breakDownUsage,
  journalUsageBreakdown,
  NO_DEPARTMENT,
  UNKNOWN_USER,
  usageCallOf,
  type UsageBreakdownQuery,
} from '../../../services/insight/usageBreakdown.js';
import { ledgerFixture, usage } from '../../support/ledgerFixture.js';

const DAY = 86_400_000;
const from = Date.parse('2026-01-10T00:00:00Z');
const to = Date.parse('2026-01-15T00:00:00Z');

/**
 * Six calls of tenant t1, the clock at 2026-01-15T12:00Z. Hand-computed totals (cents):
 *   ana@contoso.com (Sales, two spellings of the UPN): 120 + 30 = 150, 2 calls, 180 s
 *   bo@contoso.com (no department):                     75, 1 call, 60 s
 *   no UPN, no user id (a bot call):                    40, 1 call, 0 s
 *   user id only (u-7, Support):                        9, 1 call, 30 s
 *   outside the range (Jan 9 and Jan 15):               500 and 1000, not counted
 */
async function sixCalls() {
  const { ledger, clock } = ledgerFixture();
  const at = (day: number, hour: number) => new Date(Date.parse(`2026-01-${String(day).padStart(2, '0')}T00:00:00Z`) + hour * 3_600_000).toISOString();
  const result = await ledger.ingestUsage([
    usage('t1', '1.20', clock, {
      startDateTime: at(10, 9),
      durationSeconds: 120,
      userPrincipalName: 'Ana@Contoso.com',
      userDisplayName: 'Ana Lima',
      department: 'Sales',
      destinationContext: 'International',
      destinationName: 'Japan',
    }),
    usage('t1', '0.30', clock, { startDateTime: at(12, 23), durationSeconds: 60, userPrincipalName: 'ana@contoso.com', department: 'Sales' }),
    usage('t1', '0.75', clock, { startDateTime: at(12, 1), durationSeconds: 60, userPrincipalName: 'bo@contoso.com', userDisplayName: 'Bo Chen' }),
    usage('t1', '0.40', clock, { startDateTime: at(14, 23.99), durationSeconds: null, userId: null, callType: 'ucap_out' }),
    usage('t1', '0.09', clock, { startDateTime: at(13, 5), durationSeconds: 30, userId: 'u-7', department: 'Support', callType: null }),
    usage('t1', '5.00', clock, { startDateTime: at(9, 23.99), userPrincipalName: 'ana@contoso.com' }),
    usage('t1', '10.00', clock, { startDateTime: at(15, 0), userPrincipalName: 'bo@contoso.com' }),
  ]);
  expect(result).toEqual({ accepted: 7, duplicates: 0, rejected: [] });
  const account = (await ledger.account('t1'))!;
  const entries = await ledger.journal('t1', 0, 100);
  return { ledger, account, entries };
}

const calls = (entries: JournalEntry[]) => entries.map(usageCallOf).filter((c) => c !== null);
const query = (groupBy: UsageBreakdownQuery['groupBy']): UsageBreakdownQuery => ({ groupBy, from, to });
const summary = (rows: Array<{ key: string; label: string; unknown: boolean; calls: number; seconds: number; minor: number }>) =>
  rows.map((r) => [r.key, r.label, r.unknown, r.calls, r.seconds, r.minor]);

describe('usage breakdown', () => {
  it('groups by user: UPN in any case, else the user id, else "unknown user"; the display name labels the row', async () => {
    const { entries } = await sixCalls();
    const breakdown = breakDownUsage(calls(entries), query('user'));
    expect(summary(breakdown.rows)).toEqual([
      ['ana@contoso.com', 'Ana Lima', false, 2, 180, 150],
      ['bo@contoso.com', 'Bo Chen', false, 1, 60, 75],
      [UNKNOWN_USER, UNKNOWN_USER, true, 1, 0, 40],
      ['u-7', 'u-7', false, 1, 30, 9],
    ]);
    expect(breakdown.total).toEqual({ calls: 5, seconds: 270, minor: 274 });
    expect(breakdown).toMatchObject({ groupBy: 'user', from: '2026-01-10T00:00:00.000Z', to: '2026-01-15T00:00:00.000Z' });
  });

  it('groups by department, with calls from rows without one as "no department"', async () => {
    const { entries } = await sixCalls();
    expect(summary(breakDownUsage(calls(entries), query('department')).rows)).toEqual([
      ['Sales', 'Sales', false, 2, 180, 150],
      [NO_DEPARTMENT, NO_DEPARTMENT, true, 2, 60, 115],
      ['Support', 'Support', false, 1, 30, 9],
    ]);
  });

  it('groups by destination and by call type', async () => {
    const { entries } = await sixCalls();
    expect(summary(breakDownUsage(calls(entries), query('destination')).rows)).toEqual([
      ['Domestic', 'Domestic', false, 4, 150, 154],
      ['Japan', 'Japan', false, 1, 120, 120],
    ]);
    expect(summary(breakDownUsage(calls(entries), query('callType')).rows)).toEqual([
      ['user_out', 'user_out', false, 3, 240, 225],
      ['ucap_out', 'ucap_out', false, 1, 0, 40],
      ['unknown', 'unknown', true, 1, 30, 9],
    ]);
  });

  it('groups by UTC day of the call start, oldest first, leaving days without calls out', async () => {
    const { entries } = await sixCalls();
    expect(summary(breakDownUsage(calls(entries), query('day')).rows)).toEqual([
      ['2026-01-10', '2026-01-10', false, 1, 120, 120],
      ['2026-01-12', '2026-01-12', false, 2, 120, 105],
      ['2026-01-13', '2026-01-13', false, 1, 30, 9],
      ['2026-01-14', '2026-01-14', false, 1, 0, 40],
    ]);
  });

  it('reads the same from the journal, newest first, stopping at entries written before the range', async () => {
    const { ledger, account, entries } = await sixCalls();
    const read: number[] = [];
    const journal = (after: number, limit: number) => {
      read.push(after);
      return ledger.journal('t1', after, limit);
    };
    const fromJournal = await journalUsageBreakdown(journal, account.entryCount, query('user'), 10_000);
    expect(fromJournal).toEqual({ ...breakDownUsage(calls(entries), query('user')), truncated: false });
    // Every entry was written at the clock's time (after `from`): the scan reads back to the first.
    expect(read).toEqual([0]);

    // Entries written before the range end the scan: a range starting after them finds nothing.
    const later = await journalUsageBreakdown(journal, account.entryCount, { groupBy: 'user', from: to + DAY, to: to + 2 * DAY }, 10_000);
    expect(later).toMatchObject({ rows: [], total: { calls: 0, seconds: 0, minor: 0 }, truncated: false });
  });

  it('says when it stopped at its read limit', async () => {
    const { ledger, account } = await sixCalls();
    const capped = await journalUsageBreakdown((after, limit) => ledger.journal('t1', after, limit), account.entryCount, query('user'), 3);
    expect(capped.truncated).toBe(true);
    // The three newest entries: the Jan 15 and Jan 9 calls (outside the range) and the u-7 call.
    expect(capped.total).toEqual({ calls: 1, seconds: 30, minor: 9 });
  });

  it('labels a renamed user by the name on their newest call when read from the journal', async () => {
    const { ledger, clock } = ledgerFixture();
    const upn = { userPrincipalName: 'ana@contoso.com' };
    await ledger.ingestUsage([usage('t1', '0.10', clock, { ...upn, userDisplayName: 'Ana Lima' })]);
    clock.advance(60_000);
    await ledger.ingestUsage([usage('t1', '0.20', clock, { ...upn, userDisplayName: 'Ana Lima-Souza' })]);
    const account = (await ledger.account('t1'))!;
    const range = { groupBy: 'user' as const, from: clock.now() - DAY, to: clock.now() + DAY };
    const breakdown = await journalUsageBreakdown((after, limit) => ledger.journal('t1', after, limit), account.entryCount, range, 100);
    expect(breakdown.rows).toMatchObject([{ key: 'ana@contoso.com', label: 'Ana Lima-Souza', calls: 2, minor: 30 }]);
  });

  it('keeps who called and their department on the journal entry', async () => {
    const { entries } = await sixCalls();
    const first = entries.find((e) => e.detail.kind === 'usage')!;
    expect(first.detail).toMatchObject({ usage: { userPrincipalName: 'Ana@Contoso.com', userDisplayName: 'Ana Lima', department: 'Sales' } });
    const bot = entries.find((e) => e.detail.kind === 'usage' && e.detail.usage.callType === 'ucap_out')!;
    expect(bot.detail.kind === 'usage' && Object.keys(bot.detail.usage)).not.toContain('userPrincipalName');
  });
});
