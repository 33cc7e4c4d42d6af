import type { AmountError } from '../../cards/index.js';
import type { AmountReading } from './readAmounts.js';

/** Why a written amount cannot be used, as the cards explain amount errors. */
export function amountErrorOf(reading: Exclude<AmountReading, { kind: 'amount' }>): AmountError {
  if (reading.kind === 'none') return { code: 'amount-missing' };
  if (reading.reason === 'negative') return { code: 'invalid-amount', input: reading.text, reason: 'negative' };
  // Several amounts, or digits the bot cannot take exactly: say which text it could not use.
  return { code: 'invalid-amount', input: reading.text, reason: 'not-a-number' };
}
