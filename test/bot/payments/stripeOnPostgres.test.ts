import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresLedgerStore, type PostgresLedgerStore } from '../../../data/postgres/postgresLedgerStore.js';
import { useTestDatabase } from '../../data/postgresTestDatabase.js';
import { TestClock } from '../../support/memoryLedgerStore.js';
import { startStripeDouble, type StripeDouble } from './stripeDouble.js';
import { stripeLedger } from './stripeLedger.js';

const db = useTestDatabase();

/**
 * Two instances of the bot on one PostgreSQL database, both talking to Stripe: what one learns
 * (the tenant's Customer, the saved card, a webhook event) the other sees, an event delivered to
 * both at once is acted on once, and a payment held for 3-D Secure on one is credited once when
 * Stripe's event reaches the other. In yen: a zero-decimal currency, charged as whole yen.
 */
describe('the Stripe gateway on PostgreSQL, several instances', () => {
  const clock = new TestClock(Date.now());
  const stores: PostgresLedgerStore[] = [];
  let stripe: StripeDouble | undefined;
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await stripe?.close();
  });

  it('shares the Customer, the card, the handled events and the 3-D Secure hold across instances', async () => {
    stripe = await startStripeDouble({ now: () => clock.now() });
    const open = async () => {
      const store = await openPostgresLedgerStore({ url: db.url, poolSize: 4 });
      stores.push(store);
      return stripeLedger(store, stripe!, clock, { defaultCurrency: 'JPY', minAddition: '1000', maxAddition: '1000000', lowBalanceAlert: '500' });
    };
    const [a, b] = [await open(), await open()];
    const tenant = 'pg-yen';

    // The card is saved through instance A's page; Stripe's two events reach both instances at once.
    const page = await a.gateway.cardSetupUrl(tenant, 'en');
    expect(await b.gateway.cardSetupUrl(tenant, 'en')).not.toBeNull();
    expect([...stripe.customers.values()].filter((c) => c.metadata.tenantId === tenant)).toHaveLength(1);
    const saved = stripe.saveCard(page!, { behaviour: 'requires_action' });
    await Promise.all([a.events.handle(saved.completed), b.events.handle(saved.completed), b.events.handle(saved.succeeded), a.events.handle(saved.succeeded)]);
    expect(await b.gateway.cardOnFile(tenant)).toEqual({ brand: 'Visa', last4: '4242', expMonth: 12, expYear: 2034 });
    const journal = () => b.ledger.journal(tenant, 0, 1000);
    expect((await journal()).filter((e) => e.kind === 'payment-method-changed')).toHaveLength(1);
    expect((await journal()).filter((e) => e.kind === 'gateway-event').map((e) => e.idempotencyKey)).toEqual(
      expect.arrayContaining([`gateway-event:${saved.completed.id}`, `gateway-event:${saved.succeeded.id}`]),
    );

    // ¥5000 confirmed on A is held by the bank; the success reaches B (and A, twice).
    expect((await a.ledger.offerPurchase(tenant, { offerId: 'yen-1', amount: '5000', offeredTo: 'admin' })).ok).toBe(true);
    const held = await a.ledger.confirmPurchase(tenant, 'yen-1', 'admin');
    expect(held).toMatchObject({ ok: false, error: { reason: 'authentication-required' } });
    const intent = [...stripe.intents.values()].find((i) => i.metadata.tenantId === tenant)!;
    expect(intent).toMatchObject({ amount: 5000, currency: 'jpy' });
    const succeeded = stripe.authenticate(intent.id);
    await Promise.all([b.events.handle(succeeded), a.events.handle(succeeded), a.events.handle(succeeded)]);
    expect((await journal()).filter((e) => e.kind === 'funds-added').map((e) => e.amountMinor)).toEqual([5000]);
    expect((await a.ledger.account(tenant))?.balanceMinor).toBe(5000);

    // A refund on B: ¥1200 back to the card, against the lot, in whole yen.
    const refund = await b.ledger.refund(tenant, { operationId: 'yen-1', amount: '1200', idempotencyKey: 'r-1', actor: 'operator' });
    expect(refund).toMatchObject({ ok: true, value: { amountMinor: -1200 } });
    expect([...stripe.refunds.values()]).toMatchObject([{ amount: 1200, currency: 'jpy' }]);
    expect((await a.ledger.account(tenant))?.lots).toMatchObject([{ remainingMinor: 3800, paidBy: { chargeId: intent.id } }]);

    // Past Stripe's 24 hours: a charge or refund asked again with its key is found on the Customer or the payment, never made twice.
    const lotId = (await a.ledger.account(tenant))!.lots[0]!.id;
    const lost = { tenantId: tenant, idempotencyKey: 'refund:r-lost', chargeId: intent.id, amountMinor: 300, currency: 'JPY', lotId };
    expect(await a.gateway.refund(lost)).toMatchObject({ ok: true });
    stripe.forgetIdempotencyKeys();
    expect(await b.ledger.refund(tenant, { operationId: 'yen-1', amount: '300', idempotencyKey: 'r-lost', actor: 'operator' })).toMatchObject({ ok: true });
    expect([...stripe.refunds.values()].map((r) => r.amount)).toEqual([1200, 300]);
    expect((await a.ledger.account(tenant))?.balanceMinor).toBe(3500);
    const charge = { tenantId: tenant, idempotencyKey: 'purchase:yen-1', amountMinor: 5000, currency: 'JPY', purpose: 'funds' as const, actor: 'admin' };
    expect(await b.gateway.charge(charge)).toMatchObject({ ok: true, chargeId: intent.id });
    expect(await b.gateway.charge({ ...charge, amountMinor: 6000 })).toMatchObject({ ok: false, reason: 'key-reused' });
    expect([...stripe.intents.values()].filter((i) => i.metadata.tenantId === tenant)).toHaveLength(1);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });
});
