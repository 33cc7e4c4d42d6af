import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../bot/config.js';
import { fromStripeAmount, toStripeAmount } from '../../../bot/payments/stripeAmounts.js';

const STRIPE = {
  PAYMENT_GATEWAY: 'stripe',
  STRIPE_SECRET_KEY: 'sk_test_51Abcdefghij',
  STRIPE_WEBHOOK_SECRET: 'whsec_0123456789abcdef',
  BOT_DOMAIN: 'bot.contoso.com',
};

describe('PAYMENT_GATEWAY=stripe settings', () => {
  it('the sandbox stays the default', () => {
    expect(loadConfig({}).payments).toEqual({ gateway: 'sandbox' });
  });

  it('points the library at Stripe, or at the host, port and protocol of STRIPE_API_BASE', () => {
    expect(loadConfig(STRIPE).payments).toMatchObject({
      api: { host: 'api.stripe.com', port: 443, protocol: 'https' },
      publicBaseUrl: 'https://bot.contoso.com',
    });
    expect(loadConfig({ ...STRIPE, STRIPE_API_BASE: 'http://127.0.0.1:12111' }).payments).toMatchObject({
      api: { host: '127.0.0.1', port: 12111, protocol: 'http' },
    });
  });

  it.each([
    ['STRIPE_SECRET_KEY', undefined, 'required with PAYMENT_GATEWAY=stripe'],
    ['STRIPE_SECRET_KEY', 'pk_test_51Abcdefghij', 'a Stripe secret or restricted key'],
    ['STRIPE_SECRET_KEY', 'sk_test_', 'a Stripe secret or restricted key'],
    ['STRIPE_WEBHOOK_SECRET', undefined, 'required with PAYMENT_GATEWAY=stripe'],
    ['STRIPE_WEBHOOK_SECRET', 'not-a-secret', "a webhook endpoint's signing secret"],
    ['BOT_DOMAIN', undefined, 'required with PAYMENT_GATEWAY=stripe'],
    ['STRIPE_API_BASE', 'ftp://example.com', 'an http(s) URL'],
  ])('refuses to start with %s = %s, naming it', (name, value, why) => {
    expect(() => loadConfig({ ...STRIPE, [name]: value })).toThrow(new RegExp(`${name}: ${why.replace(/[()]/g, '\\$&')}`));
  });

  it('refuses an unknown gateway', () => {
    expect(() => loadConfig({ PAYMENT_GATEWAY: 'paypal' })).toThrow(/PAYMENT_GATEWAY/);
  });
});

describe("amounts in Stripe's units", () => {
  it.each([
    ['USD', 1234, 1234],
    ['JPY', 5000, 5000],
    ['KRW', 10000, 10000],
    ['VND', 250000, 250000],
    ['BHD', 12340, 12340],
    // ISK is zero-decimal in ISO 4217 and the ledger, two-decimal in Stripe's API.
    ['ISK', 1500, 150000],
  ])('%s %i minor units are %i in Stripe, and back', (currency, minor, stripe) => {
    expect(toStripeAmount(minor, currency)).toBe(stripe);
    expect(fromStripeAmount(stripe, currency)).toBe(minor);
  });

  it('refuses what does not fall on a whole unit of the other side', () => {
    expect(fromStripeAmount(150050, 'ISK')).toBeNull();
    // Four-decimal CLF is finer than Stripe's two decimals.
    expect(toStripeAmount(12345, 'CLF')).toBeNull();
    expect(toStripeAmount(12300, 'CLF')).toBe(123);
  });
});
