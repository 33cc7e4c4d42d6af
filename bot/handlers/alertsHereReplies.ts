import { alertsHereSummary, renderAlertsHereCard, type AlertsHereViewModel } from '../../cards/index.js';
import type { AlertSubscription } from '../../data/conversationReferences.js';
import { cardReply, type HandlerDeps, type Reply, type Turn } from './handlerDeps.js';

/** The alerts-here card in the asker's language. */
export const alertsHereReply = (turn: Turn, vm: AlertsHereViewModel): Reply => cardReply(renderAlertsHereCard(vm, turn), alertsHereSummary(vm, turn));

/** "Alerts are posted here, as Alex asked on …". */
export async function subscribedReply(turn: Turn, deps: HandlerDeps, subscription: AlertSubscription): Promise<Reply> {
  const by = await deps.alertSubscriptions.person(subscription.tenantId, subscription.by);
  return alertsHereReply(turn, { state: 'subscribed', by: by?.name ?? null, at: subscription.at });
}
