import type { HandlerDeps, Reply, Turn } from '../handlers/handlerDeps.js';
import { saveAlertThreshold } from '../handlers/saveAlertThreshold.js';
import { showAlertThreshold } from '../handlers/showAlertThreshold.js';
import { amountErrorOf } from './amountError.js';
import type { Command } from './recognizeCommand.js';

/** "low balance alert 15", "余额提醒 15"; without an amount, the threshold card. */
export async function alertThresholdCommand(turn: Turn, deps: HandlerDeps, command: Extract<Command, { name: 'lowBalanceAlert' }>): Promise<Reply> {
  const reading = command.threshold;
  if (reading.kind === 'none') return showAlertThreshold(turn, deps);
  if (reading.kind === 'unreadable') return showAlertThreshold(turn, deps, { value: reading.text, error: amountErrorOf(reading) });
  const currency = (await deps.ledger.openAccount(turn.tenantId)).currency;
  if (reading.mention.currency && reading.mention.currency !== currency) {
    return showAlertThreshold(turn, deps, {
      value: reading.mention.text,
      error: { code: 'currency-mismatch', expected: currency, got: reading.mention.currency },
    });
  }
  return saveAlertThreshold(turn, deps, reading.mention.value);
}
