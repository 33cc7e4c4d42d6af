import { describe, expect, it } from 'vitest';
import { accountStatus, invariantViolation } from '../../../services/ledger/account.js';
import { journalSum, ledgerFixture, usage } from '../../support/ledgerFixture.js';

const DAY = 86_400_000;

describe('usage', () => {
  it('draws lots first-in, first-out', async () => {
    const { ledger, clock } = ledgerFixture();
    await ledger.grantFunds('t1', { amount: '10', currency: 'USD', idempotencyKey: 'lot-a', actor: 'operator' });
    clock.advance(DAY);
    await ledger.grantFunds('t1', { amount: '20', currency: 'USD', idempotencyKey: 'lot-b', actor: 'operator' });
    await ledger.ingestUsage([usage('t1', '12.50', clock)]);
    const account = (await ledger.account('t1'))!;
    expect(account.lots.map((l) => [l.originalMinor, l.remainingMinor])).toEqual([[2000, 1750]]);
    expect(account.balanceMinor).toBe(1750);
  });

  it('goes below zero, suspends, and new funds repay the debt before they count', async () => {
    const { ledger, store, clock } = ledgerFixture();
    await ledger.grantFunds('t1', { amount: '10', currency: 'USD', idempotencyKey: 'g1', actor: 'operator' });
    await ledger.ingestUsage([usage('t1', '4.00', clock), usage('t1', '8.50', clock)]);
    let account = (await ledger.account('t1'))!;
    expect(account.balanceMinor).toBe(-250);
    expect(account.debtMinor).toBe(250);
    expect(account.lots).toEqual([]);
    expect(accountStatus(account)).toBe('suspended');
    expect(store.alertsOf('t1', 'suspended')).toHaveLength(1);

    await ledger.grantFunds('t1', { amount: '10', currency: 'USD', idempotencyKey: 'g2', actor: 'operator' });
    account = (await ledger.account('t1'))!;
    expect(account.balanceMinor).toBe(750);
    expect(account.debtMinor).toBe(0);
    expect(account.lots.map((l) => [l.originalMinor, l.remainingMinor])).toEqual([[1000, 750]]);
    expect(accountStatus(account)).toBe('active');
    expect(store.alertsOf('t1', 'resumed')).toHaveLength(1);
    expect(journalSum(store, 't1')).toBe(750);
    expect(invariantViolation(account)).toBeNull();
  });

  it('funds smaller than the debt leave the account suspended', async () => {
    const { ledger, clock } = ledgerFixture();
    await ledger.ingestUsage([usage('t1', '30.00', clock)]);
    await ledger.grantFunds('t1', { amount: '10', currency: 'USD', idempotencyKey: 'g', actor: 'operator' });
    const account = (await ledger.account('t1'))!;
    expect(account).toMatchObject({ balanceMinor: -2000, debtMinor: 2000, lots: [] });
    expect(accountStatus(account)).toBe('suspended');
  });

  it('a balance of exactly zero is suspended', async () => {
    const { ledger, clock, store } = ledgerFixture();
    await ledger.grantFunds('t1', { amount: '10', currency: 'USD', idempotencyKey: 'g', actor: 'operator' });
    await ledger.ingestUsage([usage('t1', '10.00', clock)]);
    expect(accountStatus((await ledger.account('t1'))!)).toBe('suspended');
    expect(store.alertsOf('t1', 'suspended')).toHaveLength(1);
  });

  it('raises low balance and suspension once per crossing, re-armed when cleared', async () => {
    const { ledger, store, clock } = ledgerFixture();
    await ledger.grantFunds('t1', { amount: '30', currency: 'USD', idempotencyKey: 'g1', actor: 'operator' });
    await ledger.ingestUsage([usage('t1', '15.00', clock)]);
    expect(store.alertsOf('t1', 'low-balance')).toHaveLength(0);
    await ledger.ingestUsage([usage('t1', '6.00', clock)]);
    await ledger.ingestUsage([usage('t1', '1.00', clock)]);
    await ledger.ingestUsage([usage('t1', '1.00', clock)]);
    expect(store.alertsOf('t1', 'low-balance')).toHaveLength(1);
    await ledger.grantFunds('t1', { amount: '20', currency: 'USD', idempotencyKey: 'g2', actor: 'operator' });
    await ledger.ingestUsage([usage('t1', '20.00', clock)]);
    expect(store.alertsOf('t1', 'low-balance')).toHaveLength(2);
    expect(store.alertsOf('t1', 'low-balance')[1]).toMatchObject({ balanceMinor: 700, thresholdMinor: 1000 });
  });

  it('counts a replayed record as a duplicate, within a batch and across batches', async () => {
    const { ledger, store, clock } = ledgerFixture();
    const a = usage('t1', '1.00', clock);
    const b = usage('t1', '2.00', clock);
    expect(await ledger.ingestUsage([a, b, a])).toEqual({ accepted: 2, duplicates: 1, rejected: [] });
    expect(await ledger.ingestUsage([b, a])).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
    expect((await ledger.account('t1'))!.balanceMinor).toBe(-300);
    expect(store.entries.get('t1')!.filter((e) => e.kind === 'usage')).toHaveLength(2);
  });

  it('rejects records outside the acceptance window, in another currency, or unpriceable, one by one', async () => {
    const { ledger, clock } = ledgerFixture();
    await ledger.grantFunds('t1', { amount: '50', currency: 'USD', idempotencyKey: 'g', actor: 'operator' });
    const old = usage('t1', '1.00', clock, { startDateTime: new Date(clock.now() - 91 * DAY).toISOString() });
    const edge = usage('t1', '1.00', clock, { startDateTime: new Date(clock.now() - 89 * DAY).toISOString() });
    const future = usage('t1', '1.00', clock, { startDateTime: new Date(clock.now() + 3 * DAY).toISOString() });
    const euros = usage('t1', '1.00', clock, { currency: 'EUR' });
    const unpriced = usage('t1', null, clock, { callType: 'mystery', destinationContext: 'Nowhere', destinationName: null });
    const good = usage('t1', '2.00', clock);
    const outcome = await ledger.ingestUsage([old, edge, future, euros, unpriced, good]);
    expect(outcome.accepted).toBe(2);
    expect(outcome.rejected.map((r) => r.index)).toEqual([0, 2, 3, 4]);
    expect(outcome.rejected[0]!.error).toMatch(/older than the 90-day/);
    expect(outcome.rejected[2]!.error).toMatch(/EUR differs from the account's USD/);
    expect(outcome.rejected[3]!.error).toMatch(/no rate/);
    expect((await ledger.account('t1'))!.balanceMinor).toBe(4700);
  });

  it('prices records without a charge from the rate table, rounded up to the started minute', async () => {
    const { ledger, store, clock } = ledgerFixture();
    // Japan: 0.01 connection + 3 started minutes × 0.085 = 0.265 → 0.27
    await ledger.ingestUsage([usage('t1', null, clock, { durationSeconds: 121, destinationContext: 'International', destinationName: 'Japan' })]);
    // Domestic: 1 minute × 0.019 → 0.02
    await ledger.ingestUsage([usage('t1', null, clock, { durationSeconds: 5 })]);
    // Elsewhere: the wildcard International rate: 0.02 + 2 × 0.25 = 0.52
    await ledger.ingestUsage([
      usage('t1', null, clock, { durationSeconds: 61, callType: 'conf_out', destinationContext: 'International', destinationName: 'Peru' }),
    ]);
    expect(
      store.entries
        .get('t1')!
        .filter((e) => e.kind === 'usage')
        .map((e) => e.amountMinor),
    ).toEqual([-27, -2, -52]);
  });

  it('keeps the call record on the usage entry for later breakdowns', async () => {
    const { ledger, store, clock } = ledgerFixture();
    const record = usage('t1', '0.12', clock, { conferenceId: 'conf-9', userId: 'u-7', callType: 'conf_out', destinationName: 'Japan' });
    await ledger.ingestUsage([record]);
    expect(store.entries.get('t1')!.at(-1)).toMatchObject({
      kind: 'usage',
      amountMinor: -12,
      idempotencyKey: record.id,
      detail: {
        usage: {
          recordId: record.id,
          callType: 'conf_out',
          destinationName: 'Japan',
          durationSeconds: 60,
          userId: 'u-7',
          conferenceId: 'conf-9',
          pricedFrom: 'charge',
        },
      },
    });
  });

  it('keeps tenants apart', async () => {
    const { ledger, clock } = ledgerFixture();
    await ledger.grantFunds('t1', { amount: '50', currency: 'USD', idempotencyKey: 'same-key', actor: 'operator' });
    await ledger.grantFunds('t2', { amount: '20', currency: 'USD', idempotencyKey: 'same-key', actor: 'operator' });
    const shared = usage('t1', '1.00', clock);
    await ledger.ingestUsage([shared, { ...shared, tenantId: 't2' }]);
    expect((await ledger.account('t1'))!.balanceMinor).toBe(4900);
    expect((await ledger.account('t2'))!.balanceMinor).toBe(1900);
  });

  it('forgets usage keys once they are older than the window, when such records are rejected anyway', async () => {
    const { ledger, clock } = ledgerFixture();
    const record = usage('t1', '1.00', clock);
    await ledger.ingestUsage([record]);
    expect((await ledger.account('t1'))!.keys.usageCount).toBe(1);
    clock.advance(92 * DAY);
    await ledger.sweep();
    expect((await ledger.account('t1'))!.keys.usageCount).toBe(0);
    expect(await ledger.ingestUsage([record])).toMatchObject({ accepted: 0, rejected: [{ index: 0 }] });
  });
});
