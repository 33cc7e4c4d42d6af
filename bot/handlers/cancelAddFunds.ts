import { renderCancelledCard, type ActionDataOf, type Verb } from '../../cards/index.js';
import { replayedFunds } from '../../services/ledger/addFunds.js';
import { actorOf, cardReply, type HandlerDeps, type Reply, type Turn } from './handlerDeps.js';
import { receiptCard } from './receipt.js';

/**
 * Cancel on the confirmation card: nothing is charged. If the operation already ran (Confirm was
 * pressed elsewhere first), the card shows its receipt instead of claiming a cancellation.
 */
export async function cancelAddFunds(turn: Turn, deps: HandlerDeps, data: ActionDataOf<typeof Verb.fundsCancel>): Promise<Reply> {
  const done = replayedFunds(await deps.ledger.account(turn.tenantId), data.operationId);
  if (done?.ok) return cardReply(receiptCard(done.value, data.operationId, null, turn.locale));
  return cardReply(renderCancelledCard({ operationId: data.operationId, by: turn.user.name ?? actorOf(turn) }, turn.locale));
}
