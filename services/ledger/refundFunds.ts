import type { Minor } from '../money.js';
import type { Change, NoChange } from '../ports.js';
import { err, ok, type Result } from '../result.js';
import type { Account, Lot } from './account.js';
import { ChangeDraft } from './changeDraft.js';
import type { KeyOutcome } from './idempotencyKeys.js';
import { purchaseKey } from './operationKeys.js';

/** Why a refund was refused; nothing was sent back and nothing journaled. */
export type RefundError =
  | { code: 'no-account' }
  /** No card payment of this account has that operation id. */
  | { code: 'unknown-operation'; operationId: string }
  /** The lot it added is used up or expired: nothing of it remains to refund. */
  | { code: 'refund-exceeds-lot'; remainingMinor: Minor; currency: string }
  /** The refund key was used before for another refund (another lot or amount). */
  | { code: 'key-reused-with-different-parameters'; first: { amountMinor: Minor; currency: string } }
  /** The gateway refused or did not answer; nothing was journaled (asking again with the key is safe). */
  | { code: 'refund-failed'; reason: 'refused' | 'gateway-error'; message: string }
  /** The gateway in use cannot refund (the sandbox). */
  | { code: 'refunds-unavailable' };

/** The funds key of the operation an operator names: the offer id on the admin's card, or a journal key (`purchase:…`, `recharge:…`). */
export const fundsKeyOf = (operationId: string): string => (/^(purchase|recharge):/.test(operationId) ? operationId : purchaseKey(operationId));

/** A card payment's lot that can be refunded: what it holds now, and the charge it came from. */
export interface RefundableLot {
  lot: Lot;
  chargeId: string;
  fundsKey: string;
}

/** The first outcome of a refund key, if it was used. */
export const refundedBefore = (account: Account | undefined, key: string): KeyOutcome | null => {
  const outcome = account?.keys.operations.get(key);
  return outcome?.kind === 'funds-refunded' ? outcome : null;
};

/** The lot a card payment added, if any of it remains and the gateway's charge is known; never more than it holds can be refunded. */
export function refundableLot(account: Account | undefined, operationId: string, amountMinor: Minor): Result<RefundableLot, RefundError> {
  if (!account) return err({ code: 'no-account' });
  const fundsKey = fundsKeyOf(operationId);
  const added = account.keys.operations.get(fundsKey);
  if (added?.kind !== 'funds-added') return err({ code: 'unknown-operation', operationId });
  const lot = account.lots.find((l) => l.paidBy?.key === fundsKey);
  // Used up or expired: nothing of it remains to go back to the card.
  if (!lot) return err({ code: 'refund-exceeds-lot', remainingMinor: 0, currency: account.currency });
  // Added before the lot kept its charge: the gateway cannot be told which payment to refund.
  if (!lot.paidBy?.chargeId) return err({ code: 'unknown-operation', operationId });
  if (amountMinor > lot.remainingMinor) return err({ code: 'refund-exceeds-lot', remainingMinor: lot.remainingMinor, currency: account.currency });
  return ok({ lot, chargeId: lot.paidBy.chargeId, fundsKey });
}

export interface RefundRecord {
  key: string;
  fundsKey: string;
  lotId: string;
  chargeId: string;
  refundId: string;
  amountMinor: Minor;
  actor: string;
}

/**
 * The gateway refunded the money: a negative entry against the lot it came from, once per refund
 * key. Taken from that lot; should usage have drawn the lot down while the refund was made, the
 * rest comes from the balance, since the money did go back to the card.
 */
export function recordRefund(
  current: Account | undefined,
  tenantId: string,
  refund: RefundRecord,
  now: number,
): Change<Result<KeyOutcome, RefundError>> | NoChange<Result<KeyOutcome, RefundError>> {
  if (!current) return { result: err({ code: 'no-account' }) };
  const first = refundedBefore(current, refund.key);
  if (first)
    return {
      result:
        first.amountMinor === -refund.amountMinor
          ? ok(first)
          : err({ code: 'key-reused-with-different-parameters', first: { amountMinor: -first.amountMinor, currency: current.currency } }),
    };
  const draft = new ChangeDraft(current, tenantId, now);
  draft.record({
    detail: { kind: 'funds-refunded', lotId: refund.lotId, refundId: refund.refundId, chargeId: refund.chargeId, fundsKey: refund.fundsKey },
    amountMinor: -refund.amountMinor,
    actor: refund.actor,
    idempotencyKey: refund.key,
  });
  return draft.finish(ok(draft.account!.keys.operations.get(refund.key)!));
}
