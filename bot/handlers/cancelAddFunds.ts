import { cancelledSummary, paymentUnderWaySummary, renderCancelledCard, renderPaymentUnderWayCard, type ActionDataOf, type Verb } from '../../cards/index.js';
import { problemReply } from './explainProblem.js';
import { actorOf, cardReply, type HandlerDeps, type Reply, type Turn } from './handlerDeps.js';
import { receiptReply } from './receipt.js';

/**
 * Cancel on the confirmation card: the ledger cancels the offer so no copy of the card can charge
 * it later. If Confirm got there first, the card says so truthfully: the receipt once the funds
 * are added, or that the payment is under way while the card is being charged.
 */
export async function cancelAddFunds(turn: Turn, deps: HandlerDeps, data: ActionDataOf<typeof Verb.fundsCancel>): Promise<Reply> {
  const result = await deps.ledger.cancelPurchase(turn.tenantId, data.operationId, actorOf(turn));
  if (!result.ok) return problemReply(turn, result.error);
  const outcome = result.value;
  switch (outcome.kind) {
    case 'added':
      return receiptReply(outcome.funds, data.operationId, null, turn);
    case 'charging': {
      const vm = { operationId: data.operationId, amountMinor: outcome.amountMinor, currency: outcome.currency };
      return cardReply(renderPaymentUnderWayCard(vm, turn), paymentUnderWaySummary(vm, turn));
    }
    case 'cancelled': {
      const amount = outcome.amountMinor !== null && outcome.currency !== null ? { amountMinor: outcome.amountMinor, currency: outcome.currency } : {};
      return cardReply(renderCancelledCard({ operationId: data.operationId, by: turn.user.name ?? actorOf(turn), ...amount }, turn), cancelledSummary(turn));
    }
  }
}
