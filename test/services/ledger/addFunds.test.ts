import { describe, expect, it } from 'vitest';
import { invariantViolation } from '../../../services/ledger/account.js';
import { journalSum, ledgerFixture } from '../../support/ledgerFixture.js';

const admin = { actor: 'aad-admin' };

describe('adding funds', () => {
  it('adds a lot that expires 12 calendar months after purchase', async () => {
    const { ledger, store, clock } = ledgerFixture();
    clock.set('2027-01-31T09:00:00Z');
    const result = await ledger.purchaseFunds('t1', { amount: '50', idempotencyKey: 'op-1', ...admin });
    expect(result).toMatchObject({ ok: true, value: { amountMinor: 5000, balanceAfterMinor: 5000, replayed: false } });
    const account = (await ledger.account('t1'))!;
    expect(account.lots).toHaveLength(1);
    expect(new Date(account.lots[0]!.expiresAt).toISOString()).toBe('2028-01-31T09:00:00.000Z');
    expect(account.lots[0]).toMatchObject({ originalMinor: 5000, remainingMinor: 5000, source: 'manual', addedBy: 'aad-admin' });
    const entries = store.entries.get('t1')!;
    expect(entries.map((e) => e.kind)).toEqual(['account-opened', 'funds-added']);
    expect(entries[1]).toMatchObject({ id: '2', amountMinor: 5000, balanceAfterMinor: 5000, actor: 'aad-admin', idempotencyKey: 'op-1' });
  });

  it('a lot bought on 29 February expires on 28 February', async () => {
    const { ledger, clock } = ledgerFixture();
    clock.set('2028-02-29T12:00:00Z');
    await ledger.purchaseFunds('t1', { amount: '20', idempotencyKey: 'op-leap', ...admin });
    expect(new Date((await ledger.account('t1'))!.lots[0]!.expiresAt).toISOString()).toBe('2029-02-28T12:00:00.000Z');
  });

  it('a replayed operation id adds and charges once and returns the first outcome', async () => {
    const { ledger, store, gateway } = ledgerFixture();
    const first = await ledger.purchaseFunds('t1', { amount: '25.00', idempotencyKey: 'op-twice', ...admin });
    await ledger.purchaseFunds('t1', { amount: '30.00', idempotencyKey: 'op-other', ...admin });
    const again = await ledger.purchaseFunds('t1', { amount: '25.00', idempotencyKey: 'op-twice', ...admin });
    expect(again).toMatchObject({ ok: true, value: { replayed: true, amountMinor: 2500, balanceAfterMinor: 2500 } });
    expect(first.ok && again.ok && first.value.entryId).toBe(again.ok && again.value.entryId);
    expect((await ledger.account('t1'))!.balanceMinor).toBe(5500);
    expect(Object.keys((gateway as unknown as { document: { data: { charges: object } } }).document.data.charges)).toHaveLength(2);
    expect(store.entries.get('t1')!.filter((e) => e.kind === 'funds-added')).toHaveLength(2);
  });

  it('concurrent double clicks move money once', async () => {
    const { ledger, store } = ledgerFixture();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => ledger.purchaseFunds('t1', { amount: '40', idempotencyKey: 'op-click', ...admin })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.ok && !r.value.replayed)).toHaveLength(1);
    expect((await ledger.account('t1'))!.balanceMinor).toBe(4000);
    expect(journalSum(store, 't1')).toBe(4000);
  });

  it('enforces the limits and moves nothing when refused', async () => {
    const { ledger, store } = ledgerFixture();
    expect(await ledger.purchaseFunds('t1', { amount: '9.99', idempotencyKey: 'a', ...admin })).toMatchObject({
      ok: false,
      error: { code: 'amount-too-small', minMinor: 1000 },
    });
    expect(await ledger.purchaseFunds('t1', { amount: '10000.01', idempotencyKey: 'b', ...admin })).toMatchObject({
      ok: false,
      error: { code: 'amount-too-large', maxMinor: 1000000 },
    });
    expect(await ledger.purchaseFunds('t1', { amount: 'ten', idempotencyKey: 'c', ...admin })).toMatchObject({ ok: false, error: { code: 'invalid-amount' } });
    expect(await ledger.purchaseFunds('t1', { amount: '10.001', idempotencyKey: 'd', ...admin })).toMatchObject({ ok: false, error: { code: 'invalid-amount', reason: 'too-many-decimals' } });
    expect(await ledger.purchaseFunds('t1', { amount: '-20', idempotencyKey: 'e', ...admin })).toMatchObject({ ok: false, error: { code: 'invalid-amount', reason: 'negative' } });
    expect(store.entries.get('t1')).toBeUndefined();
    expect((await ledger.purchaseFunds('t1', { amount: '10.00', idempotencyKey: 'f', ...admin })).ok).toBe(true);
    expect((await ledger.purchaseFunds('t1', { amount: '10000', idempotencyKey: 'g', ...admin })).ok).toBe(true);
  });

  it('uses the configured limits', async () => {
    const { ledger } = ledgerFixture({ minAddition: '5', maxAddition: '20' });
    expect((await ledger.purchaseFunds('t1', { amount: '5', idempotencyKey: 'a', ...admin })).ok).toBe(true);
    expect(await ledger.purchaseFunds('t1', { amount: '21', idempotencyKey: 'b', ...admin })).toMatchObject({ ok: false, error: { code: 'amount-too-large' } });
  });

  it('a declined or expired card adds nothing', async () => {
    const { ledger, gateway, store } = ledgerFixture();
    await gateway.chooseTestCard('t1', 'mastercard-decline');
    expect(await ledger.purchaseFunds('t1', { amount: '50', idempotencyKey: 'x', ...admin })).toMatchObject({ ok: false, error: { code: 'payment-failed', reason: 'declined' } });
    await gateway.chooseTestCard('t1', 'visa-expired');
    expect(await ledger.purchaseFunds('t1', { amount: '50', idempotencyKey: 'y', ...admin })).toMatchObject({ ok: false, error: { code: 'payment-failed', reason: 'expired-card' } });
    expect(store.entries.get('t1')).toBeUndefined();
  });

  it('an operator grant charges no card, keeps the operator as actor and refuses another currency', async () => {
    const { ledger, store, gateway } = ledgerFixture();
    await gateway.chooseTestCard('t1', 'mastercard-decline');
    const granted = await ledger.grantFunds('t1', { amount: '25.00', currency: 'EUR', idempotencyKey: 'g1', actor: 'operator', note: 'goodwill' });
    expect(granted).toMatchObject({ ok: true, value: { amountMinor: 2500, currency: 'EUR' } });
    expect((await ledger.account('t1'))!.currency).toBe('EUR');
    expect(store.entries.get('t1')![1]).toMatchObject({ actor: 'operator', detail: { note: 'goodwill' } });
    expect(await ledger.grantFunds('t1', { amount: '25.00', currency: 'USD', idempotencyKey: 'g2', actor: 'operator' })).toMatchObject({
      ok: false,
      error: { code: 'currency-mismatch', expected: 'EUR', got: 'USD' },
    });
    expect(await ledger.grantFunds('t1', { amount: '5.00', currency: 'EUR', idempotencyKey: 'g3', actor: 'operator' })).toMatchObject({ ok: false, error: { code: 'amount-too-small' } });
  });

  it('a key used for something else is refused', async () => {
    const { ledger } = ledgerFixture();
    await ledger.grantFunds('t1', { amount: '25.00', currency: 'USD', idempotencyKey: 'k', actor: 'operator' });
    const account = (await ledger.account('t1'))!;
    account.keys.operations.set('settings-key', { entryId: '1', kind: 'settings-changed', amountMinor: 0, balanceAfterMinor: 0, at: 0 });
    expect(await ledger.grantFunds('t1', { amount: '25.00', currency: 'USD', idempotencyKey: 'settings-key', actor: 'operator' })).toMatchObject({
      ok: false,
      error: { code: 'key-reused' },
    });
    expect(invariantViolation(account)).toBeNull();
  });
});

describe('purchases charged before a crash', () => {
  it('are added once at restart, with the admin as actor, and nothing else is', async () => {
    const { ledger, gateway, store } = ledgerFixture();
    // The card was charged, then the process died before the lot was recorded.
    await gateway.charge({ tenantId: 't1', idempotencyKey: 'op-lost', amountMinor: 4000, currency: 'USD', purpose: 'funds', actor: 'aad-admin' });
    // Declined charges and recharge attempts are not purchases to recover.
    await gateway.chooseTestCard('t2', 'mastercard-decline');
    await gateway.charge({ tenantId: 't2', idempotencyKey: 'op-declined', amountMinor: 4000, currency: 'USD', purpose: 'funds', actor: 'aad-admin' });
    await gateway.charge({ tenantId: 't3', idempotencyKey: 'auto-recharge-1', amountMinor: 4000, currency: 'USD', purpose: 'auto-recharge', actor: 'system' });
    // A purchase that completed normally is already in the ledger.
    await ledger.purchaseFunds('t1', { amount: '25', idempotencyKey: 'op-done', actor: 'aad-admin' });

    expect(await ledger.reconcilePurchases()).toBe(1);
    expect(await ledger.reconcilePurchases()).toBe(0);
    const account = (await ledger.account('t1'))!;
    expect(account.balanceMinor).toBe(6500);
    expect(store.entries.get('t1')!.filter((e) => e.kind === 'funds-added').map((e) => [e.idempotencyKey, e.actor])).toEqual([
      ['op-done', 'aad-admin'],
      ['op-lost', 'aad-admin'],
    ]);
    expect(await ledger.account('t2')).toBeUndefined();
    expect(await ledger.account('t3')).toBeUndefined();
    // The admin pressing Confirm again afterwards gets the recovered outcome, not a second lot.
    expect(await ledger.purchaseFunds('t1', { amount: '40', idempotencyKey: 'op-lost', actor: 'aad-admin' })).toMatchObject({ ok: true, value: { replayed: true } });
    expect((await ledger.account('t1'))!.balanceMinor).toBe(6500);
  });
});

describe('cancelling a purchase', () => {
  it('stops its operation id from charging later, and is journaled', async () => {
    const { ledger, store, gateway } = ledgerFixture();
    expect(await ledger.cancelPurchase('t1', 'op-c', 'aad-admin')).toEqual({ cancelled: true });
    expect(await ledger.cancelPurchase('t1', 'op-c', 'aad-admin')).toEqual({ cancelled: true });
    expect(await ledger.purchaseFunds('t1', { amount: '20', idempotencyKey: 'op-c', actor: 'aad-admin' })).toMatchObject({ ok: false, error: { code: 'operation-cancelled' } });
    expect(Object.keys((gateway as unknown as { document: { data: { charges: object } } }).document.data.charges)).toHaveLength(0);
    expect(store.entries.get('t1')!.filter((e) => e.kind === 'purchase-cancelled')).toHaveLength(1);
    expect((await ledger.account('t1'))!.balanceMinor).toBe(0);
  });

  it('after the funds were added, says so instead', async () => {
    const { ledger } = ledgerFixture();
    await ledger.purchaseFunds('t1', { amount: '20', idempotencyKey: 'op-d', actor: 'aad-admin' });
    expect(await ledger.cancelPurchase('t1', 'op-d', 'aad-admin')).toMatchObject({ cancelled: false, funds: { amountMinor: 2000, replayed: true } });
  });

  it('a charge that went through before the cancel was recorded still adds its funds', async () => {
    const { ledger, gateway } = ledgerFixture();
    await ledger.openAccount('t1');
    await gateway.charge({ tenantId: 't1', idempotencyKey: 'op-race', amountMinor: 3000, currency: 'USD', purpose: 'funds', actor: 'aad-admin' });
    await ledger.cancelPurchase('t1', 'op-race', 'aad-admin');
    expect(await ledger.reconcilePurchases()).toBe(1);
    expect((await ledger.account('t1'))!.balanceMinor).toBe(3000);
    expect(await ledger.cancelPurchase('t1', 'op-race', 'aad-admin')).toMatchObject({ cancelled: false });
  });
});
