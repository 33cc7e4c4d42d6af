import { paymentFailedSummary, renderPaymentFailedCard, type ActionDataOf, type PaymentFailedViewModel, type Verb } from '../../cards/index.js';
import { problemReply } from './explainProblem.js';
import { actorOf, cardReply, type HandlerDeps, type Reply, type Turn } from './handlerDeps.js';
import { receiptReply } from './receipt.js';

/**
 * Confirm on the confirmation card: the ledger charges and credits the offer it recorded for this
 * card (the card data carries only its id), so a second press or a resent activity returns the
 * same receipt and moves nothing, and a forged, edited, stale or someone else's card moves nothing.
 */
export async function confirmAddFunds(turn: Turn, deps: HandlerDeps, data: ActionDataOf<typeof Verb.fundsConfirm>): Promise<Reply> {
  const actor = actorOf(turn);
  const result = await deps.ledger.confirmPurchase(turn.tenantId, data.operationId, actor);
  if (result.ok) return receiptReply(result.value, data.operationId, turn.user.name ?? actor, turn);
  const error = result.error;
  if (error.code === 'payment-failed') {
    const vm: PaymentFailedViewModel = {
      reason: error.reason,
      operationId: data.operationId,
      amountMinor: error.amountMinor,
      currency: error.currency,
      declineCode: error.declineCode ?? null,
      authenticationUrl: error.authenticationUrl ?? null,
    };
    return cardReply(renderPaymentFailedCard(vm, turn), paymentFailedSummary(vm, turn));
  }
  const account = await deps.ledger.account(turn.tenantId);
  return problemReply(turn, error, account?.currency);
}
