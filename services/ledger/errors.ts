import type { Minor } from '../money.js';

/** Why the ledger refused a request. The edge turns each into a reply, a card or an HTTP status. */
export type LedgerError =
  | { code: 'invalid-amount'; input: string; reason: 'not-a-number' | 'too-many-decimals' | 'negative' | 'too-large' }
  | { code: 'amount-too-small'; minMinor: Minor; currency: string }
  | { code: 'amount-too-large'; maxMinor: Minor; currency: string }
  /** The change would take the balance past the account range rule's bound (`accountRange.ts`). */
  | { code: 'balance-out-of-range'; maxMinor: Minor; currency: string }
  | { code: 'trigger-negative' }
  | { code: 'unknown-currency'; currency: string }
  | { code: 'currency-mismatch'; expected: string; got: string }
  | { code: 'no-account' }
  | { code: 'key-reused'; kind: string }
  | { code: 'operation-cancelled' }
  | { code: 'payment-failed'; reason: 'declined' | 'expired-card' | 'no-payment-method' | 'gateway-error'; message: string };
