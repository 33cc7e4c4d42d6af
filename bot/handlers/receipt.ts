import { receiptSummary, renderReceiptCard, type ReceiptViewModel } from '../../cards/index.js';
import { addCalendarMonths, iso } from '../../services/calendar.js';
import { LOT_LIFETIME_MONTHS, type FundsOutcome } from '../../services/ledger/addFunds.js';
import { cardReply, type Reply, type Turn } from './handlerDeps.js';

/** The receipt for an addition (first run or replay): amount, balance after, the lot's expiry. */
export function receiptReply(outcome: FundsOutcome, operationId: string, addedBy: string | null, turn: Turn): Reply {
  const before = outcome.balanceAfterMinor - outcome.amountMinor;
  const vm: ReceiptViewModel = {
    operationId,
    amountMinor: outcome.amountMinor,
    currency: outcome.currency,
    balanceMinor: outcome.balanceAfterMinor,
    expiresAt: iso(addCalendarMonths(outcome.at, LOT_LIFETIME_MONTHS)),
    at: iso(outcome.at),
    ...(addedBy ? { addedBy } : {}),
    replayed: outcome.replayed,
    resumed: before <= 0 && outcome.balanceAfterMinor > 0,
  };
  return cardReply(renderReceiptCard(vm, turn), receiptSummary(vm, turn));
}
