import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../../services/calendar.js';
import { applyEntry } from '../../../services/ledger/applyEntry.js';
import type { Account } from '../../../services/ledger/account.js';
import { ledgerFixture, sandboxCharges } from '../../support/ledgerFixture.js';

const ADMIN = 'aad-admin';

/** An offer of `amount` shown to ADMIN in tenant t1. */
async function offered(f: ReturnType<typeof ledgerFixture>, offerId = 'offer-1', amount = '50.00', tenantId = 't1', offeredTo = ADMIN) {
  const offer = await f.ledger.offerPurchase(tenantId, { offerId, amount, offeredTo });
  if (!offer.ok) throw new Error(JSON.stringify(offer.error));
  return offer.value;
}

/** Nothing charged and nothing credited for the tenant. */
async function nothingMoved(f: ReturnType<typeof ledgerFixture>, tenantId = 't1') {
  expect(sandboxCharges(f.gateway).filter((c) => c.tenantId === tenantId && c.outcome.ok)).toEqual([]);
  expect((f.store.entries.get(tenantId) ?? []).filter((e) => e.kind === 'funds-added')).toEqual([]);
  expect((await f.ledger.account(tenantId))?.balanceMinor ?? 0).toBe(0);
}

describe('confirmation offers: the server records what Confirm may charge', () => {
  it('showing the card records the offer durably: id, amount, currency, who, expiry; nothing moves', async () => {
    const f = ledgerFixture();
    const offer = await offered(f);
    expect(offer).toMatchObject({
      offerId: 'offer-1',
      amountMinor: 5000,
      currency: 'USD',
      offeredTo: ADMIN,
      state: 'open',
      expiresAt: f.clock.now() + 24 * HOUR_MS,
    });
    const entry = f.store.entries.get('t1')!.at(-1)!;
    expect(entry).toMatchObject({ kind: 'purchase-offered', amountMinor: 0, actor: ADMIN, idempotencyKey: 'purchase:offer-1' });
    expect(entry.detail).toEqual({
      kind: 'purchase-offered',
      offerId: 'offer-1',
      amountMinor: 5000,
      currency: 'USD',
      offeredTo: ADMIN,
      expiresAt: new Date(f.clock.now() + 24 * HOUR_MS).toISOString(),
    });
    await nothingMoved(f);
  });

  it('the account is the fold of its journal: offers come back from the entries alone', async () => {
    const f = ledgerFixture();
    await offered(f, 'a');
    await offered(f, 'b', '75');
    await f.ledger.confirmPurchase('t1', 'a', ADMIN);
    let rebuilt: Account | undefined;
    for (const e of f.store.entries.get('t1')!) rebuilt = applyEntry(rebuilt, structuredClone(e));
    expect(rebuilt!.offers).toEqual((await f.ledger.account('t1'))!.offers);
    expect(Object.keys(rebuilt!.offers)).toEqual(['purchase:b']);
  });

  it('Confirm charges and credits exactly the recorded offer', async () => {
    const f = ledgerFixture();
    await offered(f, 'offer-1', '50.00');
    expect(await f.ledger.confirmPurchase('t1', 'offer-1', ADMIN)).toMatchObject({ ok: true, value: { amountMinor: 5000, replayed: false } });
    expect(sandboxCharges(f.gateway)).toEqual([
      expect.objectContaining({ idempotencyKey: 'purchase:offer-1', amountMinor: 5000, currency: 'USD', purpose: 'funds' }),
    ]);
    expect((await f.ledger.account('t1'))!.offers).toEqual({});
  });

  it('an id the server never issued moves nothing and says the card is no longer valid', async () => {
    const f = ledgerFixture();
    await f.ledger.openAccount('t1');
    for (const id of ['forged-1', 'recharge-1', 'auto-recharge-1', 'recharge:recharge-1', 'purchase:offer-1', 'grant:refund-1']) {
      expect(await f.ledger.confirmPurchase('t1', id, ADMIN), id).toEqual({ ok: false, error: { code: 'offer-invalid', reason: 'unknown' } });
    }
    await nothingMoved(f);
  });

  it("another tenant's offer is unknown in this tenant", async () => {
    const f = ledgerFixture();
    await offered(f, 'offer-of-t2', '50', 't2');
    await f.ledger.openAccount('t1');
    expect(await f.ledger.confirmPurchase('t1', 'offer-of-t2', ADMIN)).toEqual({ ok: false, error: { code: 'offer-invalid', reason: 'unknown' } });
    expect(await f.ledger.cancelPurchase('t1', 'offer-of-t2', ADMIN)).toEqual({ ok: false, error: { code: 'offer-invalid', reason: 'unknown' } });
    await nothingMoved(f, 't1');
    await nothingMoved(f, 't2');
    expect((await f.ledger.account('t2'))!.offers['purchase:offer-of-t2']).toMatchObject({ state: 'open' });
  });

  it('an offer made to another user can be neither confirmed nor cancelled by someone else', async () => {
    const f = ledgerFixture();
    await offered(f, 'offer-1', '50', 't1', 'aad-alex');
    expect(await f.ledger.confirmPurchase('t1', 'offer-1', 'aad-megan')).toEqual({ ok: false, error: { code: 'offer-invalid', reason: 'not-yours' } });
    expect(await f.ledger.cancelPurchase('t1', 'offer-1', 'aad-megan')).toEqual({ ok: false, error: { code: 'offer-invalid', reason: 'not-yours' } });
    await nothingMoved(f);
    expect((await f.ledger.confirmPurchase('t1', 'offer-1', 'aad-alex')).ok).toBe(true);
  });

  it('expires after the policy lifetime (24 hours by default)', async () => {
    const f = ledgerFixture();
    await offered(f, 'late');
    await offered(f, 'in-time');
    f.clock.advance(24 * HOUR_MS - 1);
    expect((await f.ledger.confirmPurchase('t1', 'in-time', ADMIN)).ok).toBe(true);
    f.clock.advance(1);
    expect(await f.ledger.confirmPurchase('t1', 'late', ADMIN)).toEqual({ ok: false, error: { code: 'offer-invalid', reason: 'expired' } });
    expect(await f.ledger.cancelPurchase('t1', 'late', ADMIN)).toEqual({ ok: false, error: { code: 'offer-invalid', reason: 'expired' } });
    expect(sandboxCharges(f.gateway)).toHaveLength(1);
  });

  it('the lifetime is a policy value', async () => {
    const f = ledgerFixture({ offerLifetimeHours: 1 });
    await offered(f);
    f.clock.advance(HOUR_MS);
    expect(await f.ledger.confirmPurchase('t1', 'offer-1', ADMIN)).toMatchObject({ ok: false, error: { reason: 'expired' } });
  });

  it('expired offers are dropped from the account when the next offer is made', async () => {
    const f = ledgerFixture();
    await offered(f, 'old');
    f.clock.advance(25 * HOUR_MS);
    await offered(f, 'new');
    expect(Object.keys((await f.ledger.account('t1'))!.offers)).toEqual(['purchase:new']);
    expect(await f.ledger.confirmPurchase('t1', 'old', ADMIN)).toMatchObject({ ok: false, error: { code: 'offer-invalid' } });
  });

  it('a cancelled offer can never charge: a stale Confirm moves nothing', async () => {
    const f = ledgerFixture();
    await offered(f);
    expect(await f.ledger.cancelPurchase('t1', 'offer-1', ADMIN)).toEqual({ ok: true, value: { kind: 'cancelled', amountMinor: 5000, currency: 'USD' } });
    expect(await f.ledger.cancelPurchase('t1', 'offer-1', ADMIN)).toMatchObject({ ok: true, value: { kind: 'cancelled' } });
    expect(await f.ledger.confirmPurchase('t1', 'offer-1', ADMIN)).toEqual({ ok: false, error: { code: 'offer-invalid', reason: 'cancelled' } });
    await nothingMoved(f);
    expect(f.store.entries.get('t1')!.filter((e) => e.kind === 'purchase-cancelled')).toHaveLength(1);
  });

  it('an id cannot be offered twice', async () => {
    const f = ledgerFixture();
    await offered(f, 'same');
    expect(await f.ledger.offerPurchase('t1', { offerId: 'same', amount: '10000', offeredTo: ADMIN })).toMatchObject({
      ok: false,
      error: { code: 'key-reused' },
    });
    expect(await f.ledger.confirmPurchase('t1', 'same', ADMIN)).toMatchObject({ ok: true, value: { amountMinor: 5000 } });
  });

  it('a declined offer stays declined: pressed again it charges nothing more', async () => {
    const f = ledgerFixture();
    await f.gateway.chooseTestCard('t1', 'mastercard-decline');
    await offered(f);
    expect(await f.ledger.confirmPurchase('t1', 'offer-1', ADMIN)).toMatchObject({ ok: false, error: { code: 'payment-failed', reason: 'declined' } });
    await f.gateway.chooseTestCard('t1', 'visa-success');
    expect(await f.ledger.confirmPurchase('t1', 'offer-1', ADMIN)).toMatchObject({
      ok: false,
      error: { code: 'payment-failed', reason: 'declined', amountMinor: 5000 },
    });
    expect(sandboxCharges(f.gateway)).toHaveLength(1);
    await nothingMoved(f);
  });
});
