import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../bot/config.js';
import { createLog } from '../../../bot/log.js';
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

describe('the log', () => {
  it("cuts Stripe's secret key and webhook secret should the configuration be logged", () => {
    const lines: string[] = [];
    const log = createLog({ level: 'info', production: true }, { write: (line: string) => void lines.push(line) });
    const config = loadConfig(STRIPE);
    log.info({ config }, 'the whole configuration');
    log.info({ payments: config.payments }, 'its part');
    log.info({ req: { headers: { 'stripe-signature': 't=1,v1=signature-secret' } } }, 'a webhook');
    const text = lines.join('');
    for (const secret of [STRIPE.STRIPE_SECRET_KEY, STRIPE.STRIPE_WEBHOOK_SECRET, 'signature-secret']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });
});
