import Stripe from 'stripe';
import { DAY_MS } from '../../services/calendar.js';
import type { Account } from '../../services/ledger/account.js';
import { isCardExpired } from '../../services/payments/cardExpiry.js';
import type {
  CardOnFile,
  ChargeOutcome,
  ChargePurpose,
  ChargeRequest,
  Clock,
  Log,
  PaymentGateway,
  RefundGateway,
  RefundOutcome,
  RefundRequest,
  SettledCharge,
  SettledRefund,
} from '../../services/ports.js';
import { fromStripeAmount, toStripeAmount } from './stripeAmounts.js';
import { RETURN_PATHS } from './stripeReturnPages.js';

/** What the gateway reads and records in the ledger: the tenant's Stripe Customer and card on file live there (see `services/ledger/gatewayRecords.ts`). */
export interface StripeRecords {
  account(tenantId: string): Promise<Account | undefined>;
  openAccount(tenantId: string): Promise<Account>;
  /** Records the tenant's Customer; answers the one recorded first. */
  linkCustomer(tenantId: string, customerId: string): Promise<string | null>;
}

export interface StripeGatewayOptions {
  stripe: Stripe;
  records: StripeRecords;
  clock: Clock;
  /** The bot's public address (`https://BOT_DOMAIN`): Checkout and the bank's 3-D Secure page return there. */
  publicBaseUrl: string;
  log: Log;
}

/** A PaymentIntent older than this is not looked for before charging: no ledger key waits that long for its charge. */
const KEY_LOOKBACK_DAYS = 30;

/** The metadata every PaymentIntent carries: whose, for which ledger key, what for, and who asked. */
interface ChargeMetadata {
  tenantId: string;
  ledgerKey: string;
  purpose: ChargePurpose;
  actor: string;
}

const isPurpose = (value: unknown): value is ChargePurpose => value === 'funds' || value === 'auto-recharge';

/**
 * The payment port on Stripe. Cards are saved on Stripe's Checkout page (setup mode) for the
 * tenant's Customer, never seen by the bot; charges are off-session PaymentIntents on the saved
 * card with the ledger's key as Stripe's `Idempotency-Key` (prefixed with the tenant, since
 * recharge keys repeat across tenants). Stripe forgets idempotency keys after 24 hours, so before
 * charging, the Customer's recent PaymentIntents are searched for the key: a key is charged once
 * however late it is retried, and a key reused with other parameters is refused.
 */
export class StripeGateway implements PaymentGateway, RefundGateway {
  private readonly stripe: Stripe;

  constructor(private readonly options: StripeGatewayOptions) {
    this.stripe = options.stripe;
  }

  async cardOnFile(tenantId: string): Promise<CardOnFile | null> {
    const card = (await this.options.records.account(tenantId))?.paymentMethod;
    return card ? { brand: card.brand, last4: card.last4, expMonth: card.expMonth, expYear: card.expYear } : null;
  }

  /** A Stripe Checkout page (setup mode) where an admin saves a card for the tenant; its URL, or null when Stripe could not make one now (logged). */
  async cardSetupUrl(tenantId: string, language: 'en' | 'zh-CN'): Promise<string | null> {
    try {
      return await this.checkoutPage(tenantId, language);
    } catch (error) {
      this.options.log.error({ err: error, tenantId }, 'Stripe could not make a card setup page');
      return null;
    }
  }

  private async checkoutPage(tenantId: string, language: 'en' | 'zh-CN'): Promise<string> {
    const account = await this.options.records.openAccount(tenantId);
    const customer = await this.customerOf(account);
    const back = (path: string) => `${this.options.publicBaseUrl}${path}?lang=${language}`;
    const session = await this.stripe.checkout.sessions.create({
      mode: 'setup',
      customer,
      currency: account.currency.toLowerCase(),
      success_url: back(RETURN_PATHS.cardSaved),
      cancel_url: back(RETURN_PATHS.setupCancelled),
      locale: language === 'zh-CN' ? 'zh' : 'en',
      metadata: { tenantId },
      setup_intent_data: { metadata: { tenantId } },
    });
    if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a URL`);
    return session.url;
  }

  /** The tenant's Customer, made once (two instances making one together: the one recorded first wins). */
  private async customerOf(account: Account): Promise<string> {
    if (account.paymentCustomerId) return account.paymentCustomerId;
    const created = await this.stripe.customers.create(
      { description: `Communications Credits tenant ${account.tenantId}`, metadata: { tenantId: account.tenantId } },
      { idempotencyKey: `${account.tenantId}/customer` },
    );
    return (await this.options.records.linkCustomer(account.tenantId, created.id)) ?? created.id;
  }

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    try {
      const account = await this.options.records.account(request.tenantId);
      const customer = account?.paymentCustomerId ?? null;
      const earlier = customer ? await this.paymentFor(customer, request) : null;
      if (earlier) return await this.outcomeOf(earlier, request);
      const card = account?.paymentMethod;
      if (!customer || !card) return { ok: false, reason: 'no-payment-method', message: 'No card is saved with Stripe.' };
      if (isCardExpired(card, this.options.clock.now()))
        return {
          ok: false,
          reason: 'expired-card',
          message: `${card.brand} ending ${card.last4} expired ${card.expMonth}/${card.expYear}.`,
          declineCode: 'expired_card',
        };
      const amount = toStripeAmount(request.amountMinor, request.currency);
      if (amount === null)
        return { ok: false, reason: 'declined', message: `Stripe cannot charge ${request.currency} in these units.`, declineCode: 'currency_not_supported' };
      const metadata: ChargeMetadata = { tenantId: request.tenantId, ledgerKey: request.idempotencyKey, purpose: request.purpose, actor: request.actor };
      const intent = await this.stripe.paymentIntents.create(
        {
          amount,
          currency: request.currency.toLowerCase(),
          customer,
          payment_method: card.methodId,
          off_session: true,
          confirm: true,
          description: request.purpose === 'funds' ? 'Communications Credits' : 'Communications Credits auto-recharge',
          metadata: { ...metadata },
        },
        { idempotencyKey: this.stripeKey(request.tenantId, request.idempotencyKey) },
      );
      return await this.outcomeOf(intent, request);
    } catch (error) {
      return this.failureOf(error, request);
    }
  }

  /** The PaymentIntent made for this key, if the Customer has one (however long ago Stripe forgot the key). */
  private async paymentFor(customer: string, request: ChargeRequest): Promise<Stripe.PaymentIntent | null> {
    const since = Math.floor((this.options.clock.now() - KEY_LOOKBACK_DAYS * DAY_MS) / 1000);
    for await (const intent of this.stripe.paymentIntents.list({ customer, created: { gte: since }, limit: 100 })) {
      if (intent.metadata?.ledgerKey === request.idempotencyKey && intent.metadata?.tenantId === request.tenantId) return intent;
    }
    return null;
  }

  /**
   * What a PaymentIntent means for the ledger. `request` is what is being asked now: a PaymentIntent
   * made for the key with other parameters refuses it. Public for the webhook, which reads
   * PaymentIntents fresh from Stripe and asks the same question.
   */
  async outcomeOf(intent: Stripe.PaymentIntent, request: ChargeRequest): Promise<ChargeOutcome> {
    const currency = intent.currency.toUpperCase();
    const amountMinor = fromStripeAmount(intent.amount, currency);
    const purpose = isPurpose(intent.metadata?.purpose) ? intent.metadata.purpose : request.purpose;
    if (amountMinor === null) return { ok: false, reason: 'gateway-error', message: `PaymentIntent ${intent.id} has an amount the ledger cannot hold.` };
    if (amountMinor !== request.amountMinor || currency !== request.currency || purpose !== request.purpose) {
      return {
        ok: false,
        reason: 'key-reused',
        message: `The key ${request.idempotencyKey} was first used for ${purpose} of ${amountMinor} ${currency} (minor units, PaymentIntent ${intent.id}); nothing was charged now.`,
        first: { amountMinor, currency, purpose },
      };
    }
    switch (intent.status) {
      case 'succeeded': {
        const received = fromStripeAmount(intent.amount_received || intent.amount, currency);
        return { ok: true, chargeId: intent.id, amountMinor: received ?? amountMinor, currency };
      }
      case 'requires_action':
        return this.authenticationOf(intent);
      case 'requires_payment_method':
      case 'canceled': {
        const failure = intent.last_payment_error;
        // Off-session, a bank that wants 3-D Secure fails the attempt; the admin can still confirm it on the bank's page.
        if (failure?.code === 'authentication_required' || failure?.decline_code === 'authentication_required') {
          if (intent.status === 'requires_payment_method') return this.authenticationOf(intent);
        }
        return declined(failure?.code ?? null, failure?.decline_code ?? null, failure?.message ?? `PaymentIntent ${intent.id} is ${intent.status}.`);
      }
      default:
        // processing, requires_confirmation, requires_capture: not settled yet; asking again later is safe.
        return { ok: false, reason: 'gateway-error', message: `PaymentIntent ${intent.id} is ${intent.status}.` };
    }
  }

  /** The bank's 3-D Secure page for a PaymentIntent waiting for the cardholder, confirming it on-session for one if needed. */
  private async authenticationOf(intent: Stripe.PaymentIntent): Promise<ChargeOutcome> {
    let current = intent;
    if (!current.next_action?.redirect_to_url?.url) {
      const method = typeof current.payment_method === 'string' ? current.payment_method : (current.payment_method?.id ?? undefined);
      current = await this.stripe.paymentIntents.confirm(current.id, {
        ...(method ? { payment_method: method } : {}),
        return_url: `${this.options.publicBaseUrl}${RETURN_PATHS.authenticated}`,
      });
    }
    if (current.status === 'succeeded') return this.outcomeOf(current, this.requestOf(current));
    const url = current.next_action?.redirect_to_url?.url;
    if (!url) return { ok: false, reason: 'gateway-error', message: `PaymentIntent ${intent.id} waits for authentication but Stripe gave no page for it.` };
    return {
      ok: false,
      reason: 'authentication-required',
      message: 'The bank asks the cardholder to confirm the payment.',
      declineCode: 'authentication_required',
      authentication: { chargeId: current.id, url },
    };
  }

  /** The charge request a PaymentIntent was made for, from its metadata (empty tenant and key for one this bot did not make). */
  requestOf(intent: Stripe.PaymentIntent): ChargeRequest & { idempotencyKey: string } {
    const m = intent.metadata ?? {};
    const currency = intent.currency.toUpperCase();
    return {
      tenantId: m.tenantId ?? '',
      idempotencyKey: m.ledgerKey ?? '',
      amountMinor: fromStripeAmount(intent.amount, currency) ?? -1,
      currency,
      purpose: isPurpose(m.purpose) ? m.purpose : 'funds',
      actor: m.actor ?? 'system',
    };
  }

  private async failureOf(error: unknown, request: ChargeRequest): Promise<ChargeOutcome> {
    if (error instanceof Stripe.errors.StripeCardError) {
      const intent = (error as { payment_intent?: Stripe.PaymentIntent }).payment_intent;
      const code = error.code ?? null;
      const decline = error.decline_code ?? null;
      if ((code === 'authentication_required' || decline === 'authentication_required') && intent?.id) {
        try {
          return await this.authenticationOf(intent);
        } catch (again) {
          return this.failureOf(again, request);
        }
      }
      return declined(code, decline, error.message);
    }
    if (error instanceof Stripe.errors.StripeIdempotencyError) {
      // The key was used with other parameters within Stripe's 24 hours: its PaymentIntent says with which.
      const customer = (await this.options.records.account(request.tenantId))?.paymentCustomerId;
      const first = customer ? await this.paymentFor(customer, request).catch(() => null) : null;
      if (first) return this.outcomeOf(first, request);
      this.options.log.warn({ tenantId: request.tenantId, key: request.idempotencyKey }, 'Stripe refused a reused idempotency key');
      return { ok: false, reason: 'gateway-error', message: error.message };
    }
    if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === 'resource_missing' && error.param === 'payment_method') {
      return { ok: false, reason: 'no-payment-method', message: 'The saved card is no longer on Stripe.' };
    }
    this.options.log.error({ err: error, tenantId: request.tenantId, key: request.idempotencyKey }, 'Stripe did not take a charge');
    return { ok: false, reason: 'gateway-error', message: 'Stripe did not answer the charge.' };
  }

  async settledCharges(since: number): Promise<SettledCharge[]> {
    const settled: SettledCharge[] = [];
    for await (const intent of this.stripe.paymentIntents.list({ created: { gte: Math.floor(since / 1000) }, limit: 100 })) {
      if (intent.status !== 'succeeded') continue;
      const request = this.requestOf(intent);
      const amountMinor = fromStripeAmount(intent.amount_received || intent.amount, request.currency);
      if (!request.tenantId || !request.idempotencyKey || amountMinor === null) continue;
      settled.push({ ...request, amountMinor, chargeId: intent.id, at: intent.created * 1000 });
    }
    return settled;
  }

  async refund(request: RefundRequest): Promise<RefundOutcome> {
    const amount = toStripeAmount(request.amountMinor, request.currency);
    if (amount === null) return { ok: false, reason: 'refused', message: `Stripe cannot refund ${request.currency} in these units.` };
    try {
      // Stripe forgets the key after 24 hours: a refund made for it before is found on the payment instead.
      const earlier = await this.refundFor(request);
      const refund =
        earlier ??
        (await this.stripe.refunds.create(
          { payment_intent: request.chargeId, amount, metadata: { tenantId: request.tenantId, ledgerKey: request.idempotencyKey, lotId: request.lotId } },
          { idempotencyKey: this.stripeKey(request.tenantId, request.idempotencyKey) },
        ));
      if (refund.status === 'failed' || refund.status === 'canceled')
        return { ok: false, reason: 'refused', message: `Stripe refund ${refund.id} is ${refund.status}.` };
      const refunded = fromStripeAmount(refund.amount, request.currency);
      return { ok: true, refundId: refund.id, amountMinor: refunded ?? request.amountMinor, currency: request.currency };
    } catch (error) {
      if (error instanceof Stripe.errors.StripeInvalidRequestError || error instanceof Stripe.errors.StripeIdempotencyError) {
        return { ok: false, reason: 'refused', message: error.message };
      }
      this.options.log.error({ err: error, tenantId: request.tenantId, key: request.idempotencyKey }, 'Stripe did not take a refund');
      return { ok: false, reason: 'gateway-error', message: 'Stripe did not answer the refund.' };
    }
  }

  private async refundFor(request: RefundRequest): Promise<Stripe.Refund | null> {
    for await (const refund of this.stripe.refunds.list({ payment_intent: request.chargeId, limit: 100 })) {
      if (refund.metadata?.ledgerKey === request.idempotencyKey && refund.metadata?.tenantId === request.tenantId) return refund;
    }
    return null;
  }

  async settledRefunds(since: number): Promise<SettledRefund[]> {
    const settled: SettledRefund[] = [];
    for await (const refund of this.stripe.refunds.list({ created: { gte: Math.floor(since / 1000) }, limit: 100 })) {
      const m = refund.metadata ?? {};
      const chargeId = typeof refund.payment_intent === 'string' ? refund.payment_intent : refund.payment_intent?.id;
      const currency = refund.currency.toUpperCase();
      const amountMinor = fromStripeAmount(refund.amount, currency);
      if (!m.tenantId || !m.ledgerKey || !m.lotId || !chargeId || amountMinor === null) continue;
      if (refund.status === 'failed' || refund.status === 'canceled') continue;
      settled.push({
        tenantId: m.tenantId,
        idempotencyKey: m.ledgerKey,
        lotId: m.lotId,
        chargeId,
        amountMinor,
        currency,
        refundId: refund.id,
        at: refund.created * 1000,
      });
    }
    return settled;
  }

  /** Stripe's idempotency keys are per Stripe account: the ledger's keys repeat across tenants (`recharge:recharge-1`), so the tenant prefixes them. */
  private stripeKey(tenantId: string, key: string): string {
    return `${tenantId}/${key}`;
  }
}

/** A refused card: an expired card is its own reason (auto-recharge then waits for a new card); the bank's code is kept for the admin. */
function declined(code: string | null, declineCode: string | null, message: string): ChargeOutcome {
  const reasonCode = declineCode ?? code ?? 'card_declined';
  const expired = code === 'expired_card' || declineCode === 'expired_card';
  return { ok: false, reason: expired ? 'expired-card' : 'declined', message, declineCode: reasonCode };
}

/** A card brand as Stripe names it (`visa`), as people write it. */
export function cardBrandName(brand: string): string {
  const names: Record<string, string> = {
    visa: 'Visa',
    mastercard: 'Mastercard',
    amex: 'American Express',
    discover: 'Discover',
    jcb: 'JCB',
    unionpay: 'UnionPay',
    diners: 'Diners Club',
    cartes_bancaires: 'Cartes Bancaires',
  };
  return names[brand] ?? (brand ? brand[0]!.toUpperCase() + brand.slice(1) : 'Card');
}
