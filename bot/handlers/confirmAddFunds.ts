import { renderCancelledCard, renderPaymentFailedCard, renderProblemCard, type ActionDataOf, type Verb } from '../../cards/index.js';
import { actorOf, cardReply, type HandlerDeps, type Reply, type Turn } from './handlerDeps.js';
import { receiptCard } from './receipt.js';

/**
 * Confirm on the confirmation card: charges the card on file and adds the funds, keyed on the
 * card's operation id, so a second press or a resent activity returns the same receipt and moves
 * nothing. The amount is checked again by the ledger whatever the card said.
 */
export async function confirmAddFunds(turn: Turn, deps: HandlerDeps, data: ActionDataOf<typeof Verb.fundsConfirm>): Promise<Reply> {
  const actor = actorOf(turn);
  const result = await deps.ledger.purchaseFunds(turn.tenantId, { amount: data.amount, currency: data.currency, actor, idempotencyKey: data.operationId });
  if (result.ok) return cardReply(receiptCard(result.value, data.operationId, turn.user.name ?? actor, turn.locale));
  // A stale copy of a card someone cancelled: it stays cancelled.
  if (result.error.code === 'operation-cancelled') return cardReply(renderCancelledCard({ operationId: data.operationId }, turn.locale));
  if (result.error.code === 'payment-failed') {
    const checked = await deps.ledger.checkAddition(turn.tenantId, data.amount);
    if (checked.ok) {
      return cardReply(
        renderPaymentFailedCard({ reason: result.error.reason, operationId: data.operationId, amountMinor: checked.value.amountMinor, currency: checked.value.currency }, turn.locale),
      );
    }
  }
  const account = await deps.ledger.account(turn.tenantId);
  return cardReply(renderProblemCard(result.error, turn.locale, account?.currency));
}
