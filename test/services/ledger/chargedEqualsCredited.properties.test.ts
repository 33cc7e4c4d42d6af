import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Verb, type AdaptiveCard } from '../../../cards/index.js';
import { dispatchAction } from '../../../bot/routes/dispatch.js';
import type { HandlerDeps, Turn } from '../../../bot/handlers/handlerDeps.js';
import { invariantViolation } from '../../../services/ledger/account.js';
import type { JournalEntry } from '../../../services/ledger/journal.js';
import { executeActions } from '../../cards/validateCard.js';
import { journalSum, ledgerFixture, sandboxCharges, usage } from '../../support/ledgerFixture.js';
import { emptyConversationBook } from '../../support/conversationBookFixture.js';

/**
 * Charged = credited (SPEC §1.8), as an attacker and a busy tenant would test it: confirmation
 * cards pressed concurrently, cancelled, replayed, pressed in another tenant or by another person,
 * their data edited (amounts, currencies, ids of other purposes), with auto-recharges and grants
 * running alongside. Card presses go through the bot's own action dispatch, exactly as Teams
 * delivers them, so what a card's data can and cannot do is part of the property.
 */

const TENANTS = ['t1', 't2'] as const;
const PEOPLE = ['aad-alex', 'aad-megan'] as const;
type Tenant = (typeof TENANTS)[number];
type Person = (typeof PEOPLE)[number];

/** Ids of other purposes and forgeries an admin may type into a card's data. */
const FORGED_IDS = ['auto-recharge-1', 'recharge-1', 'recharge:recharge-1', 'recharge:recharge-2', 'grant:g0', 'g0', 'purchase:op-1', 'op-999', 'legacy:op-1'];

type Tamper = { kind: 'none' } | { kind: 'amount'; amount: string; currency: string } | { kind: 'forged-id'; id: string };

type Op =
  | { type: 'review'; tenant: Tenant; person: Person; cents: number }
  | { type: 'confirm'; card: number; person: Person | 'owner'; inTenant: Tenant | 'same'; tamper: Tamper }
  | { type: 'cancel'; card: number; person: Person | 'owner'; inTenant: Tenant | 'same' }
  | { type: 'grant'; tenant: Tenant; key: number; cents: number }
  | { type: 'usage'; tenant: Tenant; cents: number }
  | { type: 'autoRecharge'; tenant: Tenant; enabled: boolean; trigger: number; amount: number }
  | { type: 'card'; tenant: Tenant; card: 'visa-success' | 'mastercard-decline' | 'visa-expired' }
  | { type: 'advance'; hours: number };

const tenant = fc.constantFrom(...TENANTS);
const person = fc.constantFrom(...PEOPLE);
/** Mostly the person the card was shown to; sometimes another admin. */
const presser = fc.constantFrom('owner' as const, 'owner' as const, ...PEOPLE);
const tamper: fc.Arbitrary<Tamper> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'none' as const }) },
  fc.record({
    kind: fc.constant('amount' as const),
    amount: fc.constantFrom('10000.00', '0.01', '999999999.99', '-50', '50'),
    currency: fc.constantFrom('USD', 'EUR', 'JPY'),
  }),
  fc.record({ kind: fc.constant('forged-id' as const), id: fc.constantFrom(...FORGED_IDS) }),
);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ type: fc.constant('review' as const), tenant, person, cents: fc.integer({ min: 500, max: 20_000 }) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.constant('confirm' as const),
      card: fc.nat(40),
      person: presser,
      inTenant: fc.constantFrom('same' as const, 'same' as const, ...TENANTS),
      tamper,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ type: fc.constant('cancel' as const), card: fc.nat(40), person: presser, inTenant: fc.constantFrom('same' as const, ...TENANTS) }),
  },
  fc.record({ type: fc.constant('grant' as const), tenant, key: fc.nat(3), cents: fc.integer({ min: 1000, max: 5000 }) }),
  { weight: 2, arbitrary: fc.record({ type: fc.constant('usage' as const), tenant, cents: fc.integer({ min: 0, max: 8000 }) }) },
  fc.record({
    type: fc.constant('autoRecharge' as const),
    tenant,
    enabled: fc.boolean(),
    trigger: fc.integer({ min: 0, max: 5000 }),
    amount: fc.integer({ min: 1000, max: 10_000 }),
  }),
  fc.record({
    type: fc.constant('card' as const),
    tenant,
    card: fc.constantFrom('visa-success' as const, 'mastercard-decline' as const, 'visa-expired' as const),
  }),
  fc.record({ type: fc.constant('advance' as const), hours: fc.integer({ min: 1, max: 30 }) }),
);

const cents = (n: number) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;
const manageAll = async () => ({ ok: true as const, permissions: new Set(['view', 'manage'] as const), via: 'allow-list' as const });

describe('charged = credited', () => {
  it('per tenant, every successful charge is exactly one lot of its amount, and no lot exists without its charge', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(op, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 14 }), async (groups) => {
        const { ledger, store, clock, gateway, errors } = ledgerFixture();
        let operations = 0;
        const deps: HandlerDeps = {
          ledger,
          gateway,
          sandbox: gateway,
          clock,
          displayNames: async () => () => null,
          newOperationId: () => `op-${++operations}`,
          usageSyncedAt: async () => null,
          alertSubscriptions: emptyConversationBook(),
          viewerUserIds: async () => [],
          journalCsvLink: () => ({ url: 'http://127.0.0.1/api/exports/journal.csv?t=unused', expiresAt: new Date(clock.now()).toISOString(), minutes: 15 }),
        };
        const turn = (tenantId: string, who: Person): Turn => ({
          tenantId,
          user: { id: `29:${who}`, aadObjectId: who, name: who },
          conversation: { id: `a:${tenantId}:${who}`, scope: 'personal' },
          locale: 'en-US',
          timeZone: null,
        });
        const press = (tenantId: string, who: Person, data: Record<string, unknown>) => dispatchAction(turn(tenantId, who), deps, manageAll, data);
        /** Confirmation cards shown so far, with the offer they were shown for. */
        const shown: Array<{ tenant: Tenant; person: Person; card: AdaptiveCard; amountMinor: number }> = [];
        const buttonData = (card: AdaptiveCard, verb: string) => executeActions(card).find((a) => a.verb === verb)?.data;

        const run = async (o: Op): Promise<unknown> => {
          switch (o.type) {
            case 'review': {
              const reply = await press(o.tenant, o.person, { verb: Verb.fundsReview, amount: cents(o.cents) });
              if (reply.kind === 'card' && buttonData(reply.card, Verb.fundsCancel))
                shown.push({ tenant: o.tenant, person: o.person, card: reply.card, amountMinor: o.cents });
              return;
            }
            case 'confirm':
            case 'cancel': {
              const target = shown[o.card % Math.max(1, shown.length)];
              if (!target) return;
              const verb = o.type === 'confirm' ? Verb.fundsConfirm : Verb.fundsCancel;
              // A card without Confirm (no usable card on file) can still be forged into one.
              const data: Record<string, unknown> = {
                ...(buttonData(target.card, verb) ?? { verb, operationId: buttonData(target.card, Verb.fundsCancel)!.operationId }),
              };
              if (o.type === 'confirm' && o.tamper.kind === 'amount') Object.assign(data, { amount: o.tamper.amount, currency: o.tamper.currency });
              if (o.type === 'confirm' && o.tamper.kind === 'forged-id') data.operationId = o.tamper.id;
              return press(o.inTenant === 'same' ? target.tenant : o.inTenant, o.person === 'owner' ? target.person : o.person, data);
            }
            case 'grant':
              return ledger.grantFunds(o.tenant, { amount: cents(o.cents), currency: 'USD', idempotencyKey: `g${o.key}`, actor: 'operator' });
            case 'usage':
              return ledger.ingestUsage([usage(o.tenant, cents(o.cents), clock)]);
            case 'autoRecharge':
              return ledger.setAutoRecharge(o.tenant, { enabled: o.enabled, trigger: cents(o.trigger), amount: cents(o.amount) }, 'aad-alex');
            case 'card':
              await gateway.chooseTestCard(o.tenant, o.card);
              return ledger.paymentMethodChanged(o.tenant, o.card, 'aad-alex');
            case 'advance':
              return clock.advance(o.hours * 3_600_000);
          }
        };
        for (const group of groups) await Promise.all(group.map(run));
        await ledger.idle();
        expect(errors).toEqual([]);
        // Nothing was charged whose lot is missing: restart would find nothing to add.
        expect(await ledger.reconcilePurchases()).toBe(0);

        const charges = sandboxCharges(gateway).filter((c) => c.outcome.ok);
        for (const tenantId of TENANTS) {
          const account = await ledger.account(tenantId);
          const entries: JournalEntry[] = store.entries.get(tenantId) ?? [];
          const paidLots = entries.filter((e) => e.detail.kind === 'funds-added' && e.detail.purpose !== 'grant');
          const tenantCharges = charges.filter((c) => c.tenantId === tenantId);
          // Σ successful gateway charges = Σ lots from purchases and recharges.
          expect(paidLots.reduce((s, e) => s + e.amountMinor, 0)).toBe(tenantCharges.reduce((s, c) => s + c.amountMinor, 0));
          // Each charge has exactly one lot of its amount, under its key, naming it; and the other way round.
          expect(paidLots).toHaveLength(tenantCharges.length);
          for (const charge of tenantCharges) {
            const lots = paidLots.filter((e) => e.idempotencyKey === charge.idempotencyKey);
            expect(lots).toHaveLength(1);
            expect(lots[0]).toMatchObject({ amountMinor: charge.amountMinor, detail: { chargeId: charge.outcome.ok ? charge.outcome.chargeId : null } });
            expect(charge.currency).toBe(account!.currency);
          }
          // A purchase charges exactly what its card showed: the amount its offer recorded.
          for (const lot of paidLots.filter((e) => e.detail.kind === 'funds-added' && e.detail.purpose === 'purchase')) {
            const offer = entries.find((e) => e.kind === 'purchase-offered' && e.idempotencyKey === lot.idempotencyKey)!;
            expect(offer.detail).toMatchObject({ amountMinor: lot.amountMinor, offeredTo: lot.actor });
          }
          // A cancelled offer was never charged.
          for (const cancelled of entries.filter((e) => e.kind === 'purchase-cancelled')) {
            expect(tenantCharges.some((c) => c.idempotencyKey === cancelled.idempotencyKey)).toBe(false);
          }
          if (!account) continue;
          // The ledger's own invariant: balance = Σ lots − debt = Σ journal.
          expect(invariantViolation(account)).toBeNull();
          expect(account.balanceMinor).toBe(account.lots.reduce((s, l) => s + l.remainingMinor, 0) - account.debtMinor);
          expect(account.balanceMinor).toBe(journalSum(store, tenantId));
        }
      }),
      { numRuns: 200 },
    );
  }, 120_000);
});
