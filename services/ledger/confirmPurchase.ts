import { MAX_MINOR } from '../money.js';
import type { ChargeOutcome, Change, NoChange } from '../ports.js';
import { fundsBreakRange } from './accountRange.js';
import { err, ok, type Result } from '../result.js';
import type { Account, Offer } from './account.js';
import { addedFunds, type FundsOutcome } from './addFunds.js';
import { ChangeDraft } from './changeDraft.js';
import { creditPurchaseCharge } from './creditPurchaseCharge.js';
import type { LedgerError } from './errors.js';
import { liveOffer } from './offerPurchase.js';
import { purchaseKey } from './operationKeys.js';
import type { LedgerPolicy } from './policy.js';

type Decided<T> = Change<Result<T, LedgerError>> | NoChange<Result<T, LedgerError>>;

/** What Confirm does next: charge the card for the recorded offer, or show the funds already added. */
export type Claim = { kind: 'charge'; offer: Offer } | { kind: 'added'; funds: FundsOutcome };

/**
 * Confirm, first step: claims the offer before the card is charged, so a Cancel from then on
 * knows the payment is under way and can no longer pretend nothing was charged. The charge is for
 * the recorded offer only, whatever the card's data says. A second Confirm (a double click, a
 * resent activity, another device) gets the offer again: charging it again with the same key is
 * answered by the gateway with the first charge, so the card is charged once.
 */
export function claimOffer(current: Account | undefined, tenantId: string, offerId: string, actor: string, now: number): Decided<Claim> {
  const added = addedFunds(current, purchaseKey(offerId));
  if (added) return { result: ok({ kind: 'added', funds: added }) };
  const live = liveOffer(current, offerId, actor, now);
  if (!live.ok) return { result: live };
  const offer = live.value;
  if (offer.state === 'failed') return { result: err(refused(offer, offer.failure ?? 'declined', 'The payment was refused when this card was confirmed.')) };
  // The bank still waits for the admin: asking the gateway again tells whether they confirmed it.
  if (offer.state === 'charging') return { result: ok({ kind: 'charge', offer: { ...offer } }) };
  // Checked again before the card is charged: other funds may have come in since the offer.
  if (fundsBreakRange(current, offer.amountMinor)) return { result: err({ code: 'balance-out-of-range', maxMinor: MAX_MINOR, currency: offer.currency }) };
  const draft = new ChangeDraft(current, tenantId, now);
  draft.record({ detail: { kind: 'purchase-charging', offerId }, amountMinor: 0, actor, idempotencyKey: purchaseKey(offerId) });
  return draft.finish(ok({ kind: 'charge', offer: { ...offer, state: 'charging' } }));
}

/**
 * Confirm, second step: what the gateway answered. A charge that went through is credited exactly
 * as charged. A refused one (declined, expired card, no card, a key the gateway knew with other
 * parameters) is recorded and the offer can no longer charge. An unknown outcome (`gateway-error`)
 * leaves the offer being charged: Confirm again asks the gateway with the same key, and a charge
 * that did go through is also found at restart.
 */
export function settlePurchase(
  current: Account | undefined,
  tenantId: string,
  offer: Offer,
  charge: ChargeOutcome,
  policy: LedgerPolicy,
  now: number,
): Decided<FundsOutcome> {
  const key = purchaseKey(offer.offerId);
  if (charge.ok) {
    return creditPurchaseCharge(
      current,
      tenantId,
      { key, chargeId: charge.chargeId, amountMinor: charge.amountMinor, currency: charge.currency, actor: offer.offeredTo, note: null },
      policy,
      now,
    );
  }
  // A refusal of the key means nothing was charged now; to the admin it is the service failing.
  const reason = charge.reason === 'key-reused' ? 'gateway-error' : charge.reason;
  const details = charge.reason === 'key-reused' ? {} : { declineCode: charge.declineCode, authenticationUrl: charge.authentication?.url };
  const failure = err(refused(offer, reason, charge.message, details));
  const held = current?.offers[key];
  if (charge.reason === 'gateway-error' || held?.state !== 'charging') return { result: failure };
  const draft = new ChangeDraft(current, tenantId, now);
  if (charge.reason === 'authentication-required') {
    // Still being charged: the funds come when the gateway says the admin's bank confirmed it.
    if (charge.authentication && held.authentication?.chargeId !== charge.authentication.chargeId)
      draft.record({ detail: { kind: 'payment-authenticating', key, ...charge.authentication }, amountMinor: 0, actor: offer.offeredTo, idempotencyKey: null });
    return draft.finish(failure);
  }
  draft.record({ detail: { kind: 'purchase-failed', offerId: offer.offerId, reason }, amountMinor: 0, actor: offer.offeredTo, idempotencyKey: key });
  return draft.finish(failure);
}

function refused(
  offer: Offer,
  reason: Extract<LedgerError, { code: 'payment-failed' }>['reason'],
  message: string,
  details: { declineCode?: string | undefined; authenticationUrl?: string | undefined } = {},
): LedgerError {
  return {
    code: 'payment-failed',
    reason,
    message,
    amountMinor: offer.amountMinor,
    currency: offer.currency,
    ...(details.declineCode ? { declineCode: details.declineCode } : {}),
    ...(details.authenticationUrl ? { authenticationUrl: details.authenticationUrl } : {}),
  };
}
