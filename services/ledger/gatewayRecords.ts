import type { ChargeOutcome, Change, NoChange } from '../ports.js';
import { ok, type Result } from '../result.js';
import type { Account } from './account.js';
import type { FundsOutcome } from './addFunds.js';
import { completeRecharge, startRechargeIfDue } from './autoRecharge.js';
import { ChangeDraft } from './changeDraft.js';
import { creditCharge } from './creditCharge.js';
import type { LedgerError } from './errors.js';
import type { SavedCardDetail } from './journal.js';
import { gatewayEventKey, isPurchaseKey, isRechargeKey } from './operationKeys.js';

/**
 * What the payment gateway (Stripe) keeps with the ledger, so every instance of the bot, on either
 * store, sees the same: the tenant's gateway customer, the card saved on the gateway's page, the
 * webhook events acted on, and what became of payments the bank held for 3-D Secure. Each is a
 * journal entry written in the same change as what it caused, so an event is acted on at most
 * once (its key is in the account's operation keys; in PostgreSQL a unique row) and never lost
 * half-done.
 */

/** A webhook event being acted on: recorded with its effect, so a redelivery does nothing. */
export interface GatewayEvent {
  id: string;
  type: string;
}

/** Whether the account already acted on this event. */
export const handledEvent = (account: Account | undefined, eventId: string): boolean => account?.keys.operations.has(gatewayEventKey(eventId)) ?? false;

function recordEvent(draft: ChangeDraft, event: GatewayEvent | null): void {
  if (!event) return;
  draft.record({
    detail: { kind: 'gateway-event', eventId: event.id, eventType: event.type },
    amountMinor: 0,
    actor: 'system',
    idempotencyKey: gatewayEventKey(event.id),
  });
}

/**
 * The tenant's customer at the gateway, once: a second one made meanwhile (another instance, a
 * retry) loses, and the one recorded first is answered.
 */
export function linkPaymentCustomer(
  current: Account | undefined,
  tenantId: string,
  customerId: string,
  now: number,
): Change<string | null> | NoChange<string | null> {
  if (!current) return { result: null };
  if (current.paymentCustomerId) return { result: current.paymentCustomerId };
  const draft = new ChangeDraft(current, tenantId, now);
  draft.record({ detail: { kind: 'payment-customer-linked', customerId }, amountMinor: 0, actor: 'system', idempotencyKey: null });
  return draft.finish(customerId);
}

/**
 * A card saved on the gateway's page becomes the card on file, unless the one on file was saved
 * later (events arrive in any order) or is this very card. A new card lets a waiting or paused
 * auto-recharge try again.
 */
export function saveCard(
  current: Account | undefined,
  tenantId: string,
  card: SavedCardDetail,
  event: GatewayEvent | null,
  now: number,
): Change<boolean> | NoChange<boolean> {
  if (!current || (event && handledEvent(current, event.id))) return { result: false };
  const draft = new ChangeDraft(current, tenantId, now);
  const onFile = current.paymentMethod;
  const newer = !onFile || (onFile.methodId !== card.methodId && Date.parse(onFile.savedAt) <= Date.parse(card.savedAt));
  if (newer) {
    draft.record({
      detail: { kind: 'payment-method-changed', description: `${card.brand} ending ${card.last4}`, card: { ...card } },
      amountMinor: 0,
      actor: 'system',
      idempotencyKey: null,
    });
    // The admin saved it on Stripe's page, outside Teams: the chat hears of it.
    draft.raise({
      type: 'payment-method-saved',
      tenantId,
      currency: current.currency,
      balanceMinor: current.balanceMinor,
      at: new Date(now).toISOString(),
      brand: card.brand,
      last4: card.last4,
      expMonth: card.expMonth,
      expYear: card.expYear,
    });
    startRechargeIfDue(draft, now);
  }
  recordEvent(draft, event);
  return draft.finish(newer);
}

/** An event that changed nothing is still recorded once it was looked at, so a redelivery is not looked at again. */
export function noteEvent(current: Account | undefined, tenantId: string, event: GatewayEvent, now: number): Change<null> | NoChange<null> {
  if (!current || handledEvent(current, event.id)) return { result: null };
  const draft = new ChangeDraft(current, tenantId, now);
  recordEvent(draft, event);
  return draft.finish(null);
}

/**
 * What the gateway says a payment came to, learnt after the charge request answered (a webhook,
 * or reconciliation): a succeeded payment adds its lot once, whatever the order events arrive in;
 * a payment the bank holds for 3-D Secure is recorded with its link; a refused one fails the
 * purchase or the auto-recharge attempt it was for. `key` is the ledger key the charge was made
 * with (`purchase:…`, `recharge:…`); `actor` who asked for it.
 */
export function settleGatewayPayment(
  current: Account | undefined,
  tenantId: string,
  payment: { key: string; actor: string; outcome: ChargeOutcome; note?: string | null },
  event: GatewayEvent | null,
  now: number,
): Change<Result<FundsOutcome | null, LedgerError>> | NoChange<Result<FundsOutcome | null, LedgerError>> {
  if (!current || (event && handledEvent(current, event.id))) return { result: ok(null) };
  const draft = new ChangeDraft(current, tenantId, now);
  const { key, outcome } = payment;
  let result: Result<FundsOutcome | null, LedgerError> = ok(null);
  const attempt = current.recharge.inFlight;
  if (isRechargeKey(key) && attempt?.chargeKey === key) {
    const error = completeRecharge(draft, attempt.attemptId, outcome, now);
    if (error) result = { ok: false, error };
  } else if (outcome.ok && (isPurchaseKey(key) || isRechargeKey(key))) {
    // The money was taken: its lot is added even if the offer was cancelled or the attempt given up.
    result = creditCharge(draft, {
      key,
      purpose: isPurchaseKey(key) ? 'purchase' : 'recharge',
      chargeId: outcome.chargeId,
      amountMinor: outcome.amountMinor,
      currency: outcome.currency,
      actor: payment.actor,
      note: payment.note ?? null,
    });
    if (result.ok && !result.value?.replayed) startRechargeIfDue(draft, now);
  } else if (!outcome.ok && isPurchaseKey(key) && current.offers[key]?.state === 'charging') {
    const offer = current.offers[key]!;
    if (outcome.reason === 'authentication-required' && outcome.authentication) {
      if (offer.authentication?.chargeId !== outcome.authentication.chargeId)
        draft.record({ detail: { kind: 'payment-authenticating', key, ...outcome.authentication }, amountMinor: 0, actor: 'system', idempotencyKey: null });
    } else if (outcome.reason !== 'gateway-error' && outcome.reason !== 'key-reused' && outcome.reason !== 'authentication-required') {
      draft.record({
        detail: { kind: 'purchase-failed', offerId: offer.offerId, reason: outcome.reason },
        amountMinor: 0,
        actor: 'system',
        idempotencyKey: key,
      });
    }
  }
  if (result.ok) recordEvent(draft, event);
  return draft.finish(result);
}
