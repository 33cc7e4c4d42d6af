import type { LedgerError } from '../../services/ledger/errors.js';
import type { RefundError } from '../../services/ledger/refundFunds.js';
import { toDecimalString } from '../../services/money.js';
import type { ErrorBody } from '../http/errorAnswers.js';

/** A refused ledger request as an HTTP status and a body that says why. */
export function ledgerErrorResponse(error: LedgerError): { status: 402 | 404 | 409 | 422; body: ErrorBody } {
  const message = (() => {
    switch (error.code) {
      case 'invalid-amount':
        return `"${error.input}" is not a valid amount (${error.reason}).`;
      case 'amount-too-small':
        return `The amount must be at least ${toDecimalString(error.minMinor, error.currency)} ${error.currency}.`;
      case 'amount-too-large':
        return `The amount must be at most ${toDecimalString(error.maxMinor, error.currency)} ${error.currency}.`;
      case 'balance-out-of-range':
        return `That would take the balance past ${toDecimalString(error.maxMinor, error.currency)} ${error.currency}, the most an account can hold.`;
      case 'trigger-negative':
        return 'The amount must be zero or more.';
      case 'unknown-currency':
        return `${error.currency} is not an ISO 4217 currency.`;
      case 'currency-mismatch':
        return `The account is in ${error.expected}, not ${error.got}.`;
      case 'no-account':
        return 'The tenant has no account.';
      case 'key-reused':
        return `This idempotency key was already used for ${error.kind}.`;
      case 'key-reused-with-different-parameters':
        return `This idempotency key was already used with other parameters (${toDecimalString(error.first.amountMinor, error.first.currency)} ${error.first.currency}); use a new key for a different request.`;
      case 'offer-invalid':
        return `This confirmation is no longer valid (${error.reason}).`;
      case 'payment-failed':
        return error.message;
    }
  })();
  const status =
    error.code === 'no-account'
      ? 404
      : error.code === 'key-reused' || error.code === 'key-reused-with-different-parameters' || error.code === 'offer-invalid'
        ? 409
        : error.code === 'payment-failed'
          ? 402
          : 422;
  return { status, body: { error: error.code, message } };
}

/** A refused refund: an amount error as for a grant, or why the refund cannot be made (nothing was sent back). */
export function refundErrorResponse(error: RefundError | LedgerError): { status: 402 | 404 | 409 | 422 | 501 | 502; body: ErrorBody } {
  switch (error.code) {
    case 'unknown-operation':
      return { status: 404, body: { error: error.code, message: `No card payment of this tenant has the operation id ${error.operationId}.` } };
    case 'refund-exceeds-lot':
      return {
        status: 409,
        body: {
          error: error.code,
          message: `At most ${toDecimalString(error.remainingMinor, error.currency)} ${error.currency} remains of the funds this payment added; a refund cannot be larger.`,
        },
      };
    case 'refund-failed':
      return error.reason === 'refused'
        ? { status: 402, body: { error: error.code, message: `Stripe refused the refund: ${error.message}` } }
        : { status: 502, body: { error: error.code, message: 'The payment gateway did not answer; nothing was journaled. Ask again with the same key.' } };
    case 'refunds-unavailable':
      return { status: 501, body: { error: error.code, message: 'Refunds need the Stripe gateway (PAYMENT_GATEWAY=stripe); the sandbox cannot refund.' } };
    default:
      return ledgerErrorResponse(error);
  }
}
