import { minorDigits, type Minor } from '../../services/money.js';

/**
 * Stripe's amounts are integers in its own unit per currency, which is the ISO 4217 minor unit
 * except where Stripe says otherwise (https://docs.stripe.com/currencies#zero-decimal):
 * zero-decimal currencies (JPY, KRW, …) are sent in whole units, as the ledger keeps them; the
 * three-decimal ones in thousandths; and ISK, zero-decimal in ISO 4217, in hundredths (Stripe
 * keeps it two-decimal for backwards compatibility).
 */
const STRIPE_DIGITS: Readonly<Record<string, number>> = {
  ...Object.fromEntries(['BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF'].map((c) => [c, 0])),
  ...Object.fromEntries(['BHD', 'JOD', 'KWD', 'OMR', 'TND'].map((c) => [c, 3])),
  ISK: 2,
};

const stripeDigits = (currency: string): number => STRIPE_DIGITS[currency] ?? 2;

/** The ledger's minor units as Stripe's amount; null when Stripe cannot express it exactly (a ledger unit finer than Stripe's). */
export function toStripeAmount(amountMinor: Minor, currency: string): number | null {
  const shift = stripeDigits(currency) - minorDigits(currency);
  if (shift >= 0) return amountMinor * 10 ** shift;
  const factor = 10 ** -shift;
  return amountMinor % factor === 0 ? amountMinor / factor : null;
}

/** Stripe's amount as the ledger's minor units; null when it does not fall on a whole minor unit. */
export function fromStripeAmount(amount: number, currency: string): Minor | null {
  const shift = stripeDigits(currency) - minorDigits(currency);
  if (shift <= 0) return amount * 10 ** -shift;
  const factor = 10 ** shift;
  return amount % factor === 0 ? amount / factor : null;
}
