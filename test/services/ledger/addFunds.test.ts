import { describe, expect, it } from 'vitest';
import { journalSum, ledgerFixture, purchase, sandboxCharges } from '../../support/ledgerFixture.js';

describe('adding funds', () => {
  it('adds a lot that expires 12 calendar months after purchase, naming the charge that paid for it', async () => {
    const { ledger, store, clock } = ledgerFixture();
    clock.set('2027-01-31T09:00:00Z');
    const result = await purchase(ledger, 't1', '50');
    expect(result).toMatchObject({ ok: true, value: { amountMinor: 5000, balanceAfterMinor: 5000, replayed: false } });
    const account = (await ledger.account('t1'))!;
    expect(account.lots).toHaveLength(1);
    expect(new Date(account.lots[0]!.expiresAt).toISOString()).toBe('2028-01-31T09:00:00.000Z');
    expect(account.lots[0]).toMatchObject({ originalMinor: 5000, remainingMinor: 5000, source: 'manual', addedBy: 'aad-admin' });
    const entries = store.entries.get('t1')!;
    expect(entries.map((e) => e.kind)).toEqual(['account-opened', 'purchase-offered', 'purchase-charging', 'funds-added']);
    const added = entries[3]!;
    expect(added).toMatchObject({ id: '4', amountMinor: 5000, balanceAfterMinor: 5000, actor: 'aad-admin' });
    expect(added.idempotencyKey).toMatch(/^purchase:offer-\d+$/);
    expect(added.detail).toMatchObject({ purpose: 'purchase', chargeId: expect.stringMatching(/^ch_/) });
  });

  it('a lot bought on 29 February expires on 28 February', async () => {
    const { ledger, clock } = ledgerFixture();
    clock.set('2028-02-29T12:00:00Z');
    await purchase(ledger, 't1', '20');
    expect(new Date((await ledger.account('t1'))!.lots[0]!.expiresAt).toISOString()).toBe('2029-02-28T12:00:00.000Z');
  });

  it('a confirmed offer pressed again adds and charges once and returns the first outcome', async () => {
    const { ledger, store, gateway } = ledgerFixture();
    const offer = await ledger.offerPurchase('t1', { offerId: 'op-twice', amount: '25.00', offeredTo: 'aad-admin' });
    expect(offer.ok).toBe(true);
    const first = await ledger.confirmPurchase('t1', 'op-twice', 'aad-admin');
    await purchase(ledger, 't1', '30.00');
    const again = await ledger.confirmPurchase('t1', 'op-twice', 'aad-admin');
    expect(again).toMatchObject({ ok: true, value: { replayed: true, amountMinor: 2500, balanceAfterMinor: 2500 } });
    expect(first.ok && again.ok && first.value.entryId).toBe(again.ok && again.value.entryId);
    expect((await ledger.account('t1'))!.balanceMinor).toBe(5500);
    expect(sandboxCharges(gateway)).toHaveLength(2);
    expect(store.entries.get('t1')!.filter((e) => e.kind === 'funds-added')).toHaveLength(2);
  });

  it('concurrent double clicks move money once', async () => {
    const { ledger, store, gateway } = ledgerFixture();
    await ledger.offerPurchase('t1', { offerId: 'op-click', amount: '40', offeredTo: 'aad-admin' });
    const results = await Promise.all(Array.from({ length: 20 }, () => ledger.confirmPurchase('t1', 'op-click', 'aad-admin')));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.ok && !r.value.replayed)).toHaveLength(1);
    expect((await ledger.account('t1'))!.balanceMinor).toBe(4000);
    expect(journalSum(store, 't1')).toBe(4000);
    expect(sandboxCharges(gateway)).toHaveLength(1);
  });

  it('enforces the limits when the offer is made, and records nothing when refused', async () => {
    const { ledger, store } = ledgerFixture();
    const offer = (amount: string) => ledger.offerPurchase('t1', { offerId: `o-${amount}`, amount, offeredTo: 'aad-admin' });
    expect(await offer('9.99')).toMatchObject({ ok: false, error: { code: 'amount-too-small', minMinor: 1000 } });
    expect(await offer('10000.01')).toMatchObject({ ok: false, error: { code: 'amount-too-large', maxMinor: 1000000 } });
    expect(await offer('ten')).toMatchObject({ ok: false, error: { code: 'invalid-amount' } });
    expect(await offer('10.001')).toMatchObject({ ok: false, error: { code: 'invalid-amount', reason: 'too-many-decimals' } });
    expect(await offer('-20')).toMatchObject({ ok: false, error: { code: 'invalid-amount', reason: 'negative' } });
    expect(store.entries.get('t1')).toBeUndefined();
    expect((await purchase(ledger, 't1', '10.00')).ok).toBe(true);
    expect((await purchase(ledger, 't1', '10000')).ok).toBe(true);
  });

  it('uses the configured limits', async () => {
    const { ledger } = ledgerFixture({ minAddition: '5', maxAddition: '20' });
    expect((await purchase(ledger, 't1', '5')).ok).toBe(true);
    expect(await purchase(ledger, 't1', '21')).toMatchObject({ ok: false, error: { code: 'amount-too-large' } });
  });

  it('a declined or expired card adds nothing, and the failure says what was not charged', async () => {
    const { ledger, gateway, store } = ledgerFixture();
    await gateway.chooseTestCard('t1', 'mastercard-decline');
    expect(await purchase(ledger, 't1', '50')).toMatchObject({
      ok: false,
      error: { code: 'payment-failed', reason: 'declined', amountMinor: 5000, currency: 'USD' },
    });
    await gateway.chooseTestCard('t1', 'visa-expired');
    expect(await purchase(ledger, 't1', '50')).toMatchObject({ ok: false, error: { code: 'payment-failed', reason: 'expired-card' } });
    expect(store.entries.get('t1')!.filter((e) => e.amountMinor !== 0)).toEqual([]);
    expect(store.entries.get('t1')!.filter((e) => e.kind === 'purchase-failed')).toHaveLength(2);
  });

  it('an operator grant charges no card, keeps the operator as actor and refuses another currency', async () => {
    const { ledger, store, gateway } = ledgerFixture();
    await gateway.chooseTestCard('t1', 'mastercard-decline');
    const granted = await ledger.grantFunds('t1', { amount: '25.00', currency: 'EUR', idempotencyKey: 'g1', actor: 'operator', note: 'goodwill' });
    expect(granted).toMatchObject({ ok: true, value: { amountMinor: 2500, currency: 'EUR' } });
    expect((await ledger.account('t1'))!.currency).toBe('EUR');
    expect(store.entries.get('t1')![1]).toMatchObject({
      actor: 'operator',
      idempotencyKey: 'grant:g1',
      detail: { note: 'goodwill', purpose: 'grant', chargeId: null },
    });
    expect(await ledger.grantFunds('t1', { amount: '25.00', currency: 'USD', idempotencyKey: 'g2', actor: 'operator' })).toMatchObject({
      ok: false,
      error: { code: 'currency-mismatch', expected: 'EUR', got: 'USD' },
    });
    expect(await ledger.grantFunds('t1', { amount: '5.00', currency: 'EUR', idempotencyKey: 'g3', actor: 'operator' })).toMatchObject({
      ok: false,
      error: { code: 'amount-too-small' },
    });
    expect(sandboxCharges(gateway)).toHaveLength(0);
  });
});
