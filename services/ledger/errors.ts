import type { Minor } from '../money.js';
import type { ChargeFailureReason } from '../ports.js';

/** Why a confirmation card can no longer be confirmed (or cancelled). */
export type OfferInvalidReason =
  /** The bot never issued this id to this tenant, or the offer is long gone. */
  | 'unknown'
  | 'expired'
  | 'cancelled'
  /** The card was shown to someone else. */
  | 'not-yours';

/** Why the ledger refused a request. The edge turns each into a reply, a card or an HTTP status. */
export type LedgerError =
  | { code: 'invalid-amount'; input: string; reason: 'not-a-number' | 'too-many-decimals' | 'negative' | 'too-large' }
  | { code: 'amount-too-small'; minMinor: Minor; currency: string }
  | { code: 'amount-too-large'; maxMinor: Minor; currency: string }
  /** The change would take the balance past the account range rule's bound (`accountRange.ts`). */
  | { code: 'balance-out-of-range'; maxMinor: Minor; currency: string }
  | { code: 'trigger-negative' }
  /** A monthly auto-recharge cap below one recharge would stop every recharge: refused, whichever of the two was being changed. */
  | { code: 'monthly-limit-below-recharge'; limitMinor: Minor; amountMinor: Minor; currency: string }
  /** A monthly count of recharges is a whole number from 1 to `max`. */
  | { code: 'recharge-count-invalid'; input: string; max: number }
  | { code: 'unknown-currency'; currency: string }
  | { code: 'currency-mismatch'; expected: string; got: string }
  | { code: 'no-account' }
  | { code: 'key-reused'; kind: string }
  /** The key was first used with another amount or currency (Stripe's rule: refused, never replayed). */
  | { code: 'key-reused-with-different-parameters'; first: { amountMinor: Minor; currency: string } }
  | { code: 'offer-invalid'; reason: OfferInvalidReason }
  | { code: 'payment-failed'; reason: ChargeFailureReason; message: string; amountMinor: Minor; currency: string };
