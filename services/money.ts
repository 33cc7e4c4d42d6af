import { BoundedCache } from './boundedCache.js';
import { err, ok, type Result } from './result.js';

/** An amount in the account currency's minor units (cents for USD). Always within ±MAX_MINOR. */
export type Minor = number;

/**
 * The largest magnitude of any amount the ledger holds (a balance, a debt, a lot, a charge, a day's
 * or an hour's usage total): 10^13 minor units, a hundred billion dollars. 2^53 is about 900 times
 * larger, so a sum of up to 900 such figures (a week of hourly totals, a month of daily ones) is
 * still exact in a JavaScript number.
 */
export const MAX_MINOR = 10 ** 13;

/** An integer amount within ±MAX_MINOR, where every sum the ledger makes stays exact. */
export function isMinorInRange(value: number): boolean {
  return Number.isSafeInteger(value) && Math.abs(value) <= MAX_MINOR;
}

// ISO 4217 minor-unit exponents that differ from the usual 2. (CLDR, and so Intl, disagrees with ISO
// for a few of these, e.g. ISK and UGX, so the ledger keeps its own table.)
const MINOR_DIGITS_EXCEPTIONS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

const knownCurrencies = new Set(Intl.supportedValuesOf('currency'));

export function isKnownCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && knownCurrencies.has(code);
}

export function minorDigits(currency: string): number {
  return MINOR_DIGITS_EXCEPTIONS[currency] ?? 2;
}

export type AmountError =
  | { code: 'not-a-number'; input: string }
  | { code: 'too-many-decimals'; input: string; digits: number }
  | { code: 'negative'; input: string }
  | { code: 'too-large'; input: string };

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d*))?$|^([+-]?)\.(\d+)$/;

/**
 * Parses a decimal amount ("12.5", "0.12", "1,000.00") exactly into minor units.
 * `rounding: 'reject'` refuses more decimals than the currency has; `'half-up'` rounds them
 * (used for charges reported by Graph, which may carry sub-cent precision).
 */
export function parseDecimal(input: string, currency: string, rounding: 'reject' | 'half-up' = 'reject'): Result<Minor, AmountError> {
  const text = input.trim().replace(/,(?=\d{3}(\D|$))/g, '');
  const m = DECIMAL.exec(text);
  if (!m) return err({ code: 'not-a-number', input });
  const sign = m[1] ?? m[4] ?? '';
  const whole = m[2] ?? '0';
  let fraction = m[3] ?? m[5] ?? '';
  if (sign === '-' && /[1-9]/.test(whole + fraction)) return err({ code: 'negative', input });
  const digits = minorDigits(currency);
  let roundUp = false;
  if (fraction.length > digits) {
    const dropped = fraction.slice(digits);
    if (rounding === 'reject' && /[1-9]/.test(dropped)) {
      return err({ code: 'too-many-decimals', input, digits });
    }
    roundUp = rounding === 'half-up' && dropped.charCodeAt(0) >= 53; // '5'
    fraction = fraction.slice(0, digits);
  }
  const minor = Number(whole + fraction.padEnd(digits, '0')) + (roundUp ? 1 : 0);
  if (!isMinorInRange(minor)) return err({ code: 'too-large', input });
  return ok(minor);
}

/** a ÷ b for non-negative integers, rounded up, in integer arithmetic (no float touches an amount). */
export function divideRoundingUp(a: number, b: number): number {
  // Past 2^53 `%` and `/` are no longer exact: a caller passing such a number has a bug.
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || a < 0 || b <= 0)
    throw new RangeError(`divideRoundingUp(${a}, ${b}) needs safe non-negative integers`);
  const remainder = a % b;
  return (a - remainder) / b + (remainder > 0 ? 1 : 0);
}

/** Minor units as a plain decimal string in the currency's precision: 3766 USD → "37.66". */
export function toDecimalString(minor: Minor, currency: string): string {
  const digits = minorDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const abs = String(Math.abs(minor));
  if (digits === 0) return sign + abs;
  const padded = abs.padStart(digits + 1, '0');
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

/** Minor units formatted for people, e.g. "$37.66" or "US$37.66" in zh-CN. */
export function formatMoney(minor: Minor, currency: string, locale: string): string {
  // Intl formats a decimal string exactly, so no float ever carries the amount.
  return moneyFormat(locale, currency).format(toDecimalString(minor, currency));
}

/**
 * Building an Intl.NumberFormat costs far more than formatting with one (a balance card formats
 * dozens of amounts), so each locale and currency pair is built once. Bounded: locales come from
 * activities.
 */
const moneyFormats = new BoundedCache<string, { format(value: string): string }>(256);

function moneyFormat(locale: string, currency: string): { format(value: string): string } {
  return moneyFormats.getOrCreate(`${locale}\u0000${currency}`, () => {
    const digits = minorDigits(currency);
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }) as unknown as { format(value: string): string };
  });
}

/** A number from JSON (Graph's `charge: 0.12`) as the decimal text it was written as. */
export function jsonNumberToDecimal(value: number): string {
  // The shortest round-trip representation is the literal as written for any amount with up to
  // 15 significant digits; exponent notation is expanded so the parser sees plain digits.
  const text = String(value);
  if (!/e/i.test(text)) return text;
  return value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}
