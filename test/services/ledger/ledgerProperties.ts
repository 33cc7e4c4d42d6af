import fc from 'fast-check';
import { expect } from 'vitest';
import { invariantViolation, type Account } from '../../../services/ledger/account.js';
import { applyEntry } from '../../../services/ledger/applyEntry.js';
import { toSnapshot } from '../../../services/ledger/accountSnapshot.js';
import type { LedgerService } from '../../../services/ledgerService.js';
import type { SandboxGateway } from '../../../services/payments/sandboxGateway.js';
import type { LedgerStore } from '../../../services/ports.js';
import { wholeJournal } from '../../data/ledgerFixtures.js';
import { usage } from '../../support/ledgerFixture.js';
import type { TestClock } from '../../support/memoryLedgerStore.js';

/** A ledger over some store, for one run of the property; `close` ends what the run opened. */
export interface LedgerPropertyFixture {
  ledger: LedgerService;
  store: LedgerStore;
  clock: TestClock;
  gateway: SandboxGateway;
  errors: unknown[];
  tenantId: string;
  close(): Promise<void>;
}

const DAY = 86_400_000;

type Op =
  | { type: 'offer'; cents: number; key: number }
  | { type: 'confirm'; key: number }
  | { type: 'cancel'; key: number }
  | { type: 'grant'; cents: number; key: number }
  | { type: 'usage'; cents: number; record: number }
  | { type: 'advance'; days: number }
  | { type: 'sweep' }
  | { type: 'autoRecharge'; enabled: boolean; trigger: number; amount: number }
  | { type: 'card'; card: 'visa-success' | 'mastercard-decline' | 'visa-expired' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ type: fc.constant('offer' as const), cents: fc.integer({ min: 500, max: 20_000 }), key: fc.integer({ min: 0, max: 8 }) }),
  fc.record({ type: fc.constant('confirm' as const), key: fc.integer({ min: 0, max: 8 }) }),
  fc.record({ type: fc.constant('cancel' as const), key: fc.integer({ min: 0, max: 8 }) }),
  fc.record({ type: fc.constant('grant' as const), cents: fc.integer({ min: 1000, max: 20_000 }), key: fc.integer({ min: 0, max: 8 }) }),
  fc.record({ type: fc.constant('usage' as const), cents: fc.integer({ min: 0, max: 6_000 }), record: fc.integer({ min: 0, max: 30 }) }),
  fc.record({ type: fc.constant('advance' as const), days: fc.integer({ min: 1, max: 200 }) }),
  fc.constant({ type: 'sweep' as const }),
  fc.record({
    type: fc.constant('autoRecharge' as const),
    enabled: fc.boolean(),
    trigger: fc.integer({ min: 0, max: 5000 }),
    amount: fc.integer({ min: 1000, max: 10_000 }),
  }),
  fc.record({ type: fc.constantFrom('card' as const), card: fc.constantFrom('visa-success' as const, 'mastercard-decline' as const, 'visa-expired' as const) }),
);

const cents = (n: number) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;

/**
 * Random interleavings of offers, confirmations, cancels, grants, usage (with replays), time
 * passing, sweeps, auto-recharge settings and card changes, run concurrently in small groups, keep
 * every invariant of the ledger, whatever the store.
 */
export async function checkLedgerProperties(makeFixture: () => Promise<LedgerPropertyFixture>, numRuns: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.array(op, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 25 }), async (groups) => {
      const { ledger, store, clock, gateway, errors, tenantId: t, close } = await makeFixture();
      // Record ids are reused on purpose (replays); each is given one fixed start time.
      const records = new Map<number, ReturnType<typeof usage>>();
      const run = async (o: Op): Promise<unknown> => {
        switch (o.type) {
          case 'offer':
            return ledger.offerPurchase(t, { offerId: `p${o.key}`, amount: cents(o.cents), offeredTo: 'admin' });
          case 'confirm':
            return ledger.confirmPurchase(t, `p${o.key}`, 'admin');
          case 'cancel':
            return ledger.cancelPurchase(t, `p${o.key}`, 'admin');
          case 'grant':
            return ledger.grantFunds(t, { amount: cents(o.cents), currency: 'USD', idempotencyKey: `g${o.key}`, actor: 'operator' });
          case 'usage': {
            const record = records.get(o.record) ?? usage(t, cents(o.cents), clock, { id: `r${o.record}` });
            records.set(o.record, record);
            return ledger.ingestUsage([record]);
          }
          case 'advance':
            return clock.advance(o.days * DAY);
          case 'sweep':
            return ledger.sweep();
          case 'autoRecharge':
            return ledger.setAutoRecharge(t, { enabled: o.enabled, trigger: cents(o.trigger), amount: cents(o.amount) }, 'admin');
          case 'card':
            await gateway.chooseTestCard(t, o.card);
            return ledger.paymentMethodChanged(t, o.card, 'admin');
        }
      };
      try {
        for (const group of groups) await Promise.all(group.map(run));
        await ledger.idle();
        expect(errors).toEqual([]);

        const account = await ledger.account(t);
        if (!account) return;
        const entries = await wholeJournal(store, t);
        expect(invariantViolation(account)).toBeNull();
        const lotsRemaining = account.lots.reduce((s, l) => s + l.remainingMinor, 0);
        expect(account.balanceMinor).toBe(lotsRemaining - account.debtMinor);
        expect(account.balanceMinor).toBe(entries.reduce((sum, e) => sum + e.amountMinor, 0));
        for (const lot of account.lots) {
          expect(lot.remainingMinor).toBeGreaterThan(0);
          expect(lot.remainingMinor).toBeLessThanOrEqual(lot.originalMinor);
        }
        // A key never applies twice: one outcome (funds added, cancelled) per key, one start per attempt.
        const keyed = entries
          .filter((e) => e.idempotencyKey !== null && ['funds-added', 'purchase-cancelled', 'auto-recharge-started'].includes(e.kind))
          .map((e) => `${e.kind}:${e.idempotencyKey}`);
        expect(new Set(keyed).size).toBe(keyed.length);
        // Entries are numbered without gaps and each balanceAfter is the running sum.
        let running = 0;
        entries.forEach((e, i) => {
          expect(e.id).toBe(String(i + 1));
          running += e.amountMinor;
          expect(e.balanceAfterMinor).toBe(running);
        });
        // Replaying the journal from nothing rebuilds the same account.
        let rebuilt: Account | undefined;
        for (const e of entries) rebuilt = applyEntry(rebuilt, structuredClone(e));
        const { keys: _a, ...liveState } = toSnapshot(account);
        const { keys: _b, ...rebuiltState } = toSnapshot(rebuilt!);
        expect(rebuiltState).toEqual(liveState);
        // Never more than one recharge attempt at a time.
        const started = entries.filter((e) => e.kind === 'auto-recharge-started').length;
        const finished = entries.filter(
          (e) => e.kind === 'auto-recharge-failed' || (e.kind === 'funds-added' && e.detail.kind === 'funds-added' && e.detail.source === 'auto-recharge'),
        ).length;
        expect(started - finished).toBe(account.recharge.inFlight ? 1 : 0);
      } finally {
        await close();
      }
    }),
    { numRuns },
  );
}
