import type { Server } from 'restify';
import Stripe from 'stripe';
import type { LedgerService } from '../../services/ledgerService.js';
import type { Clock } from '../../services/ports.js';
import type { Config } from '../config.js';
import type { Log } from '../log.js';
import { StripeEventHandler } from './stripeEvents.js';
import { StripeGateway } from './stripeGateway.js';
import { registerStripeReturnPages } from './stripeReturnPages.js';
import { registerStripeWebhook } from './stripeWebhookRoute.js';

type StripeSettings = Extract<Config['payments'], { gateway: 'stripe' }>;

/**
 * The Stripe gateway, and a way to register its webhook route and return pages once the server
 * and the ledger exist. Loaded (with the `stripe` library) only when PAYMENT_GATEWAY=stripe.
 * `ledger` is asked for lazily: the ledger is built with this gateway, and the gateway records the
 * tenant's Customer through it.
 */
export function openStripe(settings: StripeSettings, deps: { ledger: () => LedgerService; clock: Clock; log: Log }) {
  const stripe = new Stripe(settings.secretKey, {
    ...settings.api,
    // The library retries network failures and 409/429/5xx with the same idempotency key.
    maxNetworkRetries: 2,
    timeout: 20_000,
    telemetry: false,
    appInfo: { name: 'comms-credits-bot' },
  });
  const gateway = new StripeGateway({
    stripe,
    records: {
      account: (tenantId) => deps.ledger().account(tenantId),
      openAccount: (tenantId) => deps.ledger().openAccount(tenantId),
      linkCustomer: (tenantId, customerId) => deps.ledger().linkPaymentCustomer(tenantId, customerId),
    },
    clock: deps.clock,
    publicBaseUrl: settings.publicBaseUrl,
    log: deps.log,
  });
  return {
    gateway,
    registerRoutes(server: Server): void {
      registerStripeWebhook(server, { stripe, secret: settings.webhookSecret, handler: new StripeEventHandler(stripe, gateway, deps.ledger()), log: deps.log });
      registerStripeReturnPages(server);
    },
  };
}
