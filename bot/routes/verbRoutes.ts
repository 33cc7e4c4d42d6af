import { Verb, type ActionDataOf } from '../../cards/index.js';
import type { Permission } from '../../services/access.js';
import type { HandlerDeps, Reply, Turn } from '../handlers/handlerDeps.js';
import { HELP_TOPICS } from './commandRoutes.js';
import { cancelAddFunds } from '../handlers/cancelAddFunds.js';
import { choosePaymentMethod } from '../handlers/choosePaymentMethod.js';
import { confirmAddFunds } from '../handlers/confirmAddFunds.js';
import { reviewAddFunds } from '../handlers/reviewAddFunds.js';
import { saveAlertThreshold } from '../handlers/saveAlertThreshold.js';
import { saveAutoRecharge } from '../handlers/saveAutoRecharge.js';
import { showAlertThreshold } from '../handlers/showAlertThreshold.js';
import { showAutoRecharge } from '../handlers/showAutoRecharge.js';
import { showBalance } from '../handlers/showBalance.js';
import { showDestinationCalls } from '../handlers/showDestinationCalls.js';
import { showHelp } from '../handlers/showHelp.js';
import { showHistory } from '../handlers/showHistory.js';
import { showPaymentMethod } from '../handlers/showPaymentMethod.js';
import { showUsage } from '../handlers/showUsage.js';
import { startAddFunds } from '../handlers/startAddFunds.js';
import { subscribeAlertsHere } from '../handlers/subscribeAlertsHere.js';

export interface VerbRoute<V extends Verb> {
  /** What the person must be allowed to do; null: anyone. */
  permission: Permission | null;
  handle(turn: Turn, deps: HandlerDeps, data: ActionDataOf<V>): Promise<Reply>;
}

/**
 * Card button verb → handler, for Action.Execute invokes and Action.Submit messages alike. The
 * data has passed its verb's schema; amounts in it are checked again by the ledger.
 */
export const VERB_ROUTES: { [V in Verb]: VerbRoute<V> } = {
  // Pressed on a card or invoked by the card's automatic refresh: shows the balance now, moves and writes nothing.
  [Verb.balanceRefresh]: { permission: 'view', handle: (turn, deps) => showBalance(turn, deps, { readOnly: true }) },
  [Verb.historyPage]: {
    permission: 'view',
    handle: (turn, deps, { direction, cursor, view }) =>
      showHistory(turn, deps, { ...(direction ? { direction } : {}), ...(cursor ? { cursor } : {}), ...(view ? { view } : {}) }),
  },
  [Verb.usageOpen]: { permission: 'view', handle: (turn, deps) => showUsage(turn, deps) },
  [Verb.destinationCalls]: { permission: 'view', handle: (turn, deps, { destination }) => showDestinationCalls(turn, deps, destination) },
  [Verb.fundsStart]: { permission: 'manage', handle: (turn, deps, { amount }) => startAddFunds(turn, deps, amount ? { amount } : {}) },
  [Verb.fundsReview]: {
    permission: 'manage',
    handle: (turn, deps, { amount }) =>
      amount.trim() === '' ? startAddFunds(turn, deps, { error: { code: 'amount-missing' } }) : reviewAddFunds(turn, deps, { amount }),
  },
  [Verb.fundsConfirm]: { permission: 'manage', handle: confirmAddFunds },
  [Verb.fundsCancel]: { permission: 'manage', handle: cancelAddFunds },
  [Verb.autoRechargeOpen]: {
    permission: 'manage',
    handle: (turn, deps, { amount }) => showAutoRecharge(turn, deps, amount ? { values: { enabled: true, amount } } : {}),
  },
  [Verb.autoRechargeSave]: {
    permission: 'manage',
    handle: (turn, deps, { enabled, trigger, amount, monthlyMax, monthlyCount, dailyAlert }) =>
      saveAutoRecharge(
        turn,
        deps,
        {
          ...(enabled !== undefined ? { enabled } : {}),
          ...(trigger !== undefined ? { trigger } : {}),
          ...(amount !== undefined ? { amount } : {}),
        },
        {
          ...(monthlyMax !== undefined ? { monthlyMax } : {}),
          ...(monthlyCount !== undefined ? { monthlyCount } : {}),
          ...(dailyAlert !== undefined ? { dailyAlert } : {}),
        },
      ),
  },
  [Verb.autoRechargeToggle]: { permission: 'manage', handle: (turn, deps, { enabled }) => saveAutoRecharge(turn, deps, { enabled }) },
  [Verb.paymentMethodOpen]: { permission: 'manage', handle: (turn, deps) => showPaymentMethod(turn, deps) },
  [Verb.paymentMethodChoose]: { permission: 'manage', handle: choosePaymentMethod },
  [Verb.alertsOpen]: { permission: 'manage', handle: (turn, deps) => showAlertThreshold(turn, deps) },
  [Verb.alertsThreshold]: { permission: 'manage', handle: (turn, deps, { threshold }) => saveAlertThreshold(turn, deps, threshold) },
  [Verb.help]: { permission: null, handle: (turn) => showHelp(turn, HELP_TOPICS) },
  [Verb.alertsHereConfirm]: { permission: 'manage', handle: (turn, deps) => subscribeAlertsHere(turn, deps) },
};
