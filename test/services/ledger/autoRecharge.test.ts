import { describe, expect, it, vi } from 'vitest';
import { rechargeStatus, RETRY_BACKOFF_MS } from '../../../services/ledger/autoRecharge.js';
import { journalSum, ledgerFixture, sandboxCharges, usage } from '../../support/ledgerFixture.js';

async function fundedWithAutoRecharge(card: 'visa-success' | 'mastercard-decline' | 'visa-expired' = 'visa-success') {
  const fixture = ledgerFixture();
  const { ledger, gateway } = fixture;
  await ledger.grantFunds('t1', { amount: '30', currency: 'USD', idempotencyKey: 'seed', actor: 'operator' });
  await gateway.chooseTestCard('t1', card);
  expect(await ledger.setAutoRecharge('t1', { enabled: true, trigger: '20', amount: '50' }, 'admin')).toMatchObject({ ok: true });
  return fixture;
}

describe('auto-recharge', () => {
  it('adds the amount when a change leaves the balance below the trigger, and says so', async () => {
    const { ledger, store, clock } = await fundedWithAutoRecharge();
    await ledger.ingestUsage([usage('t1', '12.00', clock)]);
    await ledger.idle();
    const account = (await ledger.account('t1'))!;
    expect(account.balanceMinor).toBe(1800 + 5000);
    expect(account.lots.at(-1)).toMatchObject({ source: 'auto-recharge', originalMinor: 5000, addedBy: 'system' });
    expect(store.alertsOf('t1', 'auto-recharge-succeeded')).toEqual([expect.objectContaining({ amountMinor: 5000, balanceMinor: 6800 })]);
    expect(journalSum(store, 't1')).toBe(6800);
  });

  it('usage that leaves no recharge in flight does not read the account again (a round trip on PostgreSQL)', async () => {
    const { ledger, store, clock } = await fundedWithAutoRecharge();
    const reads = vi.spyOn(store, 'account');
    await ledger.ingestUsage([usage('t1', '1.00', clock)]);
    await ledger.idle();
    expect(reads).not.toHaveBeenCalled();
  });

  it('starts exactly one attempt under 50 concurrent usage batches', async () => {
    const { ledger, store, clock, gateway } = await fundedWithAutoRecharge();
    await Promise.all(Array.from({ length: 50 }, () => ledger.ingestUsage([usage('t1', '0.50', clock)])));
    await ledger.idle();
    expect(sandboxCharges(gateway)).toHaveLength(1);
    expect(store.entries.get('t1')!.filter((e) => e.kind === 'auto-recharge-started')).toHaveLength(1);
    expect((await ledger.account('t1'))!.balanceMinor).toBe(3000 - 2500 + 5000);
  });

  it('switching it on below the trigger recharges at once', async () => {
    const { ledger, gateway, clock } = ledgerFixture();
    await ledger.grantFunds('t1', { amount: '10', currency: 'USD', idempotencyKey: 'seed', actor: 'operator' });
    await ledger.ingestUsage([usage('t1', '5', clock)]);
    await ledger.setAutoRecharge('t1', { enabled: true, trigger: '20', amount: '100' }, 'admin');
    await ledger.idle();
    expect(sandboxCharges(gateway)).toHaveLength(1);
    expect((await ledger.account('t1'))!.balanceMinor).toBe(10500);
  });

  it('on a decline: alerts at the first failure, backs off, and pauses after three in a row', async () => {
    const { ledger, store, clock, gateway } = await fundedWithAutoRecharge('mastercard-decline');
    await ledger.ingestUsage([usage('t1', '15', clock)]);
    await ledger.idle();
    let account = (await ledger.account('t1'))!;
    expect(account.recharge).toMatchObject({ consecutiveFailures: 1, paused: false, inFlight: null });
    expect(account.recharge.nextRetryAt).toBe(clock.now() + RETRY_BACKOFF_MS[0]);
    expect(rechargeStatus(account)).toBe('retrying');
    expect(store.alertsOf('t1', 'auto-recharge-failed')).toEqual([expect.objectContaining({ reason: 'declined', consecutiveFailures: 1, paused: false })]);

    // Before the back-off has passed, more usage does not retry.
    await ledger.ingestUsage([usage('t1', '1', clock)]);
    await ledger.idle();
    expect(sandboxCharges(gateway)).toHaveLength(1);

    clock.advance(RETRY_BACKOFF_MS[0]);
    await ledger.sweep();
    await ledger.idle();
    account = (await ledger.account('t1'))!;
    expect(account.recharge.consecutiveFailures).toBe(2);
    expect(store.alertsOf('t1', 'auto-recharge-failed')).toHaveLength(1);

    clock.advance(RETRY_BACKOFF_MS[1]);
    await ledger.ingestUsage([usage('t1', '1', clock)]);
    await ledger.idle();
    account = (await ledger.account('t1'))!;
    expect(account.recharge).toMatchObject({ consecutiveFailures: 3, paused: true });
    expect(rechargeStatus(account)).toBe('paused');
    expect(store.alertsOf('t1', 'auto-recharge-failed').at(-1)).toMatchObject({ paused: true, consecutiveFailures: 3 });

    // Paused: nothing more is tried, however long we wait.
    clock.advance(7 * 86_400_000);
    await ledger.sweep();
    await ledger.idle();
    expect(sandboxCharges(gateway)).toHaveLength(3);

    // Switching it on again resumes it.
    await gateway.chooseTestCard('t1', 'visa-success');
    await ledger.setAutoRecharge('t1', { enabled: true }, 'admin');
    await ledger.idle();
    account = (await ledger.account('t1'))!;
    expect(account.recharge).toMatchObject({ consecutiveFailures: 0, paused: false });
    expect(account.balanceMinor).toBe(3000 - 1700 + 5000);
  });

  it('does not retry an expired card until the payment method changes', async () => {
    const { ledger, store, clock, gateway } = await fundedWithAutoRecharge('visa-expired');
    await ledger.ingestUsage([usage('t1', '15', clock)]);
    await ledger.idle();
    expect(store.alertsOf('t1', 'auto-recharge-failed')).toEqual([expect.objectContaining({ reason: 'expired-card', retryAt: null })]);
    expect(rechargeStatus((await ledger.account('t1'))!)).toBe('waiting-for-payment-method');
    clock.advance(30 * 86_400_000);
    await ledger.ingestUsage([usage('t1', '1', clock)]);
    await ledger.sweep();
    await ledger.idle();
    expect(sandboxCharges(gateway)).toHaveLength(1);

    await gateway.chooseTestCard('t1', 'visa-success');
    await ledger.paymentMethodChanged('t1', 'Visa •••• 4242', 'admin');
    await ledger.idle();
    expect(sandboxCharges(gateway)).toHaveLength(2);
    expect((await ledger.account('t1'))!.balanceMinor).toBe(3000 - 1600 + 5000);
  });

  it('never suppresses low-balance or below-zero alerts', async () => {
    const { ledger, store, clock } = await fundedWithAutoRecharge();
    await ledger.ingestUsage([usage('t1', '35', clock)]);
    await ledger.idle();
    expect(store.alertsOf('t1', 'low-balance')).toHaveLength(1);
    expect(store.alertsOf('t1', 'suspended')).toHaveLength(1);
    expect(store.alertsOf('t1', 'auto-recharge-succeeded')).toHaveLength(1);
  });

  it('an attempt left in flight by a restart completes once, through the same gateway key', async () => {
    const { ledger, store, clock, gateway } = await fundedWithAutoRecharge();
    // Simulate a crash right after the attempt was recorded: the background run never happened.
    const account = (await ledger.account('t1'))!;
    await store.change('t1', (current) => {
      current!.recharge.inFlight = { attemptId: 'recharge-9', startedAt: clock.now(), amountMinor: 5000, chargeKey: 'recharge:recharge-9' };
      return { result: null };
    });
    await gateway.charge({
      tenantId: 't1',
      idempotencyKey: 'recharge:recharge-9',
      amountMinor: 5000,
      currency: 'USD',
      purpose: 'auto-recharge',
      actor: 'system',
    });
    await ledger.resumeRecharges();
    expect(sandboxCharges(gateway)).toHaveLength(1);
    expect(account.balanceMinor).toBe(8000);
    expect(account.recharge.inFlight).toBeNull();
  });

  it('validates settings: amount within limits, trigger zero or more', async () => {
    const { ledger } = ledgerFixture();
    expect(await ledger.setAutoRecharge('t1', { enabled: true, trigger: '20', amount: '5' }, 'admin')).toMatchObject({
      ok: false,
      error: { code: 'amount-too-small' },
    });
    expect(await ledger.setAutoRecharge('t1', { enabled: true, trigger: '20', amount: '20000' }, 'admin')).toMatchObject({
      ok: false,
      error: { code: 'amount-too-large' },
    });
    expect(await ledger.setAutoRecharge('t1', { trigger: '-1' }, 'admin')).toMatchObject({ ok: false, error: { code: 'invalid-amount', reason: 'negative' } });
    expect(await ledger.setAutoRecharge('t1', { trigger: 'abc' }, 'admin')).toMatchObject({ ok: false, error: { code: 'invalid-amount' } });
    expect(await ledger.setAutoRecharge('t1', { enabled: true, trigger: '0', amount: '10' }, 'admin')).toMatchObject({
      ok: true,
      value: { enabled: true, triggerMinor: 0, amountMinor: 1000 },
    });
    expect(await ledger.setAutoRecharge('t1', { enabled: false }, 'admin')).toMatchObject({ ok: true, value: { enabled: false } });
  });

  it('changes the low-balance alert threshold', async () => {
    const { ledger, store } = ledgerFixture();
    await ledger.grantFunds('t1', { amount: '30', currency: 'USD', idempotencyKey: 'seed', actor: 'operator' });
    expect(await ledger.setLowBalanceAlert('t1', '50', 'admin')).toEqual({ ok: true, value: 5000 });
    expect(store.alertsOf('t1', 'low-balance')).toHaveLength(1);
    expect(await ledger.setLowBalanceAlert('t1', '-5', 'admin')).toMatchObject({ ok: false });
  });
});
