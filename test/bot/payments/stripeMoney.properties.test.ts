import fc from 'fast-check';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purchaseKey } from '../../../services/ledger/operationKeys.js';
import { MemoryLedgerStore, TestClock } from '../../support/memoryLedgerStore.js';
import { stripeLedger } from './stripeLedger.js';
import { startStripeDouble, type CardBehaviour, type StripeDouble } from './stripeDouble.js';

const BEHAVIOURS: CardBehaviour[] = ['succeed', 'card_declined', 'insufficient_funds', 'expired_card', 'requires_action', 'authentication_required'];
const TENANTS = ['a', 'b'] as const;

type Step =
  | { kind: 'card'; tenant: number; behaviour: CardBehaviour }
  | { kind: 'buy'; tenant: number; amount: number }
  | { kind: 'usage'; tenant: number; charge: number }
  | { kind: 'authenticate'; tenant: number; passed: boolean; deliver: boolean }
  | { kind: 'redeliver'; index: number }
  | { kind: 'charged-then-crash'; tenant: number; amount: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('card' as const), tenant: fc.nat(1), behaviour: fc.constantFrom(...BEHAVIOURS) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('buy' as const), tenant: fc.nat(1), amount: fc.integer({ min: 10, max: 300 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('usage' as const), tenant: fc.nat(1), charge: fc.integer({ min: 1, max: 200 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('authenticate' as const), tenant: fc.nat(1), passed: fc.boolean(), deliver: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('redeliver' as const), index: fc.nat(50) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('charged-then-crash' as const), tenant: fc.nat(1), amount: fc.integer({ min: 10, max: 300 }) }) },
);

/**
 * Charged = credited with Stripe, whatever happens: for every tenant, the sum of its succeeded
 * PaymentIntents equals the sum of the lots its purchases and auto-recharges added, and each
 * succeeded PaymentIntent paid for exactly one lot — through declines, 3-D Secure passed or
 * failed, webhooks lost, redelivered and out of order, and charges a crash kept from the ledger
 * (found at the next start).
 */
describe('Stripe: Σ succeeded PaymentIntents = Σ lots from purchases and recharges, per tenant', () => {
  let stripe: StripeDouble;
  const clock = new TestClock(Date.now());
  let run = 0;

  beforeAll(async () => {
    stripe = await startStripeDouble({ now: () => clock.now() });
  });
  afterAll(() => stripe?.close());

  it('holds for random sequences of purchases, recharges, declines, authentications and webhooks', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 16 }), async (steps) => {
        run++;
        const tenantIds = TENANTS.map((t) => `prop-${run}-${t}`);
        const store = new MemoryLedgerStore();
        const { ledger: service, gateway, events } = stripeLedger(store, stripe, clock);
        const delivered: Stripe.Event[] = [];
        const deliver = async (event: Stripe.Event) => {
          delivered.push(event);
          await events.handle(event);
        };
        const methods = new Map<string, string>();
        /** PaymentIntents that succeeded without the ledger being told (webhook lost, crash): only a restart finds them for sure. */
        const untold = new Set<string>();
        let offers = 0;

        for (const tenantId of tenantIds) {
          await service.setAutoRecharge(tenantId, { enabled: true, trigger: '20', amount: '50' }, 'admin');
        }
        for (const s of steps) {
          const tenantId = 'tenant' in s ? tenantIds[s.tenant]! : '';
          if (s.kind === 'card') {
            const method = methods.get(tenantId);
            if (method) stripe.setBehaviour(method, s.behaviour);
            else {
              const page = await gateway.cardSetupUrl(tenantId, 'en');
              const saved = stripe.saveCard(page!, { behaviour: s.behaviour });
              methods.set(tenantId, saved.method.id);
              await deliver(saved.completed);
            }
          } else if (s.kind === 'buy' || s.kind === 'charged-then-crash') {
            const offerId = `offer-${++offers}`;
            const offered = await service.offerPurchase(tenantId, { offerId, amount: String(s.amount), offeredTo: 'admin' });
            if (!offered.ok) continue;
            if (s.kind === 'buy') await service.confirmPurchase(tenantId, offerId, 'admin');
            else {
              const charged = await gateway.charge({
                tenantId,
                idempotencyKey: purchaseKey(offerId),
                amountMinor: s.amount * 100,
                currency: 'USD',
                purpose: 'funds',
                actor: 'admin',
              });
              if (charged.ok) untold.add(charged.chargeId);
            }
          } else if (s.kind === 'usage') {
            await service.ingestUsage([
              {
                id: `call-${run}-${++offers}`,
                tenantId,
                startDateTime: new Date(clock.now() - 60_000).toISOString(),
                endDateTime: new Date(clock.now()).toISOString(),
                durationSeconds: 60,
                charge: String(s.charge),
                currency: 'USD',
                callType: 'user_out',
                destinationContext: 'Domestic',
                destinationName: null,
                licenseCapability: null,
                userId: null,
                conferenceId: null,
              },
            ]);
          } else if (s.kind === 'authenticate') {
            const held = [...stripe.intents.values()].find((i) => i.metadata.tenantId === tenantId && i.status === 'requires_action');
            if (!held) continue;
            const event = stripe.authenticate(held.id, s.passed);
            if (s.deliver) await deliver(event);
            else untold.add(held.id);
          } else if (s.kind === 'redeliver' && delivered.length > 0) {
            await events.handle(delivered[s.index % delivered.length]!);
          }
          await service.idle();
        }
        // Before any restart: every payment the ledger was told of has its lot, and no lot lacks a succeeded payment.
        for (const tenantId of tenantIds) {
          const succeeded = [...stripe.intents.values()].filter((i) => i.metadata.tenantId === tenantId && i.status === 'succeeded').map((i) => i.id);
          const paidBy = (await service.journal(tenantId, 0, 10_000)).flatMap((e) =>
            e.detail.kind === 'funds-added' && e.detail.chargeId ? [e.detail.chargeId] : [],
          );
          for (const id of succeeded) if (!untold.has(id)) expect(paidBy, `${id} was told`).toContain(id);
          for (const id of paidBy) expect(succeeded).toContain(id);
        }
        // A restart: charges whose funds a crash or a lost webhook kept from the ledger are found.
        await service.reconcilePurchases();
        await service.idle();

        for (const tenantId of tenantIds) {
          const succeeded = [...stripe.intents.values()].filter((i) => i.metadata.tenantId === tenantId && i.status === 'succeeded');
          const journal = await service.journal(tenantId, 0, 10_000);
          const lots = journal.filter((e) => e.detail.kind === 'funds-added' && (e.detail.purpose === 'purchase' || e.detail.purpose === 'recharge'));
          expect(lots.reduce((sum, e) => sum + e.amountMinor, 0)).toBe(succeeded.reduce((sum, i) => sum + i.amount, 0));
          const paidBy = lots.map((e) => (e.detail.kind === 'funds-added' ? e.detail.chargeId : null)).sort();
          expect(paidBy).toEqual(succeeded.map((i) => i.id).sort());
        }
      }),
      { numRuns: 60 },
    );
    // The runs did move money: payments succeeded, were declined and were held for 3-D Secure.
    const statuses = [...stripe.intents.values()].map((i) => i.status);
    for (const status of ['succeeded', 'requires_action', 'requires_payment_method']) expect(statuses, status).toContain(status);
    expect([...stripe.intents.values()].some((i) => i.metadata.purpose === 'auto-recharge' && i.status === 'succeeded')).toBe(true);
  });
});
