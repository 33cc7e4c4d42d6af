import { describe, expect, it } from 'vitest';
import { invariantViolation, type Account } from '../../../services/ledger/account.js';
import { fromSnapshot, toSnapshot } from '../../../services/ledger/accountSnapshot.js';
import { applyEntry } from '../../../services/ledger/applyEntry.js';
import type { EntryDetail, JournalEntry } from '../../../services/ledger/journal.js';
import { journalSum, ledgerFixture, sandboxCharges, usage } from '../../support/ledgerFixture.js';

const ADMIN = 'aad-admin';

describe('one key space per purpose', () => {
  it('an auto-recharge is charged and credited under recharge:<attempt>, which no card id can reach', async () => {
    const f = ledgerFixture();
    await f.ledger.grantFunds('t1', { amount: '30', currency: 'USD', idempotencyKey: 'seed', actor: 'operator' });
    await f.ledger.setAutoRecharge('t1', { enabled: true, trigger: '20', amount: '100' }, ADMIN);
    await f.ledger.ingestUsage([usage('t1', '15', f.clock)]);
    await f.ledger.idle();
    expect(sandboxCharges(f.gateway)).toEqual([
      expect.objectContaining({ idempotencyKey: 'recharge:recharge-1', amountMinor: 10_000, purpose: 'auto-recharge' }),
    ]);
    const lot = f.store.entries.get('t1')!.find((e) => e.kind === 'funds-added' && e.actor === 'system')!;
    expect(lot).toMatchObject({ idempotencyKey: 'recharge:recharge-1', amountMinor: 10_000, detail: { purpose: 'recharge', source: 'auto-recharge' } });

    // Finding 1: an admin confirming the recharge's ids (for ten thousand) gets nothing.
    for (const id of ['auto-recharge-1', 'recharge-1', 'recharge:recharge-1']) {
      expect(await f.ledger.confirmPurchase('t1', id, ADMIN), id).toEqual({ ok: false, error: { code: 'offer-invalid', reason: 'unknown' } });
    }
    expect(sandboxCharges(f.gateway)).toHaveLength(1);
    expect((await f.ledger.account('t1'))!.balanceMinor).toBe(3000 - 1500 + 10_000);
  });

  it('an offer carrying a recharge-like id cannot make a later auto-recharge replay its charge', async () => {
    const f = ledgerFixture();
    // Ids are the bot's (UUIDs); even one spelled like an attempt id stays in the purchase space.
    await f.ledger.offerPurchase('t1', { offerId: 'recharge-1', amount: '10', offeredTo: ADMIN });
    await f.ledger.confirmPurchase('t1', 'recharge-1', ADMIN);
    await f.ledger.setAutoRecharge('t1', { enabled: true, trigger: '20', amount: '10000' }, ADMIN);
    await f.ledger.idle();
    const charges = sandboxCharges(f.gateway).map((c) => [c.idempotencyKey, c.amountMinor]);
    expect(charges).toEqual([
      ['purchase:recharge-1', 1000],
      ['recharge:recharge-1', 1_000_000],
    ]);
    expect((await f.ledger.account('t1'))!.balanceMinor).toBe(1000 + 1_000_000);
  });

  it("an admin's purchase can never pre-empt an operator's grant key, nor the other way round", async () => {
    const f = ledgerFixture();
    await f.ledger.offerPurchase('t1', { offerId: 'refund-2026-12-03', amount: '10', offeredTo: ADMIN });
    expect(await f.ledger.confirmPurchase('t1', 'refund-2026-12-03', ADMIN)).toMatchObject({ ok: true, value: { amountMinor: 1000 } });
    const grant = await f.ledger.grantFunds('t1', { amount: '25', currency: 'USD', idempotencyKey: 'refund-2026-12-03', actor: 'operator' });
    expect(grant).toMatchObject({ ok: true, value: { replayed: false, amountMinor: 2500 } });
    await f.ledger.grantFunds('t1', { amount: '40', currency: 'USD', idempotencyKey: 'g-then-offer', actor: 'operator' });
    await f.ledger.offerPurchase('t1', { offerId: 'g-then-offer', amount: '10', offeredTo: ADMIN });
    expect(await f.ledger.confirmPurchase('t1', 'g-then-offer', ADMIN)).toMatchObject({ ok: true, value: { replayed: false, amountMinor: 1000 } });
    expect((await f.ledger.account('t1'))!.balanceMinor).toBe(1000 + 2500 + 4000 + 1000);
  });

  it("an operator's key reused: same parameters replay, other amount or currency are refused (Stripe's rule)", async () => {
    const f = ledgerFixture();
    expect(await f.ledger.grantFunds('t1', { amount: '25.00', currency: 'USD', idempotencyKey: 'k', actor: 'operator' })).toMatchObject({
      ok: true,
      value: { replayed: false },
    });
    expect(await f.ledger.grantFunds('t1', { amount: '25', currency: 'USD', idempotencyKey: 'k', actor: 'operator' })).toMatchObject({
      ok: true,
      value: { replayed: true, amountMinor: 2500 },
    });
    expect(await f.ledger.grantFunds('t1', { amount: '30.00', currency: 'USD', idempotencyKey: 'k', actor: 'operator' })).toEqual({
      ok: false,
      error: { code: 'key-reused-with-different-parameters', first: { amountMinor: 2500, currency: 'USD' } },
    });
    expect(await f.ledger.grantFunds('t1', { amount: '25.00', currency: 'EUR', idempotencyKey: 'k', actor: 'operator' })).toMatchObject({
      ok: false,
      error: { code: 'key-reused-with-different-parameters' },
    });
    expect((await f.ledger.account('t1'))!.balanceMinor).toBe(2500);
  });

  it('the same operator key in two tenants is two grants', async () => {
    const f = ledgerFixture();
    await f.ledger.grantFunds('t1', { amount: '50', currency: 'USD', idempotencyKey: 'same-key', actor: 'operator' });
    expect(await f.ledger.grantFunds('t2', { amount: '20', currency: 'USD', idempotencyKey: 'same-key', actor: 'operator' })).toMatchObject({
      ok: true,
      value: { replayed: false },
    });
  });

  it('usage record ids live in their own table: a usage id equal to a grant key charges and grants both', async () => {
    const f = ledgerFixture();
    await f.ledger.grantFunds('t1', { amount: '50', currency: 'USD', idempotencyKey: 'call-x', actor: 'operator' });
    expect(await f.ledger.ingestUsage([usage('t1', '5', f.clock, { id: 'call-x' })])).toMatchObject({ accepted: 1 });
    expect(await f.ledger.grantFunds('t1', { amount: '50', currency: 'USD', idempotencyKey: 'call-x', actor: 'operator' })).toMatchObject({
      ok: true,
      value: { replayed: true },
    });
    expect((await f.ledger.account('t1'))!.balanceMinor).toBe(4500);
  });
});

/** A journal as the bot wrote it before keys were namespaced and confirmations were offers. */
function legacyJournal(): JournalEntry[] {
  let balance = 0;
  const entries: JournalEntry[] = [];
  const add = (detail: EntryDetail, amountMinor: number, actor: string, idempotencyKey: string | null) => {
    balance += amountMinor;
    entries.push({
      id: String(entries.length + 1),
      tenantId: 't1',
      kind: detail.kind,
      amountMinor,
      balanceAfterMinor: balance,
      at: '2026-01-10T10:00:00.000Z',
      actor,
      idempotencyKey,
      detail,
    });
  };
  const lot = (lotId: string, source: 'manual' | 'auto-recharge') => ({
    kind: 'funds-added' as const,
    lotId,
    source,
    expiresAt: '2027-01-10T10:00:00.000Z',
    note: null,
  });
  add(
    { kind: 'account-opened', currency: 'USD', lowBalanceAlertMinor: 1000, autoRecharge: { enabled: true, triggerMinor: 2000, amountMinor: 5000 } },
    0,
    'system',
    null,
  );
  add(lot('lot-2', 'manual'), 4000, ADMIN, '6f1c2d9e-card-operation');
  add(lot('lot-3', 'manual'), 2500, 'operator', 'refund-1');
  add({ kind: 'purchase-cancelled' }, 0, ADMIN, 'c0ffee-cancelled-card');
  add({ kind: 'auto-recharge-started', attemptId: 'recharge-1', amountMinor: 5000 }, 0, 'system', null);
  add(lot('lot-6', 'auto-recharge'), 5000, 'system', 'recharge-1');
  add({ kind: 'auto-recharge-started', attemptId: 'recharge-2', amountMinor: 5000 }, 0, 'system', null);
  return entries;
}

function fold(entries: JournalEntry[]): Account {
  let account: Account | undefined;
  for (const e of entries) account = applyEntry(account, structuredClone(e));
  return account!;
}

describe('journals and snapshots from before keys were namespaced', () => {
  it('still recover, their keys kept in the legacy space', () => {
    const account = fold(legacyJournal());
    expect(invariantViolation(account)).toBeNull();
    expect(account.balanceMinor).toBe(11_500);
    expect([...account.keys.operations.keys()]).toEqual([
      'legacy:6f1c2d9e-card-operation',
      'legacy:refund-1',
      'legacy:c0ffee-cancelled-card',
      'legacy:recharge-1',
    ]);
    expect(account.recharge.inFlight).toMatchObject({ attemptId: 'recharge-2', chargeKey: 'auto-recharge-2' });
    expect(account.offers).toEqual({});
  });

  it('a snapshot written then reads the same as the journal folded now', () => {
    const live = fold(legacyJournal());
    const old = toSnapshot(live) as unknown as Record<string, any>;
    // What an account document of that time held: bare operation keys, no offers, no charge key.
    old.keys = { operations: old.keys.operations.map(([k, v]: [string, unknown]) => [k.replace(/^legacy:/, ''), v]) };
    delete old.offers;
    delete old.recharge.inFlight.chargeKey;
    const restored = fromSnapshot(old as never);
    const { keys: a, ...restoredState } = toSnapshot(restored);
    const { keys: b, ...liveState } = toSnapshot(live);
    expect(restoredState).toEqual(liveState);
    expect(a).toEqual(b);
    // And a snapshot written now reads back unchanged.
    expect(toSnapshot(fromSnapshot(toSnapshot(live)))).toEqual(toSnapshot(live));
  });

  it('an operator retrying a grant key of that time still gets its first outcome, or 409 with other parameters', async () => {
    const f = ledgerFixture();
    f.store.accounts.set('t1', fold(legacyJournal()));
    expect(await f.ledger.grantFunds('t1', { amount: '25', currency: 'USD', idempotencyKey: 'refund-1', actor: 'operator' })).toMatchObject({
      ok: true,
      value: { replayed: true, amountMinor: 2500 },
    });
    expect(await f.ledger.grantFunds('t1', { amount: '30', currency: 'USD', idempotencyKey: 'refund-1', actor: 'operator' })).toMatchObject({
      ok: false,
      error: { code: 'key-reused-with-different-parameters' },
    });
    expect(await f.ledger.grantFunds('t1', { amount: '25', currency: 'USD', idempotencyKey: 'c0ffee-cancelled-card', actor: 'operator' })).toMatchObject({
      ok: false,
      error: { code: 'key-reused' },
    });
    await f.ledger.idle();
  });

  it('an attempt left in flight then completes with the key it was charged with, once', async () => {
    const f = ledgerFixture();
    f.store.accounts.set('t1', fold(legacyJournal()));
    await f.gateway.charge({
      tenantId: 't1',
      idempotencyKey: 'auto-recharge-2',
      amountMinor: 5000,
      currency: 'USD',
      purpose: 'auto-recharge',
      actor: 'system',
    });
    await f.ledger.resumeRecharges();
    expect(sandboxCharges(f.gateway)).toHaveLength(1);
    const account = (await f.ledger.account('t1'))!;
    expect(account.balanceMinor).toBe(16_500);
    expect(account.recharge.inFlight).toBeNull();
    // The next attempt is charged in the namespaced space.
    await f.ledger.ingestUsage([usage('t1', '150', f.clock)]);
    await f.ledger.idle();
    expect(sandboxCharges(f.gateway).map((c) => c.idempotencyKey)).toEqual(['auto-recharge-2', 'recharge:recharge-3']);
    expect(f.errors).toEqual([]);
    // The entries written since add up to the change of the balance.
    expect(journalSum(f.store, 't1')).toBe((await f.ledger.account('t1'))!.balanceMinor - 11_500);
  });

  it('a purchase of that time, charged but not in the ledger, is added once at restart', async () => {
    const f = ledgerFixture();
    f.store.accounts.set('t1', fold(legacyJournal()));
    // One charged and added then, one charged then whose lot a crash lost.
    await f.gateway.charge({ tenantId: 't1', idempotencyKey: '6f1c2d9e-card-operation', amountMinor: 4000, currency: 'USD', purpose: 'funds', actor: ADMIN });
    await f.gateway.charge({ tenantId: 't1', idempotencyKey: 'lost-card-operation', amountMinor: 3000, currency: 'USD', purpose: 'funds', actor: ADMIN });
    expect(await f.ledger.reconcilePurchases()).toBe(1);
    expect(await f.ledger.reconcilePurchases()).toBe(0);
    const purchases = f.store.entries.get('t1')!.filter((e) => e.kind === 'funds-added' && e.detail.kind === 'funds-added' && e.detail.purpose === 'purchase');
    expect(purchases.map((e) => [e.idempotencyKey, e.amountMinor, e.actor])).toEqual([['purchase:lost-card-operation', 3000, ADMIN]]);
    await f.ledger.idle();
  });
});
