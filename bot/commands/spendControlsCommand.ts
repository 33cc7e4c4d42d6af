import { additionLimits } from '../../services/ledger/policy.js';
import { parseDecimal } from '../../services/money.js';
import type { HandlerDeps, Reply, Turn } from '../handlers/handlerDeps.js';
import { refusedAutoRecharge, saveAutoRecharge, type SpendControlInputs } from '../handlers/saveAutoRecharge.js';
import { showAutoRecharge } from '../handlers/showAutoRecharge.js';
import { amountErrorOf } from './amountError.js';
import type { Command } from './recognizeCommand.js';

/**
 * "limit auto-recharge to $500 a month", "limit auto-recharge to 3 a month", "remove the recharge
 * limit", "alert me when more than $200 is spent in a day" and their Chinese: saved like the
 * auto-recharge card's spend controls, whose card is the answer (saved, or the refusal under the
 * field). A bare number for the month ("to 3 a month") is a count of recharges when it is below the
 * smallest recharge (no money cap that small could allow one), else an amount.
 */
export async function spendControlsCommand(turn: Turn, deps: HandlerDeps, command: Extract<Command, { name: 'spendControls' }>): Promise<Reply> {
  const request = command.request;
  switch (request.kind) {
    case 'show':
      return showAutoRecharge(turn, deps);
    case 'remove':
      return saveAutoRecharge(turn, deps, {}, request.which === 'monthly' ? { monthlyMax: '', monthlyCount: '' } : { dailyAlert: '' });
    case 'missing':
      return refusedAutoRecharge(turn, deps, request.which === 'monthly' ? 'monthlyMax' : 'dailyAlert', { code: 'amount-missing' });
    case 'unreadable':
      return refusedAutoRecharge(turn, deps, request.which === 'monthly' ? 'monthlyMax' : 'dailyAlert', amountErrorOf(request));
  }
  const currency = (await deps.ledger.openAccount(turn.tenantId)).currency;
  const named = request.amount;
  if (named?.currency && named.currency !== currency) {
    const field = request.kind === 'daily' ? 'dailyAlert' : 'monthlyMax';
    return refusedAutoRecharge(turn, deps, field, { code: 'currency-mismatch', expected: currency, got: named.currency });
  }
  if (request.kind === 'daily') return saveAutoRecharge(turn, deps, {}, { dailyAlert: request.amount.value });
  const inputs: SpendControlInputs = {};
  if (request.amount) inputs.monthlyMax = request.amount.value;
  if (request.count) inputs.monthlyCount = request.count.value;
  if (request.either) {
    const minimum = additionLimits(deps.ledger.policy, currency).minMinor;
    const parsed = parseDecimal(request.either.value, currency);
    if (parsed.ok && parsed.value < minimum) inputs.monthlyCount = request.either.value;
    else inputs.monthlyMax = request.either.value;
  }
  return saveAutoRecharge(turn, deps, {}, inputs);
}
