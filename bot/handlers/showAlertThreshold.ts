import { alertThresholdSummary, renderAlertThresholdCard, type AlertThresholdViewModel } from '../../cards/index.js';
import { cardReply, type HandlerDeps, type Reply, type Turn } from './handlerDeps.js';

type Extra = Pick<AlertThresholdViewModel, 'value' | 'error' | 'saved'>;

/** The low-balance alert threshold card (plus a refused input or "Saved"). */
export async function showAlertThreshold(turn: Turn, deps: HandlerDeps, extra: Extra = {}): Promise<Reply> {
  const account = await deps.ledger.openAccount(turn.tenantId);
  const vm: AlertThresholdViewModel = { currency: account.currency, thresholdMinor: account.lowBalanceAlertMinor, ...extra };
  return cardReply(renderAlertThresholdCard(vm, turn), alertThresholdSummary(vm, turn));
}
