import type { HelpTopic } from '../../cards/index.js';
import type { Permission } from '../../services/access.js';
import { addFundsCommand } from '../commands/addFundsCommand.js';
import { alertsHereCommand } from '../commands/alertsHereCommand.js';
import { alertThresholdCommand } from '../commands/alertThresholdCommand.js';
import { autoRechargeCommand } from '../commands/autoRechargeCommand.js';
import { spendControlsCommand } from '../commands/spendControlsCommand.js';
import { MAX_COMMAND_LENGTH, type Command, type CommandName } from '../commands/recognizeCommand.js';
import type { HandlerDeps, Reply, Turn } from '../handlers/handlerDeps.js';
import { messageTooLong, unknownCommand } from '../handlers/explainProblem.js';
import { showBalance } from '../handlers/showBalance.js';
import { showHelp, showWelcome } from '../handlers/showHelp.js';
import { exportHistory, showHistory } from '../handlers/showHistory.js';
import { showPaymentMethod } from '../handlers/showPaymentMethod.js';
import { showUsage } from '../handlers/showUsage.js';
import { weeklyReportSettings } from '../handlers/weeklyReportSettings.js';

export interface CommandRoute<N extends CommandName> {
  /** What the person must be allowed to do; null: anyone (no account data shown). */
  permission: Permission | null;
  /** Where the help card explains it; null: not a command one asks for (a greeting, what was not understood). */
  help: HelpTopic | null;
  handle(turn: Turn, deps: HandlerDeps, command: Extract<Command, { name: N }>, text: string): Promise<Reply>;
}

/**
 * Free text → handler. `commandRequest` decides the command; this table decides who may, what
 * runs, and what the help card says about it (in this order). Who may is asked before the amounts
 * in the text are read.
 */
export const COMMAND_ROUTES: { [N in CommandName]: CommandRoute<N> } = {
  balance: { permission: 'view', help: 'balance', handle: (turn, deps) => showBalance(turn, deps) },
  addFunds: { permission: 'manage', help: 'addFunds', handle: addFundsCommand },
  autoRecharge: { permission: 'manage', help: 'autoRecharge', handle: autoRechargeCommand },
  lowBalanceAlert: { permission: 'manage', help: 'lowBalanceAlert', handle: alertThresholdCommand },
  spendControls: { permission: 'manage', help: 'spendControls', handle: spendControlsCommand },
  history: { permission: 'view', help: 'history', handle: (turn, deps) => showHistory(turn, deps) },
  exportHistory: { permission: 'view', help: 'exportHistory', handle: (turn, deps) => exportHistory(turn, deps) },
  usage: { permission: 'view', help: 'usage', handle: (turn, deps) => showUsage(turn, deps) },
  paymentMethod: { permission: 'manage', help: 'paymentMethod', handle: (turn, deps) => showPaymentMethod(turn, deps) },
  alertsHere: { permission: 'manage', help: 'alertsHere', handle: alertsHereCommand },
  // Anyone who gets the report may switch it off for themself; its time is the tenant's, set by those who manage.
  weeklyReport: { permission: 'view', help: 'weeklyReport', handle: (turn, deps, command) => weeklyReportSettings(turn, deps, command.request) },
  weeklyReportSchedule: {
    permission: 'manage',
    help: 'weeklyReportSchedule',
    handle: (turn, deps, command) => weeklyReportSettings(turn, deps, command.request),
  },
  help: { permission: null, help: 'help', handle: (turn) => showHelp(turn, HELP_TOPICS) },
  greeting: { permission: null, help: null, handle: (turn) => showWelcome(turn) },
  unknown: { permission: null, help: null, handle: (turn, _deps, _command, text) => unknownCommand(turn, text) },
  tooLong: { permission: null, help: null, handle: (turn) => messageTooLong(turn, MAX_COMMAND_LENGTH) },
};

/** What the help card lists: every routed command that has a topic, in the table's order. */
export const HELP_TOPICS: readonly HelpTopic[] = Object.values(COMMAND_ROUTES).flatMap((route) => (route.help ? [route.help] : []));
