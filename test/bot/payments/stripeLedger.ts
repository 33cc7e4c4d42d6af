import Stripe from 'stripe';
import { StripeEventHandler } from '../../../bot/payments/stripeEvents.js';
import { StripeGateway } from '../../../bot/payments/stripeGateway.js';
import type { LedgerPolicy } from '../../../services/ledger/policy.js';
import { LedgerService } from '../../../services/ledgerService.js';
import type { Clock, LedgerStore } from '../../../services/ports.js';
import { pricer } from '../../../services/rates.js';
import { POLICY, RATES } from '../../support/ledgerFixture.js';
import { DOUBLE_KEY, type StripeDouble } from './stripeDouble.js';

/**
 * One instance of the bot's money side, as app.ts wires it with PAYMENT_GATEWAY=stripe: a ledger
 * over `store`, the Stripe gateway (the real library, pointed at the double) and the webhook's
 * event handler. Errors the ledger reports go to `errors`.
 */
export function stripeLedger(store: LedgerStore, stripe: StripeDouble, clock: Clock, policy: Partial<LedgerPolicy> = {}) {
  const errors: unknown[] = [];
  const log = { info: () => undefined, warn: () => undefined, error: (details: object) => void errors.push(details) };
  const url = new URL(stripe.base);
  const client = new Stripe(DOUBLE_KEY, { host: url.hostname, port: Number(url.port), protocol: 'http', maxNetworkRetries: 0, telemetry: false });
  let ledger: LedgerService | undefined;
  const gateway = new StripeGateway({
    stripe: client,
    records: {
      account: (t) => ledger!.account(t),
      openAccount: (t) => ledger!.openAccount(t),
      linkCustomer: (t, id) => ledger!.linkPaymentCustomer(t, id),
    },
    clock,
    publicBaseUrl: 'https://bot.contoso.test',
    log,
  });
  ledger = new LedgerService({ store, gateway, refunds: gateway, clock, policy: { ...POLICY, ...policy }, price: pricer(RATES), log });
  return { ledger, gateway, events: new StripeEventHandler(client, gateway, ledger), errors };
}
