import { alertsHereReply, subscribedReply } from './alertsHereReplies.js';
import type { HandlerDeps, Reply, Turn } from './handlerDeps.js';

/**
 * "post alerts here": in a channel or group chat, the card saying every member will see balances
 * and alerts, whose Confirm subscribes it (nothing changes before). Where alerts are already
 * posted, who asked for it; in a personal chat, that it always gets alerts.
 */
export async function offerAlertsHere(turn: Turn, deps: HandlerDeps): Promise<Reply> {
  const { id, scope } = turn.conversation;
  if (scope === 'personal') return alertsHereReply(turn, { state: 'personal' });
  const subscription = (await deps.alertSubscriptions.conversation(turn.tenantId, id))?.alertSubscription;
  if (subscription?.tenantId === turn.tenantId) return await subscribedReply(turn, deps, subscription);
  return alertsHereReply(turn, { state: 'offer', scope });
}
