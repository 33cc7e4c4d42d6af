import type { Change, NoChange } from '../ports.js';
import { ok, type Result } from '../result.js';
import type { Account } from './account.js';
import { addedFunds, type FundsOutcome } from './addFunds.js';
import { startRechargeIfDue } from './autoRecharge.js';
import { ChangeDraft } from './changeDraft.js';
import { creditCharge, type SettledPayment } from './creditCharge.js';
import type { LedgerError } from './errors.js';
import { accountDefaults, type LedgerPolicy } from './policy.js';

/**
 * A purchase's charge went through (Confirm's, or one found at restart): its lot, once, then an
 * auto-recharge if the balance is still below the trigger. `alreadyAddedAs` names another key
 * the same purchase may have been added under (its key from before keys were namespaced).
 */
export function creditPurchaseCharge(
  current: Account | undefined,
  tenantId: string,
  payment: Omit<SettledPayment, 'purpose'> & { alreadyAddedAs?: string },
  policy: LedgerPolicy,
  now: number,
): Change<Result<FundsOutcome, LedgerError>> | NoChange<Result<FundsOutcome, LedgerError>> {
  const earlier = payment.alreadyAddedAs ? addedFunds(current, payment.alreadyAddedAs) : null;
  if (earlier) return { result: ok(earlier) };
  const draft = new ChangeDraft(current, tenantId, now);
  draft.open(payment.currency, accountDefaults(policy, payment.currency));
  const result = creditCharge(draft, { ...payment, purpose: 'purchase' });
  if (result.ok && !result.value.replayed) startRechargeIfDue(draft, now);
  return draft.finish(result);
}
