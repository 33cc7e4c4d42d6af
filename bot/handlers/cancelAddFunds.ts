import { renderCancelledCard, type ActionDataOf, type Verb } from '../../cards/index.js';
import { actorOf, cardReply, type HandlerDeps, type Reply, type Turn } from './handlerDeps.js';
import { receiptCard } from './receipt.js';

/**
 * Cancel on the confirmation card: the ledger records the operation as cancelled, so no copy of
 * the card can charge it later. If it already ran (Confirm was pressed elsewhere first), the card
 * shows its receipt instead of claiming a cancellation.
 */
export async function cancelAddFunds(turn: Turn, deps: HandlerDeps, data: ActionDataOf<typeof Verb.fundsCancel>): Promise<Reply> {
  const outcome = await deps.ledger.cancelPurchase(turn.tenantId, data.operationId, actorOf(turn));
  if (!outcome.cancelled) return cardReply(receiptCard(outcome.funds, data.operationId, null, turn.locale));
  return cardReply(renderCancelledCard({ operationId: data.operationId, by: turn.user.name ?? actorOf(turn) }, turn.locale));
}
