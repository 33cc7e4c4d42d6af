import { renderReceiptCard, type AdaptiveCard } from '../../cards/index.js';
import { addCalendarMonths, iso } from '../../services/calendar.js';
import { LOT_LIFETIME_MONTHS, type FundsOutcome } from '../../services/ledger/addFunds.js';

/** The receipt for an addition (first run or replay): amount, balance after, the lot's expiry. */
export function receiptCard(outcome: FundsOutcome, operationId: string, addedBy: string | null, locale: string | null): AdaptiveCard {
  const before = outcome.balanceAfterMinor - outcome.amountMinor;
  return renderReceiptCard(
    {
      operationId,
      amountMinor: outcome.amountMinor,
      currency: outcome.currency,
      balanceMinor: outcome.balanceAfterMinor,
      expiresAt: iso(addCalendarMonths(outcome.at, LOT_LIFETIME_MONTHS)),
      at: iso(outcome.at),
      ...(addedBy ? { addedBy } : {}),
      replayed: outcome.replayed,
      resumed: before <= 0 && outcome.balanceAfterMinor > 0,
    },
    locale,
  );
}
