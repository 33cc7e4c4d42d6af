import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invariantViolation, type Account } from '../../../services/ledger/account.js';
import { toSnapshot } from '../../../services/ledger/accountSnapshot.js';
import { applyEntry } from '../../../services/ledger/applyEntry.js';
import { isMinorInRange, toDecimalString } from '../../../services/money.js';
import { journalSum, ledgerFixture, usage } from '../../support/ledgerFixture.js';

const DAY = 86_400_000;
/** The largest addition and usage charge the configuration accepts, in cents. */
const HUGE_CENTS = 99_999_999_900;
const cents = fc.oneof(fc.integer({ min: 0, max: HUGE_CENTS }), { arbitrary: fc.constant(HUGE_CENTS), weight: 2 }, fc.integer({ min: 1, max: 100 }));

type Op = { type: 'grant'; cents: number } | { type: 'usage'; charges: number[] } | { type: 'advance'; days: number } | { type: 'sweep' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ type: fc.constant('grant' as const), cents }),
  { arbitrary: fc.record({ type: fc.constant('usage' as const), charges: fc.array(cents, { minLength: 1, maxLength: 40, size: 'max' }) }), weight: 3 },
  fc.record({ type: fc.constant('advance' as const), days: fc.integer({ min: 0, max: 3 }) }),
  fc.constant({ type: 'sweep' as const }),
);

describe('amounts near the bound (property)', () => {
  it('never make balance ≠ Σ lots − debt ≠ Σ journal, nor any figure a non-safe integer', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 30, size: 'max' }), async (ops) => {
        const { ledger, store, clock, errors } = ledgerFixture({ maxAddition: '999999999.00', maxUsageCharge: '999999999.00' });
        let grants = 0;
        for (const o of ops) {
          if (o.type === 'grant') {
            const result = await ledger.grantFunds('t', {
              amount: toDecimalString(o.cents, 'USD'),
              currency: 'USD',
              idempotencyKey: `g${++grants}`,
              actor: 'operator',
            });
            if (!result.ok) expect(result.error.code).toMatch(/^(amount-too-small|balance-out-of-range)$/);
          } else if (o.type === 'usage') {
            const outcome = await ledger.ingestUsage(o.charges.map((c) => usage('t', toDecimalString(c, 'USD'), clock)));
            for (const r of outcome.rejected) expect(r.error).toMatch(/^charging .* would take the balance or a usage total beyond/);
          } else if (o.type === 'advance') clock.advance(o.days * DAY);
          else await ledger.sweep();
        }
        await ledger.idle();
        expect(errors).toEqual([]);
        const account = await ledger.account('t');
        if (!account) return;
        expect(invariantViolation(account)).toBeNull();
        const lots = account.lots.reduce((sum, lot) => sum + lot.remainingMinor, 0);
        expect(account.balanceMinor).toBe(lots - account.debtMinor);
        expect(account.balanceMinor).toBe(journalSum(store, 't'));
        const entries = store.entries.get('t')!;
        let running = 0;
        for (const e of entries) {
          running += e.amountMinor;
          expect(Number.isSafeInteger(running)).toBe(true);
          expect(e.balanceAfterMinor).toBe(running);
          expect(isMinorInRange(e.amountMinor) && isMinorInRange(e.balanceAfterMinor)).toBe(true);
        }
        for (const figure of [account.balanceMinor, account.debtMinor, ...account.lots.flatMap((l) => [l.originalMinor, l.remainingMinor])]) {
          expect(isMinorInRange(figure)).toBe(true);
        }
        for (const day of Object.values(account.usage.days)) expect(isMinorInRange(day.minor)).toBe(true);
        for (const hour of Object.values(account.usage.hours)) expect(isMinorInRange(hour)).toBe(true);
        // The journal rebuilds the same account, usage totals included.
        let rebuilt: Account | undefined;
        for (const e of entries) rebuilt = applyEntry(rebuilt, structuredClone(e));
        const { keys: _a, ...live } = toSnapshot(account);
        const { keys: _b, ...replayed } = toSnapshot(rebuilt!);
        expect(replayed).toEqual(live);
      }),
      { numRuns: 60 },
    );
  });
});
