import { personKey, type AlertSubscription } from '../../data/conversationReferences.js';
import { alertsHereReply, subscribedReply } from './alertsHereReplies.js';
import { problemReply } from './explainProblem.js';
import type { HandlerDeps, Reply, Turn } from './handlerDeps.js';

/**
 * Confirm on the "post alerts here" card: the channel or group chat it was pressed in gets the
 * tenant's alerts from now on, remembered with who asked and when. Conversation, tenant and person
 * are the activity's; the route has checked that the person may manage.
 */
export async function subscribeAlertsHere(turn: Turn, deps: HandlerDeps): Promise<Reply> {
  const { id, scope } = turn.conversation;
  if (scope === 'personal') return alertsHereReply(turn, { state: 'personal' });
  const subscription: AlertSubscription = {
    tenantId: turn.tenantId,
    by: personKey(turn.tenantId, { aadObjectId: turn.user.aadObjectId, userId: turn.user.id }),
    at: new Date(deps.clock.now()).toISOString(),
  };
  // The bot remembers every conversation it hears from before routing, so this holds unless the book lost it.
  if (!(await deps.alertSubscriptions.subscribeToAlerts(id, subscription))) return problemReply(turn, { code: 'internal', reference: 'conversation-unknown' });
  return await subscribedReply(turn, deps, subscription);
}
