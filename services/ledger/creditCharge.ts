import type { Minor } from '../money.js';
import { err, ok, type Result } from '../result.js';
import { addedFunds, addLot, type FundsOutcome } from './addFunds.js';
import type { ChangeDraft } from './changeDraft.js';
import type { LedgerError } from './errors.js';

/** A successful charge as the gateway recorded it, and the ledger key it pays for. */
export interface SettledPayment {
  /** The namespaced key the card was charged with (`purchase:…`, `recharge:…`). */
  key: string;
  purpose: 'purchase' | 'recharge';
  chargeId: string;
  /** What the gateway recorded as charged: this, never what was asked, is credited. */
  amountMinor: Minor;
  currency: string;
  actor: string;
  note: string | null;
}

/**
 * Charged = credited (SPEC §1.8): a lot of exactly what the gateway recorded as charged for the
 * key, and only once. The addition limits are not checked again: the money was taken, so it is
 * added. A charge in another currency than the account's cannot be credited and is refused
 * (nothing is added; the caller reports it).
 */
export function creditCharge(draft: ChangeDraft, payment: SettledPayment): Result<FundsOutcome, LedgerError> {
  const account = draft.account;
  if (!account) return err({ code: 'no-account' });
  const done = addedFunds(account, payment.key);
  if (done) return ok(done);
  if (payment.currency !== account.currency) return err({ code: 'currency-mismatch', expected: account.currency, got: payment.currency });
  return ok(
    addLot(draft, {
      amountMinor: payment.amountMinor,
      purpose: payment.purpose,
      key: payment.key,
      chargeId: payment.chargeId,
      actor: payment.actor,
      note: payment.note,
    }),
  );
}
