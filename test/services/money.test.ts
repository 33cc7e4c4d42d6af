import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatMoney, isKnownCurrency, jsonNumberToDecimal, MAX_MINOR, minorDigits, parseDecimal, toDecimalString } from '../../services/money.js';

describe('money', () => {
  it('parses decimals exactly into minor units', () => {
    expect(parseDecimal('12.5', 'USD')).toEqual({ ok: true, value: 1250 });
    expect(parseDecimal('0.12', 'USD')).toEqual({ ok: true, value: 12 });
    expect(parseDecimal('1,000.00', 'USD')).toEqual({ ok: true, value: 100000 });
    expect(parseDecimal('.5', 'USD')).toEqual({ ok: true, value: 50 });
    expect(parseDecimal('500', 'JPY')).toEqual({ ok: true, value: 500 });
    expect(parseDecimal('1.234', 'KWD')).toEqual({ ok: true, value: 1234 });
    // 0.1 + 0.2 in floating point is 0.30000000000000004; here it is exactly 30 cents.
    expect(parseDecimal('0.30', 'USD')).toEqual({ ok: true, value: 30 });
  });

  it('refuses what is not an amount', () => {
    expect(parseDecimal('abc', 'USD').ok).toBe(false);
    expect(parseDecimal('1e3', 'USD').ok).toBe(false);
    expect(parseDecimal('12.345', 'USD')).toMatchObject({ ok: false, error: { code: 'too-many-decimals' } });
    expect(parseDecimal('1.5', 'JPY')).toMatchObject({ ok: false, error: { code: 'too-many-decimals' } });
    expect(parseDecimal('-5', 'USD')).toMatchObject({ ok: false, error: { code: 'negative' } });
    expect(parseDecimal('99999999999999999', 'USD')).toMatchObject({ ok: false, error: { code: 'too-large' } });
  });

  it('rounds sub-cent charges half up when asked', () => {
    expect(parseDecimal('0.125', 'USD', 'half-up')).toEqual({ ok: true, value: 13 });
    expect(parseDecimal('0.1249', 'USD', 'half-up')).toEqual({ ok: true, value: 12 });
    expect(parseDecimal('12.30', 'USD', 'half-up')).toEqual({ ok: true, value: 1230 });
  });

  it('knows ISO 4217 minor digits', () => {
    expect(minorDigits('USD')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('BHD')).toBe(3);
    expect(isKnownCurrency('EUR')).toBe(true);
    expect(isKnownCurrency('XYZ')).toBe(false);
    expect(isKnownCurrency('usd')).toBe(false);
  });

  it('formats minor units as decimal strings and for people', () => {
    expect(toDecimalString(3766, 'USD')).toBe('37.66');
    expect(toDecimalString(-5, 'USD')).toBe('-0.05');
    expect(toDecimalString(500, 'JPY')).toBe('500');
    expect(formatMoney(3766, 'USD', 'en-US')).toBe('$37.66');
    expect(formatMoney(-1234, 'USD', 'en-US')).toBe('-$12.34');
    expect(formatMoney(500, 'JPY', 'en-US')).toBe('¥500');
    expect(formatMoney(3766, 'USD', 'zh-CN')).toBe('US$37.66');
    // Beyond float precision the amount is still exact.
    expect(formatMoney(9007199254740991, 'USD', 'en-US')).toBe('$90,071,992,547,409.91');
  });

  it('reads JSON numbers as the decimal they were written as', () => {
    expect(jsonNumberToDecimal(0.12)).toBe('0.12');
    expect(jsonNumberToDecimal(1e-7)).toBe('0.0000001');
    expect(jsonNumberToDecimal(12)).toBe('12');
  });

  it('round-trips every amount through text (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_MINOR }), fc.constantFrom('USD', 'JPY', 'KWD'), (minor, currency) => {
        expect(parseDecimal(toDecimalString(minor, currency), currency)).toEqual({ ok: true, value: minor });
      }),
    );
  });
});
