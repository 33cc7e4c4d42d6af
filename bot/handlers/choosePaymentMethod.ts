import type { ActionDataOf, Verb } from '../../cards/index.js';
import { problemReply } from './explainProblem.js';
import { actorOf, type HandlerDeps, type Reply, type Turn } from './handlerDeps.js';
import { showPaymentMethod } from './showPaymentMethod.js';

/**
 * Puts one of the sandbox's test cards on file and tells the ledger, so an auto-recharge waiting
 * for a new card (or paused) can try again. Only offered while the sandbox gateway is in use.
 */
export async function choosePaymentMethod(turn: Turn, deps: HandlerDeps, data: ActionDataOf<typeof Verb.paymentMethodChoose>): Promise<Reply> {
  if (!deps.sandbox) return problemReply(turn, { code: 'stale-card' });
  const card = await deps.sandbox.chooseTestCard(turn.tenantId, data.testCardId);
  await deps.ledger.paymentMethodChanged(turn.tenantId, `${card.brand} ending ${card.last4}`, actorOf(turn), card);
  return showPaymentMethod(turn, deps, { changed: true });
}
