import type { AmountError } from '../../cards/index.js';
import type { LedgerError } from '../../services/ledger/errors.js';
import type { AutoRechargeChange } from '../../services/ledgerService.js';
import { actorOf, type HandlerDeps, type Reply, type Turn } from './handlerDeps.js';
import { showAutoRecharge } from './showAutoRecharge.js';

/**
 * Saves auto-recharge (on/off, trigger, amount) from the settings card, the one-button toggle or
 * a sentence ("auto-recharge below 20 add 100"). The ledger validates every field; a refusal comes
 * back on the settings card under the field it concerns.
 */
export async function saveAutoRecharge(turn: Turn, deps: HandlerDeps, change: AutoRechargeChange): Promise<Reply> {
  const result = await deps.ledger.setAutoRecharge(turn.tenantId, change, actorOf(turn));
  if (result.ok) return showAutoRecharge(turn, deps, { saved: true });
  return showAutoRecharge(turn, deps, { values: valuesOf(change), error: { field: fieldOf(result.error, change), error: result.error } });
}

/** The settings card's error slot for an amount that could not be read at all. */
export function refusedAutoRecharge(turn: Turn, deps: HandlerDeps, field: 'trigger' | 'amount', error: AmountError): Promise<Reply> {
  return showAutoRecharge(turn, deps, { error: { field, error } });
}

function fieldOf(error: LedgerError, change: AutoRechargeChange): 'trigger' | 'amount' {
  if (error.code === 'trigger-negative') return 'trigger';
  if (error.code === 'invalid-amount' && change.trigger !== undefined && error.input === change.trigger && error.input !== change.amount) return 'trigger';
  return 'amount';
}

function valuesOf(change: AutoRechargeChange): { enabled?: boolean; trigger?: string; amount?: string } {
  const values: { enabled?: boolean; trigger?: string; amount?: string } = {};
  if (change.enabled !== undefined) values.enabled = change.enabled;
  if (change.trigger !== undefined) values.trigger = change.trigger;
  if (change.amount !== undefined) values.amount = change.amount;
  return values;
}
