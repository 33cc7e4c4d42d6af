import { actorOf, type HandlerDeps, type Reply, type Turn } from './handlerDeps.js';
import { showAlertThreshold } from './showAlertThreshold.js';

/** Sets the balance under which admins get a low-balance alert ("low balance alert 15", the card's Save). */
export async function saveAlertThreshold(turn: Turn, deps: HandlerDeps, threshold: string): Promise<Reply> {
  if (threshold.trim() === '') return showAlertThreshold(turn, deps, { value: threshold, error: { code: 'amount-missing' } });
  const result = await deps.ledger.setLowBalanceAlert(turn.tenantId, threshold, actorOf(turn));
  if (result.ok) return showAlertThreshold(turn, deps, { saved: true });
  return showAlertThreshold(turn, deps, { value: threshold, error: result.error });
}
