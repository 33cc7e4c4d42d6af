import { HOUR_MS, iso } from '../calendar.js';
import { MAX_MINOR, type Minor } from '../money.js';
import { fundsBreakRange } from './accountRange.js';
import type { Change, NoChange } from '../ports.js';
import { err, ok, type Result } from '../result.js';
import type { Account, Offer } from './account.js';
import { ChangeDraft } from './changeDraft.js';
import type { LedgerError } from './errors.js';
import { purchaseKey } from './operationKeys.js';
import { accountDefaults, checkAddition, type LedgerPolicy } from './policy.js';

export interface OfferRequest {
  /** A fresh id the bot generated for the card. */
  offerId: string;
  amountMinor: Minor;
  currency: string;
  /** The actor the card is shown to: the only one who may confirm or cancel it. */
  offeredTo: string;
}

/**
 * A confirmation card is about to be shown: the ledger records the offer (SPEC §1.8), so that
 * Confirm charges and credits exactly this amount for this person until the offer expires,
 * whatever the card's data says later. Nothing moves. An id the account holds or settled is
 * refused. (The bot's ids are UUIDs; one of an offer dropped after it expired unconfirmed or was
 * refused could only start afresh, and the gateway refuses its key with other parameters.)
 */
export function offerPurchase(
  current: Account | undefined,
  tenantId: string,
  request: OfferRequest,
  policy: LedgerPolicy,
  now: number,
): Change<Result<Offer, LedgerError>> | NoChange<Result<Offer, LedgerError>> {
  const key = purchaseKey(request.offerId);
  if (current && (Object.hasOwn(current.offers, key) || current.keys.operations.has(key))) return { result: err({ code: 'key-reused', kind: 'purchase' }) };
  const currency = current?.currency ?? request.currency;
  if (request.currency !== currency) return { result: err({ code: 'currency-mismatch', expected: currency, got: request.currency }) };
  const checked = checkAddition(request.amountMinor, policy, currency);
  if (!checked.ok) return { result: checked };
  if (fundsBreakRange(current, request.amountMinor)) return { result: err({ code: 'balance-out-of-range', maxMinor: MAX_MINOR, currency }) };

  const draft = new ChangeDraft(current, tenantId, now);
  draft.open(currency, accountDefaults(policy, currency));
  draft.record({
    detail: {
      kind: 'purchase-offered',
      offerId: request.offerId,
      amountMinor: request.amountMinor,
      currency,
      offeredTo: request.offeredTo,
      expiresAt: iso(now + policy.offerLifetimeHours * HOUR_MS),
    },
    amountMinor: 0,
    actor: request.offeredTo,
    idempotencyKey: key,
  });
  return draft.finish(ok({ ...draft.account!.offers[key]! }));
}

/**
 * The offer a Confirm or Cancel from `actor` may act on, or why the card is no longer valid: an
 * id this tenant's account never issued (another tenant's, a forged one, one long settled), a
 * cancelled one, one shown to someone else, or one past its expiry. An offer Confirm has claimed
 * does not expire: its charge is under way.
 */
export function liveOffer(account: Account | undefined, offerId: string, actor: string, now: number): Result<Offer, LedgerError> {
  const key = purchaseKey(offerId);
  if (account?.keys.operations.get(key)?.kind === 'purchase-cancelled') return err({ code: 'offer-invalid', reason: 'cancelled' });
  const offer = account && Object.hasOwn(account.offers, key) ? account.offers[key]! : null;
  if (!offer) return err({ code: 'offer-invalid', reason: 'unknown' });
  if (offer.offeredTo !== actor) return err({ code: 'offer-invalid', reason: 'not-yours' });
  if (offer.state !== 'charging' && now >= offer.expiresAt) return err({ code: 'offer-invalid', reason: 'expired' });
  return ok(offer);
}
