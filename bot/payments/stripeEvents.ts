import type Stripe from 'stripe';
import { iso } from '../../services/calendar.js';
import type { GatewayEvent } from '../../services/ledger/gatewayRecords.js';
import type { LedgerService } from '../../services/ledgerService.js';
import { cardBrandName, type StripeGateway } from './stripeGateway.js';

/** What became of a verified event: acted on, already acted on before, or not about one of this bot's tenants. */
export type EventHandling = 'handled' | 'duplicate' | 'ignored';

/**
 * Acts on Stripe's webhook events, after their signature was verified. Events come in any order
 * and more than once, so an event is only a prompt: the object it names is read fresh from Stripe
 * and the ledger is told where it stands now (a PaymentIntent that succeeded adds its lot once,
 * however many events say so). The event's id is recorded in the same ledger write as what it
 * caused, so a redelivered event is not acted on again.
 */
export class StripeEventHandler {
  constructor(
    private readonly stripe: Stripe,
    private readonly gateway: StripeGateway,
    private readonly ledger: LedgerService,
  ) {}

  async handle(event: Stripe.Event): Promise<EventHandling> {
    const object = event.data.object as { id?: string; metadata?: Record<string, string> | null };
    const tenantId = object.metadata?.tenantId;
    if (!tenantId || !object.id) return 'ignored';
    const account = await this.ledger.account(tenantId);
    if (!account) return 'ignored';
    if (await this.ledger.handledGatewayEvent(tenantId, event.id)) return 'duplicate';
    const seen: GatewayEvent = { id: event.id, type: event.type };
    switch (event.type) {
      case 'checkout.session.completed': {
        const session = event.data.object;
        const setupIntent = typeof session.setup_intent === 'string' ? session.setup_intent : session.setup_intent?.id;
        if (session.mode === 'setup' && setupIntent) await this.cardSaved(tenantId, setupIntent, seen);
        else await this.ledger.noteGatewayEvent(tenantId, seen);
        return 'handled';
      }
      case 'setup_intent.succeeded':
        await this.cardSaved(tenantId, event.data.object.id, seen);
        return 'handled';
      case 'payment_intent.succeeded':
      case 'payment_intent.payment_failed':
      case 'payment_intent.requires_action':
      case 'payment_intent.canceled':
        await this.paymentChanged(tenantId, event.data.object.id, seen);
        return 'handled';
      default:
        return 'ignored';
    }
  }

  /** The card a SetupIntent saved, read from Stripe, for the tenant's own Customer only. */
  private async cardSaved(tenantId: string, setupIntentId: string, event: GatewayEvent): Promise<void> {
    const intent = await this.stripe.setupIntents.retrieve(setupIntentId, { expand: ['payment_method'] });
    const account = await this.ledger.account(tenantId);
    const customer = typeof intent.customer === 'string' ? intent.customer : intent.customer?.id;
    const method = intent.payment_method;
    const card = method && typeof method !== 'string' ? method.card : null;
    if (intent.status !== 'succeeded' || !card || !method || typeof method === 'string' || customer !== account?.paymentCustomerId) {
      await this.ledger.noteGatewayEvent(tenantId, event);
      return;
    }
    await this.ledger.savedCard(
      tenantId,
      {
        brand: cardBrandName(card.brand),
        last4: card.last4,
        expMonth: card.exp_month,
        expYear: card.exp_year,
        methodId: method.id,
        savedAt: iso(intent.created * 1000),
      },
      event,
    );
  }

  /** Where a PaymentIntent of this bot stands now, told to the ledger. */
  private async paymentChanged(tenantId: string, paymentIntentId: string, event: GatewayEvent): Promise<void> {
    const intent = await this.stripe.paymentIntents.retrieve(paymentIntentId);
    const request = this.gateway.requestOf(intent);
    if (request.tenantId !== tenantId || !request.idempotencyKey) {
      await this.ledger.noteGatewayEvent(tenantId, event);
      return;
    }
    const outcome = await this.gateway.outcomeOf(intent, request);
    await this.ledger.gatewayPaymentSettled(tenantId, { key: request.idempotencyKey, actor: request.actor, outcome }, event);
  }
}
