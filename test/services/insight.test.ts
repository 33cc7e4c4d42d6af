import { describe, expect, it } from 'vitest';
import { journalSum, ledgerFixture, usage } from '../support/ledgerFixture.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('insight', () => {
  it('breaks usage down by call type and destination', async () => {
    const { ledger, clock } = ledgerFixture();
    await ledger.grantFunds('t1', { amount: '100', currency: 'USD', idempotencyKey: 'g', actor: 'operator' });
    await ledger.ingestUsage([
      usage('t1', '1.00', clock, { durationSeconds: 120 }),
      usage('t1', '2.00', clock, { durationSeconds: 60 }),
      usage('t1', '5.00', clock, { callType: 'conf_out', destinationContext: 'International', destinationName: 'Japan', durationSeconds: 300 }),
    ]);
    const insight = (await ledger.insight('t1'))!;
    expect(insight.breakdown.rows).toEqual([
      { callType: 'conf_out', destination: 'Japan', calls: 1, seconds: 300, minor: 500 },
      { callType: 'user_out', destination: 'Domestic', calls: 2, seconds: 180, minor: 300 },
    ]);
    expect(insight.breakdown.total).toEqual({ calls: 3, seconds: 480, minor: 800 });
  });

  it('forecasts the runway from the trailing 30-day burn and suggests a recharge', async () => {
    const { ledger, clock } = ledgerFixture();
    await ledger.grantFunds('t1', { amount: '100', currency: 'USD', idempotencyKey: 'g', actor: 'operator' });
    // 1.00 a day for 30 days.
    for (let d = 0; d < 30; d++) {
      await ledger.ingestUsage([usage('t1', '1.00', clock)]);
      clock.advance(DAY);
    }
    clock.advance(-DAY);
    let { runway } = (await ledger.insight('t1'))!;
    expect(runway).toMatchObject({ spentMinor: 3000, dailyBurnMinor: 100, daysLeft: 70, until: 'zero', suggestedRechargeMinor: 3000 });
    await ledger.setAutoRecharge('t1', { enabled: true, trigger: '20', amount: '50' }, 'admin');
    ({ runway } = (await ledger.insight('t1'))!);
    expect(runway).toMatchObject({ daysLeft: 50, until: 'trigger' });
  });

  it('has no forecast without usage', async () => {
    const { ledger } = ledgerFixture();
    await ledger.grantFunds('t1', { amount: '100', currency: 'USD', idempotencyKey: 'g', actor: 'operator' });
    expect((await ledger.insight('t1'))!.runway).toMatchObject({ daysLeft: null, suggestedRechargeMinor: null });
    expect(await ledger.insight('nobody')).toBeNull();
  });

  it('alerts once when an hour spends far above the weekly baseline', async () => {
    const { ledger, store, clock } = ledgerFixture();
    await ledger.grantFunds('t1', { amount: '5000', currency: 'USD', idempotencyKey: 'g', actor: 'operator' });
    // A quiet week: 1.00 an hour.
    for (let h = 0; h < 7 * 24; h++) {
      await ledger.ingestUsage([usage('t1', '1.00', clock)]);
      clock.advance(HOUR);
    }
    expect(store.alertsOf('t1', 'unusual-spend')).toEqual([]);
    // Then 60.00 within one hour, in small calls: the first 10.00 is 10 times the usual (threshold: 5 × 1.00, at least 10.00).
    for (let i = 0; i < 6; i++) await ledger.ingestUsage([usage('t1', '10.00', clock)]);
    const alerts = store.alertsOf('t1', 'unusual-spend');
    expect(alerts).toEqual([expect.objectContaining({ reason: 'hourly-spike', spendMinor: 1000, baselineMinor: 100, thresholdMinor: 1000 })]);
    expect(journalSum(store, 't1')).toBe((await ledger.account('t1'))!.balanceMinor);
  });

  it("compares an hour with the tenant's own week, never with the low-balance threshold: $262 in an hour at a $300 threshold alerts", async () => {
    const { ledger, store, clock } = ledgerFixture();
    await ledger.grantFunds('t1', { amount: '5000', currency: 'USD', idempotencyKey: 'g', actor: 'operator' });
    await ledger.setLowBalanceAlert('t1', '300', 'admin');
    // A week at 2.00 an hour, then 262.00 within one hour.
    for (let h = 0; h < 7 * 24; h++) {
      await ledger.ingestUsage([usage('t1', '2.00', clock)]);
      clock.advance(HOUR);
    }
    for (let i = 0; i < 4; i++) await ledger.ingestUsage([usage('t1', '65.50', clock)]);
    const spikes = store.alertsOf('t1', 'unusual-spend');
    // 5 × 2.00 = 10.00, and never below the smallest addition (10.00): the first 65.50 crosses it.
    expect(spikes).toEqual([expect.objectContaining({ reason: 'hourly-spike', spendMinor: 6550, baselineMinor: 200, thresholdMinor: 1000 })]);
  });

  it('a quiet week does not make every call a spike: below the smallest addition nothing alerts', async () => {
    const { ledger, store, clock } = ledgerFixture();
    await ledger.grantFunds('t1', { amount: '500', currency: 'USD', idempotencyKey: 'g', actor: 'operator' });
    await ledger.ingestUsage([usage('t1', '0.50', clock)]);
    clock.advance(2 * HOUR);
    for (let i = 0; i < 9; i++) await ledger.ingestUsage([usage('t1', '1.00', clock)]);
    expect(store.alertsOf('t1', 'unusual-spend')).toEqual([]);
    await ledger.ingestUsage([usage('t1', '1.00', clock)]);
    expect(store.alertsOf('t1', 'unusual-spend')).toEqual([expect.objectContaining({ spendMinor: 1000, baselineMinor: 0, thresholdMinor: 1000 })]);
  });

  it("a week without any spend is no baseline: a tenant's first calls raise no spike", async () => {
    const { ledger, store, clock } = ledgerFixture();
    await ledger.grantFunds('t1', { amount: '500', currency: 'USD', idempotencyKey: 'g', actor: 'operator' });
    await ledger.ingestUsage([usage('t1', '200.00', clock)]);
    expect(store.alertsOf('t1', 'unusual-spend')).toEqual([]);
  });

  it('alerts on calls to a country never called before, but not on the very first usage', async () => {
    const { ledger, store, clock } = ledgerFixture();
    await ledger.grantFunds('t1', { amount: '100', currency: 'USD', idempotencyKey: 'g', actor: 'operator' });
    const intl = (country: string) => usage('t1', '0.50', clock, { destinationContext: 'International', destinationName: country });
    await ledger.ingestUsage([intl('Japan')]);
    await ledger.ingestUsage([intl('Japan'), usage('t1', '0.10', clock)]);
    expect(store.alertsOf('t1', 'unusual-spend')).toEqual([]);
    await ledger.ingestUsage([intl('Somalia'), intl('Somalia'), intl('Japan')]);
    expect(store.alertsOf('t1', 'unusual-spend')).toEqual([expect.objectContaining({ reason: 'new-destination', destination: 'Somalia' })]);
  });
});
