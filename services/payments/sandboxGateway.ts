import { createHash } from 'node:crypto';
import { isCardExpired } from './cardExpiry.js';
import type { CardOnFile, ChargeFailureReason, ChargeOutcome, ChargeRequest, Clock, PaymentGateway, SettledCharge } from '../ports.js';

/** The sandbox's test cards: one that pays, one that is declined, one that has expired. */
export const TEST_CARDS = {
  'visa-success': { brand: 'Visa', last4: '4242', expMonth: 12, expYear: 2034 },
  'mastercard-decline': { brand: 'Mastercard', last4: '0002', expMonth: 12, expYear: 2034 },
  'visa-expired': { brand: 'Visa', last4: '0069', expMonth: 1, expYear: 2024 },
} as const satisfies Record<string, CardOnFile>;

export type TestCardId = keyof typeof TEST_CARDS;

export const isTestCardId = (value: unknown): value is TestCardId => typeof value === 'string' && Object.hasOwn(TEST_CARDS, value);

/** A charge as the sandbox keeps it: the request and what came of it. */
export type StoredCharge = ChargeRequest & {
  outcome: { ok: true; chargeId: string } | { ok: false; reason: ChargeFailureReason; message: string };
  at: string;
};

/**
 * What the sandbox keeps: the card on file each tenant's admins chose, and every charge by tenant
 * and idempotency key. Each operation is one tenant's row (but `chargesSince`, a read of all).
 */
export interface SandboxRecords {
  /** The test card the tenant's admins chose (null: none); undefined when they never chose. */
  chosenCard(tenantId: string): Promise<TestCardId | null | undefined>;
  chooseCard(tenantId: string, card: TestCardId | null): Promise<void>;
  charge(tenantId: string, idempotencyKey: string): Promise<StoredCharge | undefined>;
  /** Keeps the charge unless its key has one already (the first wins); returns the one kept, once durable. */
  recordCharge(charge: StoredCharge): Promise<StoredCharge>;
  /** Every tenant's charges made at or after `since` (ms). */
  chargesSince(since: number): Promise<StoredCharge[]>;
}

export interface SandboxOptions {
  /**
   * The card on file of a tenant whose admins never chose one. None by default: a new tenant has
   * no card until an admin picks a test card (tests that are about something else start with the
   * paying one, as if it had been chosen).
   */
  cardForNewTenants?: TestCardId | null;
}

/**
 * A payment gateway for trying the bot without real money. It never sees a card number: admins
 * pick a test card from a card in chat.
 */
export class SandboxGateway implements PaymentGateway {
  private readonly cardForNewTenants: TestCardId | null;

  constructor(
    private readonly records: SandboxRecords,
    private readonly clock: Clock,
    options: SandboxOptions = {},
  ) {
    this.cardForNewTenants = options.cardForNewTenants ?? null;
  }

  async cardOnFile(tenantId: string): Promise<CardOnFile | null> {
    const id = await this.cardId(tenantId);
    return id ? { ...TEST_CARDS[id] } : null;
  }

  async cardId(tenantId: string): Promise<TestCardId | null> {
    const chosen = await this.records.chosenCard(tenantId);
    return chosen === undefined ? this.cardForNewTenants : chosen;
  }

  async chooseTestCard(tenantId: string, card: TestCardId): Promise<CardOnFile> {
    await this.records.chooseCard(tenantId, card);
    return { ...TEST_CARDS[card] };
  }

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    let recorded = await this.records.charge(request.tenantId, request.idempotencyKey);
    if (!recorded) {
      const outcome = this.decide(request.idempotencyKey, await this.cardId(request.tenantId), request.tenantId);
      // The first request for a key wins, even when two arrive together (here or on another instance): the other gets its answer.
      recorded = await this.records.recordCharge({ ...request, outcome, at: new Date(this.clock.now()).toISOString() });
    }
    return answer(recorded, request);
  }

  async settledCharges(since: number): Promise<SettledCharge[]> {
    return (await this.records.chargesSince(since)).flatMap((c) => {
      const at = Date.parse(c.at);
      if (!c.outcome.ok) return [];
      const { outcome, at: _at, ...request } = c;
      return [{ ...request, chargeId: outcome.chargeId, at }];
    });
  }

  private decide(key: string, id: TestCardId | null, tenantId: string): StoredCharge['outcome'] {
    if (!id) return { ok: false, reason: 'no-payment-method', message: 'No card on file.' };
    const card = TEST_CARDS[id];
    if (isCardExpired(card, this.clock.now()))
      return { ok: false, reason: 'expired-card', message: `${card.brand} ending ${card.last4} expired ${card.expMonth}/${card.expYear}.` };
    if (id === 'mastercard-decline') return { ok: false, reason: 'declined', message: `${card.brand} ending ${card.last4} was declined.` };
    return { ok: true, chargeId: `ch_${createHash('sha256').update(`${tenantId}\u0000${key}`).digest('hex').slice(0, 24)}` };
  }
}

/**
 * The recorded outcome of a key, for a request with the same amount, currency and purpose; a
 * refusal for any other. A success states what was charged: the recorded amount and currency.
 */
function answer(recorded: StoredCharge, request: ChargeRequest): ChargeOutcome {
  const { amountMinor, currency, purpose } = recorded;
  if (amountMinor !== request.amountMinor || currency !== request.currency || purpose !== request.purpose) {
    return {
      ok: false,
      reason: 'key-reused',
      message: `The key ${request.idempotencyKey} was first used for ${purpose} of ${amountMinor} ${currency} (minor units); nothing was charged now.`,
      first: { amountMinor, currency, purpose },
    };
  }
  return recorded.outcome.ok ? { ok: true, chargeId: recorded.outcome.chargeId, amountMinor, currency } : recorded.outcome;
}
