import type { Change, NoChange } from '../ports.js';
import type { Account } from './account.js';
import { replayedFunds, type FundsOutcome } from './addFunds.js';
import { ChangeDraft } from './changeDraft.js';
import { accountDefaults, type LedgerPolicy } from './policy.js';

export type CancelOutcome = { cancelled: true } | { cancelled: false; funds: FundsOutcome };

/** Whether a confirmation card's operation was cancelled: then it may not charge the card. */
export function isCancelledPurchase(account: Account | undefined, key: string): boolean {
  return account?.keys.operations.get(key)?.kind === 'purchase-cancelled';
}

/**
 * Cancel on a confirmation card: records the operation id so a stale copy of the card can never
 * charge. If the funds were already added (Confirm won), the outcome says so instead.
 */
export function cancelPurchase(
  current: Account | undefined,
  tenantId: string,
  key: string,
  actor: string,
  policy: LedgerPolicy,
  now: number,
): Change<CancelOutcome> | NoChange<CancelOutcome> {
  const done = replayedFunds(current, key);
  if (done?.ok) return { result: { cancelled: false, funds: done.value } };
  if (done || isCancelledPurchase(current, key)) return { result: { cancelled: true } };
  const draft = new ChangeDraft(current, tenantId, now);
  draft.open(policy.defaultCurrency, accountDefaults(policy, policy.defaultCurrency));
  draft.record({ detail: { kind: 'purchase-cancelled' }, amountMinor: 0, actor, idempotencyKey: key });
  return draft.finish({ cancelled: true });
}
