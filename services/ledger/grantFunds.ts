import { err, ok, type Result } from '../result.js';
import type { Change, NoChange } from '../ports.js';
import { MAX_MINOR, type Minor } from '../money.js';
import { fundsBreakRange } from './accountRange.js';
import type { Account } from './account.js';
import { addedFunds, addLot, type FundsOutcome } from './addFunds.js';
import { startRechargeIfDue } from './autoRecharge.js';
import { ChangeDraft } from './changeDraft.js';
import type { LedgerError } from './errors.js';
import { grantKey, legacyKey } from './operationKeys.js';
import { accountDefaults, checkAddition, type LedgerPolicy } from './policy.js';

export interface Grant {
  amountMinor: Minor;
  currency: string;
  /** The operator's idempotency key, as sent; it is kept in the grant key space. */
  operatorKey: string;
  actor: string;
  note: string | null;
}

/**
 * An operator's grant or refund (SPEC §3): no card is charged; the addition limits apply. A key
 * seen before answers its first outcome when the amount and currency are the same, and is refused
 * when they differ (Stripe's rule), so a retry can never silently become a different grant or a
 * no-op. A key of the time before keys were namespaced is still found, in the legacy space.
 */
export function grantFunds(
  current: Account | undefined,
  tenantId: string,
  grant: Grant,
  policy: LedgerPolicy,
  now: number,
): Change<Result<FundsOutcome, LedgerError>> | NoChange<Result<FundsOutcome, LedgerError>> {
  const key = grantKey(grant.operatorKey);
  const firstKey = [key, legacyKey(grant.operatorKey)].find((k) => current?.keys.operations.has(k));
  if (current && firstKey) {
    const first = current.keys.operations.get(firstKey)!;
    if (first.kind !== 'funds-added') return { result: err({ code: 'key-reused', kind: first.kind }) };
    if (first.amountMinor !== grant.amountMinor || grant.currency !== current.currency) {
      return { result: err({ code: 'key-reused-with-different-parameters', first: { amountMinor: first.amountMinor, currency: current.currency } }) };
    }
    return { result: ok(addedFunds(current, firstKey)!) };
  }
  const currency = current?.currency ?? grant.currency;
  if (grant.currency !== currency) return { result: err({ code: 'currency-mismatch', expected: currency, got: grant.currency }) };
  const checked = checkAddition(grant.amountMinor, policy, currency);
  if (!checked.ok) return { result: checked };
  if (fundsBreakRange(current, grant.amountMinor)) return { result: err({ code: 'balance-out-of-range', maxMinor: MAX_MINOR, currency }) };

  const draft = new ChangeDraft(current, tenantId, now);
  draft.open(currency, accountDefaults(policy, currency));
  const outcome = addLot(draft, { amountMinor: grant.amountMinor, purpose: 'grant', key, chargeId: null, actor: grant.actor, note: grant.note });
  startRechargeIfDue(draft, now);
  return draft.finish(ok(outcome));
}
