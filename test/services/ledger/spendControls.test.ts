import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rechargedThisMonth, rechargeStatus } from '../../../services/ledger/autoRecharge.js';
import { applyEntry } from '../../../services/ledger/applyEntry.js';
import type { Account } from '../../../services/ledger/account.js';
import { journalSum, ledgerFixture, sandboxCharges, usage } from '../../support/ledgerFixture.js';
import type { TestClock } from '../../support/memoryLedgerStore.js';

const HOUR = 3_600_000;

/** $30 on the account, auto-recharge below $20 add $50, and the given spend controls. */
async function withCaps(caps: { max?: string; count?: number; daily?: string; timeZone?: string }, at = '2026-01-15T12:00:00Z') {
  const fixture = ledgerFixture();
  fixture.clock.set(at);
  const { ledger } = fixture;
  await ledger.grantFunds('t1', { amount: '30', currency: 'USD', idempotencyKey: 'seed', actor: 'operator' });
  expect(await ledger.setAutoRecharge('t1', { enabled: true, trigger: '20', amount: '50' }, 'admin')).toMatchObject({ ok: true });
  const set = await ledger.setSpendControls(
    't1',
    {
      ...(caps.max ? { monthlyRechargeMax: caps.max } : {}),
      ...(caps.count ? { monthlyRechargeCount: caps.count } : {}),
      ...(caps.daily ? { dailySpendAlert: caps.daily } : {}),
      ...(caps.timeZone ? { timeZone: caps.timeZone } : {}),
    },
    'admin',
  );
  expect(set).toMatchObject({ ok: true });
  return fixture;
}

/** Spends enough to take the balance below the trigger from wherever it is, and waits for any recharge. */
async function spendBelowTrigger(fixture: Awaited<ReturnType<typeof withCaps>>) {
  const balance = (await fixture.ledger.account('t1'))!.balanceMinor;
  const charge = Math.max(balance - 1999, 1);
  await fixture.ledger.ingestUsage([usage('t1', (charge / 100).toFixed(2), fixture.clock)]);
  await fixture.ledger.idle();
}

const recharges = (fixture: Awaited<ReturnType<typeof withCaps>>) =>
  fixture.store.entries.get('t1')!.filter((e) => e.kind === 'funds-added' && e.detail.kind === 'funds-added' && e.detail.source === 'auto-recharge');

describe('monthly auto-recharge cap', () => {
  it('a count cap allows that many recharges a month, then pauses for the month, says so once, and resumes the next month', async () => {
    const fixture = await withCaps({ count: 2 });
    const { store, clock, ledger } = fixture;
    for (let i = 0; i < 4; i++) await spendBelowTrigger(fixture);
    expect(recharges(fixture)).toHaveLength(2);
    expect(store.alertsOf('t1', 'auto-recharge-limited')).toEqual([
      expect.objectContaining({ limit: 'count', month: '2026-01', maxCount: 2, recharges: 2, rechargedMinor: 10_000, resumesAt: '2026-02-01T00:00:00.000Z' }),
    ]);
    expect(store.entries.get('t1')!.filter((e) => e.kind === 'auto-recharge-limited')).toHaveLength(1);
    const account = (await ledger.account('t1'))!;
    expect(rechargeStatus(account, clock.now())).toBe('limited-this-month');
    expect(account.balanceMinor).toBeLessThan(2000);

    clock.set('2026-02-01T00:00:01Z');
    expect(rechargeStatus((await ledger.account('t1'))!, clock.now())).toBe('ready');
    await spendBelowTrigger(fixture);
    expect(recharges(fixture)).toHaveLength(3);
    expect(journalSum(store, 't1')).toBe((await ledger.account('t1'))!.balanceMinor);
  });

  it('a suspended account (no calls, so no usage) still recharges at the next month: the sweep starts it', async () => {
    const fixture = await withCaps({ count: 1 });
    const { ledger, clock, store } = fixture;
    await spendBelowTrigger(fixture);
    await ledger.ingestUsage([usage('t1', '80.00', clock)]);
    await ledger.idle();
    expect((await ledger.account('t1'))!.balanceMinor).toBeLessThan(0);
    expect(recharges(fixture)).toHaveLength(1);
    clock.set('2026-02-01T00:05:00Z');
    await ledger.sweep();
    await ledger.idle();
    expect(recharges(fixture)).toHaveLength(2);
    expect(store.alertsOf('t1', 'auto-recharge-limited')).toHaveLength(1);
  });

  it('an amount cap never lets the month take more than the cap, and a recharge that would pass it does not start', async () => {
    const fixture = await withCaps({ max: '120' });
    for (let i = 0; i < 4; i++) await spendBelowTrigger(fixture);
    // 50 + 50 = 100; a third 50 would make 150 > 120.
    expect(recharges(fixture)).toHaveLength(2);
    expect(sandboxCharges(fixture.gateway)).toHaveLength(2);
    expect(fixture.store.alertsOf('t1', 'auto-recharge-limited')).toEqual([
      expect.objectContaining({ limit: 'amount', maxMinor: 12_000, rechargedMinor: 10_000 }),
    ]);
  });

  it('counts months in the tenant time zone: in Shanghai 31 January 17:00 UTC is already February', async () => {
    const fixture = await withCaps({ count: 1, timeZone: 'Asia/Shanghai' }, '2026-01-31T10:00:00Z');
    const { clock } = fixture;
    await spendBelowTrigger(fixture);
    expect(recharges(fixture)).toHaveLength(1);
    clock.set('2026-01-31T15:30:00Z'); // 23:30 on 31 January in Shanghai: still January
    await spendBelowTrigger(fixture);
    expect(recharges(fixture)).toHaveLength(1);
    expect(fixture.store.alertsOf('t1', 'auto-recharge-limited')).toEqual([
      expect.objectContaining({ month: '2026-01', resumesAt: '2026-01-31T16:00:00.000Z' }),
    ]);
    clock.set('2026-01-31T17:00:00Z'); // 01:00 on 1 February in Shanghai, while UTC is still in January
    await spendBelowTrigger(fixture);
    expect(recharges(fixture)).toHaveLength(2);
    expect((await fixture.ledger.account('t1'))!.recharge.monthly).toEqual({ month: '2026-02', recharges: 1, addedMinor: 5000 });
  });

  it('counts months in the tenant time zone: in Los Angeles 1 February 03:00 UTC is still January', async () => {
    const fixture = await withCaps({ count: 1, timeZone: 'America/Los_Angeles' }, '2026-01-31T20:00:00Z');
    await spendBelowTrigger(fixture);
    fixture.clock.set('2026-02-01T03:00:00Z');
    await spendBelowTrigger(fixture);
    expect(recharges(fixture)).toHaveLength(1);
    fixture.clock.set('2026-02-01T08:00:00Z'); // midnight in Los Angeles
    await spendBelowTrigger(fixture);
    expect(recharges(fixture)).toHaveLength(2);
  });

  it('a recharge counts in the month it started, even when it is credited in the next', async () => {
    const fixture = await withCaps({ count: 1 }, '2026-01-31T23:59:00Z');
    const { ledger, clock } = fixture;
    const balance = (await ledger.account('t1'))!.balanceMinor;
    // Charged by a gateway that answers after midnight.
    const gateway = fixture.gateway as unknown as { charge: (...args: unknown[]) => Promise<unknown> };
    const charge = gateway.charge.bind(gateway);
    gateway.charge = async (...args) => {
      clock.set('2026-02-01T00:01:00Z');
      return charge(...args);
    };
    await ledger.ingestUsage([usage('t1', ((balance - 1999) / 100).toFixed(2), clock)]);
    await ledger.idle();
    expect((await ledger.account('t1'))!.recharge.monthly).toEqual({ month: '2026-01', recharges: 1, addedMinor: 5000 });
    gateway.charge = charge;
    await spendBelowTrigger(fixture);
    expect(recharges(fixture)).toHaveLength(2);
  });

  it('lifting the cap resumes at once when a recharge is due; a new cap still reached is said again', async () => {
    const fixture = await withCaps({ count: 1 });
    const { ledger, store } = fixture;
    await spendBelowTrigger(fixture);
    await spendBelowTrigger(fixture);
    expect(recharges(fixture)).toHaveLength(1);
    expect(await ledger.setSpendControls('t1', { monthlyRechargeCount: 2 }, 'admin')).toMatchObject({ ok: true });
    await ledger.idle();
    expect(recharges(fixture)).toHaveLength(2);
    await spendBelowTrigger(fixture);
    expect(store.alertsOf('t1', 'auto-recharge-limited')).toHaveLength(2);
    expect(await ledger.setSpendControls('t1', { monthlyRechargeCount: null }, 'admin')).toMatchObject({ ok: true });
    await ledger.idle();
    expect(recharges(fixture)).toHaveLength(3);
    expect((await ledger.account('t1'))!.spendControls.monthlyRechargeMaxCount).toBeNull();
  });

  it('refuses caps that make no sense, and changes nothing', async () => {
    const fixture = await withCaps({});
    const { ledger } = fixture;
    const before = fixture.store.entries.get('t1')!.length;
    expect(await ledger.setSpendControls('t1', { monthlyRechargeMax: '40' }, 'admin')).toEqual({
      ok: false,
      error: { code: 'monthly-limit-below-recharge', limitMinor: 4000, amountMinor: 5000, currency: 'USD' },
    });
    for (const count of [0, 101, '2.5', '-1', 'three', '1e3', 1.5])
      expect(await ledger.setSpendControls('t1', { monthlyRechargeCount: count }, 'admin')).toMatchObject({
        ok: false,
        error: { code: 'recharge-count-invalid' },
      });
    for (const amount of ['-5', 'abc', '1.001', '99999999999999999'])
      expect(await ledger.setSpendControls('t1', { dailySpendAlert: amount }, 'admin')).toMatchObject({ ok: false, error: { code: 'invalid-amount' } });
    expect(await ledger.setSpendControls('t1', { dailySpendAlert: '0' }, 'admin')).toMatchObject({ ok: false, error: { code: 'amount-too-small' } });
    // An unknown zone keeps the one there is.
    expect(await ledger.setSpendControls('t1', { dailySpendAlert: '5', timeZone: 'Mars/Olympus' }, 'admin')).toMatchObject({
      ok: true,
      value: { timeZone: 'UTC' },
    });
    expect(fixture.store.entries.get('t1')!.length).toBe(before + 1);
    // A recharge amount above the monthly cap is refused on the auto-recharge side too.
    expect(await ledger.setSpendControls('t1', { monthlyRechargeMax: '60' }, 'admin')).toMatchObject({ ok: true });
    expect(await ledger.setAutoRecharge('t1', { amount: '70' }, 'admin')).toMatchObject({
      ok: false,
      error: { code: 'monthly-limit-below-recharge', limitMinor: 6000 },
    });
  });

  it('the zone follows the admin who last changed a cap; a save that changes none keeps it and writes nothing', async () => {
    const fixture = await withCaps({ count: 2, timeZone: 'Asia/Shanghai' });
    const entries = () => fixture.store.entries.get('t1')!.length;
    const before = entries();
    expect(await fixture.ledger.setSpendControls('t1', { monthlyRechargeCount: 2, timeZone: 'America/New_York' }, 'other-admin')).toMatchObject({
      ok: true,
      value: { timeZone: 'Asia/Shanghai' },
    });
    expect(entries()).toBe(before);
    await fixture.ledger.setSpendControls('t1', { monthlyRechargeCount: 3, timeZone: 'America/New_York' }, 'other-admin');
    expect((await fixture.ledger.account('t1'))!.spendControls).toMatchObject({ monthlyRechargeMaxCount: 3, timeZone: 'America/New_York' });
  });

  it('the journal rebuilds the same tally and pause (recovery replays what the rules did)', async () => {
    const fixture = await withCaps({ count: 1, max: '400', daily: '10' });
    for (let i = 0; i < 3; i++) await spendBelowTrigger(fixture);
    let rebuilt: Account | undefined;
    for (const entry of fixture.store.entries.get('t1')!) rebuilt = applyEntry(rebuilt, structuredClone(entry));
    const live = (await fixture.ledger.account('t1'))!;
    expect(rebuilt!.recharge).toEqual(live.recharge);
    expect(rebuilt!.spendControls).toEqual(live.spendControls);
    expect(rebuilt!.dailySpendAlertedDay).toEqual(live.dailySpendAlertedDay);
    expect(live.recharge.limitedMonth).toBe('2026-01');
  });

  it('never one recharge too many, whatever concurrent usage, month changes and cap changes come (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 50, max: 250 }),
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant('usage' as const), batches: fc.integer({ min: 1, max: 8 }), cents: fc.integer({ min: 100, max: 4000 }) }),
            fc.record({ kind: fc.constant('later' as const), hours: fc.integer({ min: 1, max: 24 * 20 }) }),
            fc.record({ kind: fc.constant('count' as const), count: fc.integer({ min: 1, max: 4 }) }),
          ),
          { minLength: 1, maxLength: 25 },
        ),
        async (count, max, steps) => {
          const fixture = await withCaps({ count, max: String(max), timeZone: 'Asia/Kolkata' });
          const caps = { count };
          // Lowering a count cap below what the month already took stops further recharges; it cannot undo those made.
          const taken = new Map<string, number>();
          for (const step of steps) {
            if (step.kind === 'later') fixture.clock.advance(step.hours * HOUR);
            else if (step.kind === 'count') {
              const month = rechargedThisMonth((await fixture.ledger.account('t1'))!, fixture.clock.now());
              taken.set(month.month, Math.max(taken.get(month.month) ?? 0, month.recharges));
              await fixture.ledger.setSpendControls('t1', { monthlyRechargeCount: step.count }, 'admin');
              caps.count = step.count;
            } else
              await Promise.all(
                Array.from({ length: step.batches }, () => fixture.ledger.ingestUsage([usage('t1', (step.cents / 100).toFixed(2), fixture.clock)])),
              );
            await fixture.ledger.idle();
            const account = (await fixture.ledger.account('t1'))!;
            const month = account.recharge.monthly;
            // The tally is what the journal says the month's credited recharges were.
            const credited = monthOfRecharges(fixture.store.entries.get('t1')!, month.month);
            expect(credited).toEqual({ recharges: month.recharges, addedMinor: month.addedMinor });
            // Recharges start only in usage and cap steps, which keep the time: checking this month after each step checks every month.
            const now = rechargedThisMonth(account, fixture.clock.now());
            expect(now.recharges).toBeLessThanOrEqual(Math.max(caps.count, taken.get(now.month) ?? 0));
            expect(now.addedMinor).toBeLessThanOrEqual(max * 100);
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});

/** The recharges credited for attempts started in `month`, from the journal alone. */
function monthOfRecharges(entries: Array<{ kind: string; amountMinor: number; detail: { kind: string; month?: string; source?: string } }>, month: string) {
  let started: string | undefined;
  let recharges = 0;
  let addedMinor = 0;
  for (const entry of entries) {
    if (entry.detail.kind === 'auto-recharge-started') started = entry.detail.month;
    if (entry.detail.kind === 'funds-added' && entry.detail.source === 'auto-recharge' && started === month) {
      recharges++;
      addedMinor += entry.amountMinor;
    }
  }
  return { recharges, addedMinor };
}

describe('daily spend alert', () => {
  async function spend(fixture: { ledger: Awaited<ReturnType<typeof withCaps>>['ledger']; clock: TestClock }, amount: string, startedAt?: string) {
    const record = usage('t1', amount, fixture.clock, startedAt ? { startDateTime: startedAt } : {});
    await fixture.ledger.ingestUsage([record]);
    await fixture.ledger.idle();
  }

  it('alerts once when a day spends more than the amount, and again the next day', async () => {
    const fixture = await withCaps({ daily: '200' }, '2026-03-10T08:00:00Z');
    const { store, clock } = fixture;
    await spend(fixture, '150');
    await spend(fixture, '50'); // exactly 200: not more than
    expect(store.alertsOf('t1', 'daily-spend-exceeded')).toHaveLength(0);
    await spend(fixture, '0.01');
    await spend(fixture, '80');
    clock.advance(10 * HOUR);
    await spend(fixture, '80');
    expect(store.alertsOf('t1', 'daily-spend-exceeded')).toEqual([expect.objectContaining({ day: '2026-03-10', spentMinor: 20_001, ceilingMinor: 20_000 })]);
    clock.set('2026-03-11T00:30:00Z');
    await spend(fixture, '150');
    expect(store.alertsOf('t1', 'daily-spend-exceeded')).toHaveLength(1);
    await spend(fixture, '60');
    expect(store.alertsOf('t1', 'daily-spend-exceeded').map((a) => (a as { day?: string }).day)).toEqual(['2026-03-10', '2026-03-11']);
  });

  it('counts the day in the tenant time zone', async () => {
    // 23:00 UTC on 10 March is 07:00 on 11 March in Shanghai: the spend of the UTC day before does not count.
    const fixture = await withCaps({ daily: '100', timeZone: 'Asia/Shanghai' }, '2026-03-10T15:00:00Z');
    await spend(fixture, '90');
    fixture.clock.set('2026-03-10T23:00:00Z');
    await spend(fixture, '90');
    expect(fixture.store.alertsOf('t1', 'daily-spend-exceeded')).toHaveLength(0);
    await spend(fixture, '20');
    expect(fixture.store.alertsOf('t1', 'daily-spend-exceeded')).toEqual([expect.objectContaining({ day: '2026-03-11', spentMinor: 11_000 })]);
  });

  it('a late import of yesterday alerts for yesterday; older days and days already reported do not', async () => {
    const fixture = await withCaps({ daily: '100' }, '2026-03-12T09:00:00Z');
    await spend(fixture, '150', '2026-03-10T10:00:00Z');
    expect(fixture.store.alertsOf('t1', 'daily-spend-exceeded')).toHaveLength(0);
    await spend(fixture, '150', '2026-03-11T10:00:00Z');
    expect(fixture.store.alertsOf('t1', 'daily-spend-exceeded')).toEqual([expect.objectContaining({ day: '2026-03-11' })]);
    await spend(fixture, '150', '2026-03-12T08:00:00Z');
    await spend(fixture, '150', '2026-03-11T11:00:00Z');
    expect(fixture.store.alertsOf('t1', 'daily-spend-exceeded').map((a) => (a as { day?: string }).day)).toEqual(['2026-03-11', '2026-03-12']);
  });

  it('without a daily amount nothing is said, and removing it stops the alerts', async () => {
    const fixture = await withCaps({ daily: '10' });
    expect(await fixture.ledger.setSpendControls('t1', { dailySpendAlert: null }, 'admin')).toMatchObject({ ok: true });
    await spend(fixture, '50');
    expect(fixture.store.alertsOf('t1', 'daily-spend-exceeded')).toHaveLength(0);
  });
});
