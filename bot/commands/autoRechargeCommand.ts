import type { AutoRechargeChange } from '../../services/ledgerService.js';
import type { HandlerDeps, Reply, Turn } from '../handlers/handlerDeps.js';
import { refusedAutoRecharge, saveAutoRecharge } from '../handlers/saveAutoRecharge.js';
import { showAutoRecharge } from '../handlers/showAutoRecharge.js';
import { amountErrorOf } from './amountError.js';
import type { Command } from './recognizeCommand.js';

/** "auto-recharge", "turn off auto-recharge", "recharge when below 20 with 100", "开启自动充值". */
export async function autoRechargeCommand(turn: Turn, deps: HandlerDeps, command: Extract<Command, { name: 'autoRecharge' }>): Promise<Reply> {
  const request = command.change;
  if (request.kind === 'show') return showAutoRecharge(turn, deps);
  if (request.kind === 'unreadable') return refusedAutoRecharge(turn, deps, 'amount', amountErrorOf(request));
  const currency = (await deps.ledger.openAccount(turn.tenantId)).currency;
  for (const [field, mention] of [
    ['trigger', request.trigger],
    ['amount', request.amount],
  ] as const) {
    if (mention?.currency && mention.currency !== currency) {
      return refusedAutoRecharge(turn, deps, field, { code: 'currency-mismatch', expected: currency, got: mention.currency });
    }
  }
  const change: AutoRechargeChange = {};
  if (request.enabled !== undefined) change.enabled = request.enabled;
  if (request.trigger) change.trigger = request.trigger.value;
  if (request.amount) change.amount = request.amount.value;
  return saveAutoRecharge(turn, deps, change);
}
