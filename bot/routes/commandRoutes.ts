import type { Permission } from '../../services/access.js';
import { addFundsCommand } from '../commands/addFundsCommand.js';
import { alertsHereCommand } from '../commands/alertsHereCommand.js';
import { alertThresholdCommand } from '../commands/alertThresholdCommand.js';
import { autoRechargeCommand } from '../commands/autoRechargeCommand.js';
import { MAX_COMMAND_LENGTH, type Command, type CommandName } from '../commands/recognizeCommand.js';
import type { HandlerDeps, Reply, Turn } from '../handlers/handlerDeps.js';
import { messageTooLong, unknownCommand } from '../handlers/explainProblem.js';
import { showBalance } from '../handlers/showBalance.js';
import { showHelp, showWelcome } from '../handlers/showHelp.js';
import { showHistory } from '../handlers/showHistory.js';
import { showPaymentMethod } from '../handlers/showPaymentMethod.js';
import { showUsage } from '../handlers/showUsage.js';

export interface CommandRoute<N extends CommandName> {
  /** What the person must be allowed to do; null: anyone (no account data shown). */
  permission: Permission | null;
  handle(turn: Turn, deps: HandlerDeps, command: Extract<Command, { name: N }>, text: string): Promise<Reply>;
}

/**
 * Free text → handler. `commandRequest` decides the command; this table decides who may and what
 * runs. Who may is asked before the amounts in the text are read.
 */
export const COMMAND_ROUTES: { [N in CommandName]: CommandRoute<N> } = {
  balance: { permission: 'view', handle: (turn, deps) => showBalance(turn, deps) },
  history: { permission: 'view', handle: (turn, deps) => showHistory(turn, deps) },
  usage: { permission: 'view', handle: (turn, deps) => showUsage(turn, deps) },
  addFunds: { permission: 'manage', handle: addFundsCommand },
  autoRecharge: { permission: 'manage', handle: autoRechargeCommand },
  lowBalanceAlert: { permission: 'manage', handle: alertThresholdCommand },
  alertsHere: { permission: 'manage', handle: alertsHereCommand },
  paymentMethod: { permission: 'manage', handle: (turn, deps) => showPaymentMethod(turn, deps) },
  help: { permission: null, handle: (turn) => showHelp(turn) },
  greeting: { permission: null, handle: (turn) => showWelcome(turn) },
  unknown: { permission: null, handle: (turn, _deps, _command, text) => unknownCommand(turn, text) },
  tooLong: { permission: null, handle: (turn) => messageTooLong(turn, MAX_COMMAND_LENGTH) },
};
