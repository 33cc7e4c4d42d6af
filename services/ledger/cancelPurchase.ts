import type { Minor } from '../money.js';
import type { Change, NoChange } from '../ports.js';
import { ok, type Result } from '../result.js';
import type { Account } from './account.js';
import { addedFunds, type FundsOutcome } from './addFunds.js';
import { ChangeDraft } from './changeDraft.js';
import type { LedgerError } from './errors.js';
import { liveOffer } from './offerPurchase.js';
import { purchaseKey } from './operationKeys.js';

/**
 * What a Cancel achieved: the offer can never charge (`cancelled`), Confirm won the race and the
 * funds are added (`added`), or Confirm has claimed it and the card is being charged (`charging`),
 * so it can no longer be cancelled and nothing may claim that nothing was charged.
 */
export type CancelOutcome =
  | { kind: 'cancelled'; amountMinor: Minor | null; currency: string | null }
  | { kind: 'added'; funds: FundsOutcome }
  | { kind: 'charging'; amountMinor: Minor; currency: string };

/**
 * Cancel on a confirmation card, serialised with Confirm by the store: before Confirm claims the
 * offer it is cancelled for good (a stale copy of the card can never charge); after, the answer
 * says the payment is under way, or shows the funds once added. An id the tenant's account never
 * issued, an expired offer or one shown to someone else is refused and nothing is recorded.
 */
export function cancelPurchase(
  current: Account | undefined,
  tenantId: string,
  offerId: string,
  actor: string,
  now: number,
): Change<Result<CancelOutcome, LedgerError>> | NoChange<Result<CancelOutcome, LedgerError>> {
  const key = purchaseKey(offerId);
  const added = addedFunds(current, key);
  if (added) return { result: ok({ kind: 'added', funds: added }) };
  const live = liveOffer(current, offerId, actor, now);
  if (!live.ok) {
    // Cancel pressed again on a cancelled card: still cancelled.
    if (live.error.code === 'offer-invalid' && live.error.reason === 'cancelled')
      return { result: ok({ kind: 'cancelled', amountMinor: null, currency: null }) };
    return { result: live };
  }
  const offer = live.value;
  if (offer.state === 'charging') return { result: ok({ kind: 'charging', amountMinor: offer.amountMinor, currency: offer.currency }) };
  const draft = new ChangeDraft(current, tenantId, now);
  draft.record({ detail: { kind: 'purchase-cancelled', offerId }, amountMinor: 0, actor, idempotencyKey: key });
  return draft.finish(ok({ kind: 'cancelled', amountMinor: offer.amountMinor, currency: offer.currency }));
}
