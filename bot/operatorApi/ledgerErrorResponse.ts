import type { LedgerError } from '../../services/ledger/errors.js';
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
