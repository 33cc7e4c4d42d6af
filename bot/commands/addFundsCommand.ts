import type { HandlerDeps, Reply, Turn } from '../handlers/handlerDeps.js';
import { reviewAddFunds } from '../handlers/reviewAddFunds.js';
import { startAddFunds } from '../handlers/startAddFunds.js';
import { amountErrorOf } from './amountError.js';
import type { Command } from './recognizeCommand.js';

/** "add 50", "充值50美元": the confirmation card; no amount: the add-funds card; an unreadable one: the card and why. */
export function addFundsCommand(turn: Turn, deps: HandlerDeps, command: Extract<Command, { name: 'addFunds' }>): Promise<Reply> {
  const reading = command.amount;
  if (reading.kind === 'none') return startAddFunds(turn, deps);
  if (reading.kind === 'unreadable') return startAddFunds(turn, deps, { amount: reading.text, error: amountErrorOf(reading) });
  return reviewAddFunds(turn, deps, { amount: reading.mention.value, currency: reading.mention.currency });
}
