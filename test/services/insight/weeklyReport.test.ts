import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../services/alerts.js';
import type { WeeklyReportContext } from '../../../services/ledgerService.js';
import { LedgerService } from '../../../services/ledgerService.js';
import { ledgerFixture, POLICY, purchase, RATES, usage } from '../../support/ledgerFixture.js';
import { pricer } from '../../../services/rates.js';

const SH = 'tenant-shanghai';
const LA = 'tenant-los-angeles';
const NAMES: Record<string, string> = { 'aad-li': 'Li Wei', 'aad-ana': 'Ana Ruiz' };
const context: WeeklyReportContext = { zoneOf: async () => null, nameOf: async (_tenant, userId) => NAMES[userId] ?? null };

type ReportAlert = Extract<Alert, { type: 'weekly-report' }>;
const reports = (store: { alertsOf(tenantId: string, type?: string): Alert[] }, tenantId: string) => store.alertsOf(tenantId, 'weekly-report') as ReportAlert[];

/**
 * A Shanghai tenant (Monday 09:00 there is Monday 01:00 UTC) with hand-counted usage: the week
 * before the report (23 Nov 01:00 – 30 Nov 01:00 UTC) and the one before that.
 */
async function shanghaiTenant() {
  const fixture = ledgerFixture();
  const { clock, ledger, gateway } = fixture;
  clock.set('2026-11-10T00:00:00Z');
  await ledger.grantFunds(SH, { amount: '100.00', currency: 'USD', actor: 'operator', idempotencyKey: 'seed' });
  await ledger.setWeeklyReportSchedule(SH, { day: 1, hour: 9, timeZone: 'Asia/Shanghai' }, 'aad-li');
  const call = async (startedAt: string, charge: string, extra: Parameters<typeof usage>[3] = {}) => {
    const started = Date.parse(startedAt);
    const record = usage(SH, charge, clock, {
      startDateTime: new Date(started).toISOString(),
      endDateTime: new Date(started + 60_000).toISOString(),
      ...extra,
    });
    expect((await ledger.ingestUsage([record])).accepted).toBe(1);
  };
  // The week before: 2.00.
  clock.set('2026-11-20T12:00:00Z');
  await call('2026-11-20T10:00:00Z', '2.00', { userId: 'aad-li' });
  // The week: Japan 3.00 + 1.00 by Li, Domestic 1.50 by Ana, 0.40 by nobody, 6 other countries 0.10 each.
  clock.set('2026-11-25T12:00:00Z');
  await call('2026-11-25T08:00:00Z', '3.00', { userId: 'aad-li', destinationContext: 'International', destinationName: 'Japan' });
  await call('2026-11-25T09:00:00Z', '1.00', { userId: 'aad-li', destinationContext: 'International', destinationName: 'Japan' });
  await call('2026-11-25T10:00:00Z', '1.50', { userId: 'aad-ana' });
  await call('2026-11-25T11:00:00Z', '0.40', { userId: null });
  for (const country of ['Chile', 'Peru', 'Kenya', 'Ghana', 'Nepal', 'Fiji']) {
    await call('2026-11-26T11:00:00Z', '0.10', { userId: 'aad-ana', destinationContext: 'International', destinationName: country });
  }
  // An admin's purchase and a declined one within the week.
  expect((await purchase(ledger, SH, '25.00')).ok).toBe(true);
  await gateway.chooseTestCard(SH, 'mastercard-decline');
  expect((await purchase(ledger, SH, '30.00')).ok).toBe(false);
  await gateway.chooseTestCard(SH, 'visa-success');
  // Imported after the week ended but started in it: counted. Started after it: not this week's.
  clock.set('2026-11-30T01:20:00Z');
  await call('2026-11-30T00:59:00Z', '0.25', { userId: 'aad-ana' });
  await call('2026-11-30T01:05:00Z', '9.00', { userId: 'aad-ana' });
  return fixture;
}

describe('the weekly report', () => {
  it('sums the week in the tenant zone against the week before, with top destinations, callers, payments and expiring funds', async () => {
    const { clock, ledger, store } = await shanghaiTenant();
    clock.set('2026-11-30T01:30:00Z');
    expect(await ledger.raiseDueWeeklyReports(context)).toEqual({ raised: 1 });
    const [alert] = reports(store, SH);
    const r = alert!.report;
    expect(r).toMatchObject({ week: '2026-W49', from: '2026-11-23T01:00:00.000Z', to: '2026-11-30T01:00:00.000Z', status: 'active', complete: true });
    // 3.00 + 1.00 + 1.50 + 0.40 + 6 × 0.10 + 0.25
    expect(r.thisWeek).toMatchObject({ minor: 675, calls: 11 });
    expect(r.lastWeek).toMatchObject({ minor: 200, calls: 1 });
    expect(r.topDestinations.map((d) => [d.destination, d.minor, d.calls])).toEqual([
      ['Japan', 400, 2],
      ['Domestic', 215, 3],
      ['Chile', 10, 1],
      ['Fiji', 10, 1],
      ['Ghana', 10, 1],
    ]);
    expect(r.otherDestinations).toMatchObject({ minor: 30, calls: 3 });
    expect(r.topUsers.map((u) => [u.userId, u.name, u.minor])).toEqual([
      ['aad-li', 'Li Wei', 400],
      ['aad-ana', 'Ana Ruiz', 235],
      [null, null, 40],
    ]);
    expect(r.otherUsers).toMatchObject({ minor: 0, calls: 0 });
    expect(r.otherAdditions).toEqual({ count: 1, minor: 2500 });
    expect(r.autoRecharges).toEqual({ count: 0, minor: 0 });
    expect(r.failedPayments).toEqual({ count: 1, lastReason: 'declined' });
    // The balance is the account's at the raise: 100 + 25 − 2 − 6.75 − 9.
    expect(alert!.balanceMinor).toBe(10_725);
    expect(r.expiring).toEqual([]);
  });

  it('is raised once per tenant and week: again, by another service on the same store (a restart), or later that week', async () => {
    const { clock, ledger, store, gateway } = await shanghaiTenant();
    clock.set('2026-11-30T01:00:00Z');
    expect(await ledger.raiseDueWeeklyReports(context)).toEqual({ raised: 1 });
    expect(await ledger.raiseDueWeeklyReports(context)).toEqual({ raised: 0 });
    const restarted = new LedgerService({ store, gateway, clock, policy: POLICY, price: pricer(RATES) });
    clock.set('2026-11-30T20:00:00Z');
    expect(await restarted.raiseDueWeeklyReports(context)).toEqual({ raised: 0 });
    // Even when admins move the day to later in the same ISO week.
    await restarted.setWeeklyReportSchedule(SH, { day: 3, hour: 9, timeZone: 'Asia/Shanghai' }, 'aad-li');
    clock.set('2026-12-02T01:00:00Z');
    expect(await restarted.raiseDueWeeklyReports(context)).toEqual({ raised: 0 });
    // The next week's comes.
    clock.set('2026-12-09T01:00:00Z');
    expect(await restarted.raiseDueWeeklyReports(context)).toEqual({ raised: 1 });
    expect(reports(store, SH).map((a) => a.report.week)).toEqual(['2026-W49', '2026-W50']);
    const journal = await ledger.journal(SH, 0, 1000);
    expect(journal.filter((e) => e.kind === 'weekly-report').map((e) => e.idempotencyKey)).toEqual([`report:${SH}:2026-W49`, `report:${SH}:2026-W50`]);
  });

  it('raises on the hour of each tenant zone: Shanghai Monday 01:00 UTC, Los Angeles Monday 17:00 UTC in winter and 16:00 in summer', async () => {
    const { clock, ledger, store } = ledgerFixture();
    clock.set('2026-06-01T00:00:00Z');
    for (const [tenant, zone] of [
      [SH, 'Asia/Shanghai'],
      [LA, 'America/Los_Angeles'],
    ] as const) {
      await ledger.grantFunds(tenant, { amount: '50.00', currency: 'USD', actor: 'operator', idempotencyKey: 'seed' });
      await ledger.setWeeklyReportSchedule(tenant, { day: 1, hour: 9, timeZone: zone }, 'aad-admin');
    }
    const raisedAt = async (iso: string) => {
      clock.set(iso);
      await ledger.raiseDueWeeklyReports(context);
      return [reports(store, SH).length, reports(store, LA).length];
    };
    expect(await raisedAt('2026-11-30T00:59:00Z')).toEqual([0, 0]);
    expect(await raisedAt('2026-11-30T01:00:00Z')).toEqual([1, 0]);
    expect(await raisedAt('2026-11-30T16:59:00Z')).toEqual([1, 0]);
    expect(await raisedAt('2026-11-30T17:00:00Z')).toEqual([1, 1]);
    // Summer time in Los Angeles (Shanghai has none).
    expect(await raisedAt('2027-03-15T01:00:00Z')).toEqual([2, 1]);
    expect(await raisedAt('2027-03-15T16:00:00Z')).toEqual([2, 2]);
    expect(reports(store, LA).map((a) => a.report.to)).toEqual(['2026-11-30T17:00:00.000Z', '2027-03-15T16:00:00.000Z']);
  });

  it('follows the zone of the tenant admins until one sets the hour, and is not sent for a week the account did not see begin', async () => {
    const { clock, ledger, store } = ledgerFixture();
    clock.set('2026-11-30T02:00:00Z');
    await ledger.grantFunds(SH, { amount: '50.00', currency: 'USD', actor: 'operator', idempotencyKey: 'seed' });
    await ledger.raiseDueWeeklyReports({ ...context, zoneOf: async () => 'Asia/Shanghai' });
    expect(reports(store, SH)).toHaveLength(0);
    clock.set('2026-12-07T01:00:00Z');
    // UTC would be 09:00 UTC: not yet.
    await ledger.raiseDueWeeklyReports(context);
    expect(reports(store, SH)).toHaveLength(0);
    await ledger.raiseDueWeeklyReports({ ...context, zoneOf: async () => 'Asia/Shanghai' });
    expect(reports(store, SH).map((a) => a.report.week)).toEqual(['2026-W50']);
  });

  it('names the admins who switched it off, and one switched back on is not named', async () => {
    const { clock, ledger, store } = await shanghaiTenant();
    await ledger.setWeeklyReportOptOut(SH, 'aad-li', true);
    await ledger.setWeeklyReportOptOut(SH, 'aad-ana', true);
    await ledger.setWeeklyReportOptOut(SH, 'aad-ana', false);
    clock.set('2026-11-30T01:00:00Z');
    await ledger.raiseDueWeeklyReports(context);
    expect(reports(store, SH)[0]!.optedOut).toEqual(['aad-li']);
    const settings = (await ledger.journal(SH, 0, 1000)).filter((e) => e.kind === 'settings-changed').map((e) => e.detail);
    expect(settings).toContainEqual({ kind: 'settings-changed', weeklyReportOptOut: { actor: 'aad-li', optedOut: true } });
  });

  it('built on request, it covers the last seven days and is neither stored nor the week\u2019s', async () => {
    const { clock, ledger, store } = await shanghaiTenant();
    clock.set('2026-11-29T12:00:00Z');
    const now = await ledger.weeklyReportNow(SH, context);
    expect(now?.report).toMatchObject({ week: null, from: '2026-11-22T12:00:00.000Z', to: '2026-11-29T12:00:00.000Z' });
    expect(store.alertsOf(SH)).not.toContainEqual(expect.objectContaining({ type: 'weekly-report' }));
    expect((await ledger.journal(SH, 0, 1000)).some((e) => e.kind === 'weekly-report')).toBe(false);
    clock.set('2026-11-30T01:00:00Z');
    expect(await ledger.raiseDueWeeklyReports(context)).toEqual({ raised: 1 });
    expect(await ledger.weeklyReportNow('no-such-tenant', context)).toBeNull();
  });

  it('lists funds expiring within 30 days of the report', async () => {
    const { clock, ledger, store } = ledgerFixture();
    clock.set('2025-12-20T00:00:00Z');
    await ledger.grantFunds(SH, { amount: '40.00', currency: 'USD', actor: 'operator', idempotencyKey: 'old' });
    clock.set('2026-11-01T00:00:00Z');
    await ledger.grantFunds(SH, { amount: '60.00', currency: 'USD', actor: 'operator', idempotencyKey: 'new' });
    await ledger.setWeeklyReportSchedule(SH, { day: 1, hour: 9, timeZone: 'Asia/Shanghai' }, 'aad-li');
    clock.set('2026-11-30T01:00:00Z');
    await ledger.raiseDueWeeklyReports(context);
    expect(reports(store, SH)[0]!.report.expiring).toEqual([{ remainingMinor: 4000, expiresAt: '2026-12-20T00:00:00.000Z' }]);
  });
});
