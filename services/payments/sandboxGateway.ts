import type { JsonDocument } from '../documentPort.js';
import { isCardExpired } from './cardExpiry.js';
import type { CardOnFile, ChargeOutcome, ChargeRequest, Clock, PaymentGateway, SettledCharge } from '../ports.js';

/** The sandbox's test cards: one that pays, one that is declined, one that has expired. */
export const TEST_CARDS = {
  'visa-success': { brand: 'Visa', last4: '4242', expMonth: 12, expYear: 2034 },
  'mastercard-decline': { brand: 'Mastercard', last4: '0002', expMonth: 12, expYear: 2034 },
  'visa-expired': { brand: 'Visa', last4: '0069', expMonth: 1, expYear: 2024 },
} as const satisfies Record<string, CardOnFile>;

export type TestCardId = keyof typeof TEST_CARDS;

export const isTestCardId = (value: unknown): value is TestCardId => typeof value === 'string' && Object.hasOwn(TEST_CARDS, value);

export interface SandboxState {
  /** The card on file per tenant; a tenant never seen has the paying test card. */
  cards: Record<string, TestCardId | null>;
  /** Every charge by tenant and idempotency key, so a repeated key answers as it did the first time. */
  charges: Record<string, ChargeRequest & { outcome: ChargeOutcome; at: string }>;
}

export const emptySandboxState = (): SandboxState => ({ cards: {}, charges: {} });

/**
 * A payment gateway for trying the bot without real money. It never sees a card number: admins
 * pick a test card from a card in chat.
 */
export class SandboxGateway implements PaymentGateway {
  constructor(
    private readonly document: JsonDocument<SandboxState>,
    private readonly clock: Clock,
  ) {}

  async cardOnFile(tenantId: string): Promise<CardOnFile | null> {
    const id = this.cardId(tenantId);
    return id ? { ...TEST_CARDS[id] } : null;
  }

  cardId(tenantId: string): TestCardId | null {
    const cards = this.document.data.cards;
    return Object.hasOwn(cards, tenantId) ? cards[tenantId]! : 'visa-success';
  }

  async chooseTestCard(tenantId: string, card: TestCardId): Promise<CardOnFile> {
    await this.document.update((state) => {
      state.cards[tenantId] = card;
    });
    return { ...TEST_CARDS[card] };
  }

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    const key = `${request.tenantId}\u0000${request.idempotencyKey}`;
    const earlier = this.document.data.charges[key];
    if (earlier) return earlier.outcome;
    const outcome = this.decide(request.tenantId, request.idempotencyKey);
    await this.document.update((state) => {
      state.charges[key] ??= { ...request, outcome, at: new Date(this.clock.now()).toISOString() };
    });
    return this.document.data.charges[key]!.outcome;
  }

  async settledCharges(since: number): Promise<SettledCharge[]> {
    return Object.values(this.document.data.charges).flatMap((c) => {
      const at = Date.parse(c.at);
      if (!c.outcome.ok || at < since) return [];
      const { outcome, at: _at, ...request } = c;
      return [{ ...request, chargeId: outcome.chargeId, at }];
    });
  }

  private decide(tenantId: string, key: string): ChargeOutcome {
    const id = this.cardId(tenantId);
    if (!id) return { ok: false, reason: 'no-payment-method', message: 'No card on file.' };
    const card = TEST_CARDS[id];
    if (isCardExpired(card, this.clock.now())) return { ok: false, reason: 'expired-card', message: `${card.brand} ending ${card.last4} expired ${card.expMonth}/${card.expYear}.` };
    if (id === 'mastercard-decline') return { ok: false, reason: 'declined', message: `${card.brand} ending ${card.last4} was declined.` };
    return { ok: true, chargeId: `ch_${key}` };
  }
}
