import { alertsHereReply } from './alertsHereReplies.js';
import type { HandlerDeps, Reply, Turn } from './handlerDeps.js';

/** "stop alerts here": the channel or group chat gets no more alerts; a personal chat always does. */
export async function stopAlertsHere(turn: Turn, deps: HandlerDeps): Promise<Reply> {
  const { id, scope } = turn.conversation;
  if (scope === 'personal') return alertsHereReply(turn, { state: 'personal' });
  const stopped = await deps.alertSubscriptions.unsubscribeFromAlerts(id, turn.tenantId);
  return alertsHereReply(turn, { state: stopped ? 'unsubscribed' : 'not-subscribed' });
}
