import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../bot/config.js';
import { invariantViolation, newAccount, type Account } from '../../../services/ledger/account.js';
import { chargeBreaksRange, fundsBreakRange } from '../../../services/ledger/accountRange.js';
import { applyEntry } from '../../../services/ledger/applyEntry.js';
import { applyUsage, MAX_CALL_SECONDS } from '../../../services/ledger/applyUsage.js';
import { divideRoundingUp, MAX_MINOR, parseDecimal } from '../../../services/money.js';
import { priceFromTable, pricer, type RateTable } from '../../../services/rates.js';
import { journalSum, ledgerFixture, POLICY, usage } from '../../support/ledgerFixture.js';
import { TestClock } from '../../support/memoryLedgerStore.js';

/** The largest amount the configuration accepts (9 digits before the point). */
const HUGE = '999999999.00';

describe('MAX_USAGE_CHARGE', () => {
  it('accepts a record at and just below the maximum, and rejects one just above on its own', async () => {
    const { ledger, store, clock } = ledgerFixture();
    const outcome = await ledger.ingestUsage([
      usage('t1', '10000.00', clock),
      usage('t1', '9999.99', clock),
      usage('t1', '10000.01', clock),
      usage('t1', '1.00', clock),
    ]);
    expect(outcome).toEqual({
      accepted: 3,
      duplicates: 0,
      rejected: [{ index: 2, error: 'charge "10000.01" is above the maximum usage charge of 10000.00 USD' }],
    });
    const account = (await ledger.account('t1'))!;
    expect(account.balanceMinor).toBe(-(1_000_000 + 999_999 + 100));
    expect(journalSum(store, 't1')).toBe(account.balanceMinor);
    expect(store.entries.get('t1')!.filter((e) => e.kind === 'usage')).toHaveLength(3);
  });

  it('rejects a charge past 2^53 with the same reason, and changes nothing', async () => {
    const { ledger, store, clock } = ledgerFixture();
    await ledger.grantFunds('t1', { amount: '100', currency: 'USD', idempotencyKey: 'g', actor: 'operator' });
    const entriesBefore = store.entries.get('t1')!.length;
    const outcome = await ledger.ingestUsage([usage('t1', '90071992547409.91', clock), usage('t1', '90071992547409.91', clock)]);
    expect(outcome.accepted).toBe(0);
    expect(outcome.rejected.map((r) => r.error)).toEqual(Array(2).fill('charge "90071992547409.91" is above the maximum usage charge of 10000.00 USD'));
    expect((await ledger.account('t1'))!.balanceMinor).toBe(10_000);
    expect(store.entries.get('t1')).toHaveLength(entriesBefore);
  });

  it('is a policy value: MAX_USAGE_CHARGE in the configuration, 10000.00 by default', async () => {
    expect(loadConfig({}).ledger.maxUsageCharge).toBe('10000.00');
    expect(loadConfig({ MAX_USAGE_CHARGE: '50.00' }).ledger.maxUsageCharge).toBe('50.00');
    // More than 9 digits before the point could leave the ledger's range in some currency.
    expect(() => loadConfig({ MAX_USAGE_CHARGE: '1000000000' })).toThrow(/MAX_USAGE_CHARGE/);
    const { ledger, clock } = ledgerFixture({ maxUsageCharge: '50.00' });
    const outcome = await ledger.ingestUsage([usage('t1', '50.00', clock), usage('t1', '50.01', clock)]);
    expect(outcome).toMatchObject({ accepted: 1, rejected: [{ index: 1, error: expect.stringContaining('maximum usage charge of 50.00 USD') }] });
  });

  it('applies to a price from the rate table: a long call at a high rate is rejected', async () => {
    const { ledger, clock } = ledgerFixture();
    // 31 days of international calling at 0.25 a minute plus 0.02: 11,160.02.
    const long = usage('t1', null, clock, { destinationContext: 'International', destinationName: 'Somalia', durationSeconds: MAX_CALL_SECONDS });
    const short = usage('t1', null, clock, { destinationContext: 'International', destinationName: 'Somalia', durationSeconds: 600 });
    const outcome = await ledger.ingestUsage([long, short]);
    expect(outcome).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [{ index: 0, error: 'the rate table prices this call at 11160.02 USD, above the maximum usage charge of 10000.00 USD' }],
    });
    expect((await ledger.account('t1'))!.balanceMinor).toBe(-252);
  });

  it('rejects a duration beyond 31 days, and a rate-table price past exact arithmetic', () => {
    const table: RateTable = {
      label: 'dear',
      currency: 'USD',
      rates: [{ callType: '*', destination: '*', perMinute: '999999999.999999', connectionFee: '0' }],
    };
    const clock = new TestClock();
    const now = clock.now();
    const record = (durationSeconds: number) => usage('t1', null, clock, { durationSeconds });
    // 44,640 minutes at a billion a minute is past 2^53 millionths: refused, not rounded.
    expect(priceFromTable(table, record(MAX_CALL_SECONDS), 'USD')).toEqual({ ok: false, error: { code: 'out-of-range' } });
    const items = [record(MAX_CALL_SECONDS), record(MAX_CALL_SECONDS + 1), record(-1), record(1.5)].map((r, index) => ({ index, record: r }));
    const change = applyUsage(undefined, 't1', items, pricer(table), POLICY, now);
    expect(change.entries).toBeUndefined();
    expect(change.result.rejected).toEqual([
      { index: 0, error: 'the rate table prices this call above the maximum usage charge of 10000.00 USD' },
      { index: 1, error: `duration must be whole seconds from 0 to ${MAX_CALL_SECONDS}` },
      { index: 2, error: `duration must be whole seconds from 0 to ${MAX_CALL_SECONDS}` },
      { index: 3, error: `duration must be whole seconds from 0 to ${MAX_CALL_SECONDS}` },
    ]);
  });
});

describe('the account range rule', () => {
  it('rejects the charge that would take the debt past the bound, and keeps taking the ones that fit', async () => {
    const { ledger, store, clock } = ledgerFixture({ maxUsageCharge: HUGE, maxAddition: HUGE });
    // 100 charges of 999,999,999.00 are a debt of 99,999,999,900.00, just inside 10^13 minor units; the 101st is not.
    const records = Array.from({ length: 101 }, (_, i) => usage('t1', HUGE, clock, { id: `big-${i}` }));
    const outcome = await ledger.ingestUsage([...records, usage('t1', '0.05', clock)]);
    expect(outcome.accepted).toBe(101);
    expect(outcome.rejected).toEqual([
      { index: 100, error: expect.stringMatching(/^charging 999999999\.00 USD would take the balance or a usage total beyond ±100000000000\.00 USD/) },
    ]);
    const account = (await ledger.account('t1'))!;
    expect(account.balanceMinor).toBe(-(100 * 99_999_999_900 + 5));
    expect(account.debtMinor).toBe(-account.balanceMinor);
    expect(journalSum(store, 't1')).toBe(account.balanceMinor);
    expect(invariantViolation(account)).toBeNull();
    for (const e of store.entries.get('t1')!) expect(Number.isSafeInteger(e.balanceAfterMinor)).toBe(true);
  });

  it('refuses funds that would take the balance past the bound with balance-out-of-range, before any card is charged', async () => {
    const { ledger, store, gateway } = ledgerFixture({ maxAddition: HUGE });
    for (let i = 0; i < 100; i++) {
      expect((await ledger.grantFunds('t1', { amount: HUGE, currency: 'USD', idempotencyKey: `g${i}`, actor: 'operator' })).ok).toBe(true);
    }
    const refused = { ok: false, error: { code: 'balance-out-of-range', maxMinor: MAX_MINOR, currency: 'USD' } };
    expect(await ledger.grantFunds('t1', { amount: HUGE, currency: 'USD', idempotencyKey: 'g-over', actor: 'operator' })).toEqual(refused);
    expect(await ledger.offerPurchase('t1', { offerId: 'p-over', amount: HUGE, offeredTo: 'admin' })).toEqual(refused);
    expect(await gateway.settledCharges(0)).toEqual([]);
    const account = (await ledger.account('t1'))!;
    expect(account.balanceMinor).toBe(100 * 99_999_999_900);
    expect(journalSum(store, 't1')).toBe(account.balanceMinor);
    // What still fits is taken.
    expect((await ledger.grantFunds('t1', { amount: '10.00', currency: 'USD', idempotencyKey: 'g-small', actor: 'operator' })).ok).toBe(true);
  });

  it('counts a recharge in flight as added, and does not start one that would not fit', () => {
    const account = newAccount('t1', 'USD', 0, { lowBalanceAlertMinor: 1000, autoRecharge: { enabled: false, triggerMinor: 0, amountMinor: 5000 } });
    account.balanceMinor = MAX_MINOR - 10_000;
    expect(fundsBreakRange(account, 10_000)).toBe(false);
    account.recharge.inFlight = { attemptId: 'recharge-1', startedAt: 0, amountMinor: 5000, chargeKey: 'recharge:recharge-1' };
    expect(fundsBreakRange(account, 10_000)).toBe(true);
    expect(fundsBreakRange(account, 5000)).toBe(false);
    expect(chargeBreaksRange(account, new Date().toISOString(), 2 * MAX_MINOR)).toBe(true);
  });

  it('is part of the invariant: a replayed entry past the bound is reported, not silently kept', () => {
    let account: Account | undefined;
    const entry = (id: number, amountMinor: number) => ({
      id: String(id),
      tenantId: 't1',
      kind: 'funds-added' as const,
      amountMinor,
      balanceAfterMinor: 0,
      at: '2026-06-01T00:00:00.000Z',
      actor: 'operator',
      idempotencyKey: `k${id}`,
      detail: { kind: 'funds-added' as const, lotId: `lot-${id}`, source: 'manual' as const, expiresAt: '2027-06-01T00:00:00.000Z', note: null },
    });
    account = applyEntry(account, {
      ...entry(1, 0),
      kind: 'account-opened',
      idempotencyKey: null,
      detail: { kind: 'account-opened', currency: 'USD', lowBalanceAlertMinor: 1000, autoRecharge: { enabled: false, triggerMinor: 0, amountMinor: 5000 } },
    });
    account = applyEntry(account, entry(2, 9_007_199_254_740_991));
    expect(invariantViolation(account)).toMatch(/outside ±10000000000000/);
  });
});

describe('money helpers and the bound', () => {
  it('parseDecimal refuses amounts past MAX_MINOR in every currency', () => {
    expect(parseDecimal('100000000000.00', 'USD')).toEqual({ ok: true, value: MAX_MINOR });
    expect(parseDecimal('100000000000.01', 'USD')).toMatchObject({ ok: false, error: { code: 'too-large' } });
    expect(parseDecimal('10000000000000', 'JPY')).toEqual({ ok: true, value: MAX_MINOR });
    expect(parseDecimal('10000000000001', 'JPY')).toMatchObject({ ok: false, error: { code: 'too-large' } });
    expect(parseDecimal('90071992547409.91', 'USD', 'half-up')).toMatchObject({ ok: false, error: { code: 'too-large' } });
    // The configuration's largest amount fits even with four minor digits.
    expect(parseDecimal('999999999.9999', 'CLF').ok).toBe(true);
  });

  it('divideRoundingUp refuses numbers past exact arithmetic', () => {
    expect(divideRoundingUp(2 ** 53 - 1, 10)).toBe(900719925474100);
    expect(() => divideRoundingUp(2 ** 53 + 2, 10)).toThrow(RangeError);
    expect(() => divideRoundingUp(10, 0)).toThrow(RangeError);
  });
});
