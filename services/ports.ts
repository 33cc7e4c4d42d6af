import type { Account } from './ledger/account.js';
import type { EntryKind, JournalEntry } from './ledger/journal.js';
import type { Alert, StoredAlert } from './alerts.js';
import type { Minor } from './money.js';

/** The time, injectable so tests can move it. Milliseconds since the epoch. */
/**
 * Where the domain and the stores tell of what happens in the background (a failed recharge, a
 * checkpoint that could not be written). The app's pino logger satisfies it; details are ids, codes
 * and errors (`err`), never secrets or card data.
 */
export interface Log {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** For a service or store built without the app's log (scripts, benchmarks): JSON on stderr. */
export const consoleLog: Log = {
  info: (details, message) => console.info(message, details),
  warn: (details, message) => console.warn(message, details),
  error: (details, message) => console.error(message, details),
};

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** What one ledger change produced; `entries` are already applied to `account`. */
export interface Change<T> {
  account: Account;
  entries: JournalEntry[];
  alerts: Alert[];
  result: T;
}

/** No change: the result only (a replayed key, a refused request). */
export interface NoChange<T> {
  account?: undefined;
  entries?: undefined;
  alerts?: undefined;
  result: T;
}

/** Whether the store can take writes now, and if not why (for `/readyz` and the logs, never a user). */
export interface StoreHealth {
  ok: boolean;
  /** A short operator-facing reason when not ok ("the write-ahead log could not be written: ENOSPC"). */
  reason: string | null;
}

/**
 * The store cannot serve durable state right now (a failed write, disk full, database down). The
 * edge answers 503 with the stable code `store-unavailable`; nothing was changed by the request.
 */
export class StoreUnavailableError extends Error {
  readonly code = 'store-unavailable';
  constructor(readonly reason: string) {
    super(`The ledger store is unavailable: ${reason}`);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * The ledger's storage. Changes to one tenant run one at a time against its latest account;
 * `change` resolves only once the entries and alerts are durable (on disk, or committed).
 * Accounts handed out are read-only views.
 */
/** Entries of some kinds among a stretch of a tenant's journal, for a card that shows the latest few. */
export interface LatestEntriesQuery {
  kinds: readonly EntryKind[];
  from: number;
  before: number;
  limit: number;
}

export interface LedgerStore {
  change<T>(tenantId: string, decide: (account: Account | undefined) => Change<T> | NoChange<T>): Promise<T>;
  account(tenantId: string): Promise<Account | undefined>;
  /** Entries with a number above `afterEntryNo`, oldest first, at most `limit`. */
  journal(tenantId: string, afterEntryNo: number, limit: number): Promise<JournalEntry[]>;
  /** The newest entries of `kinds` numbered from `from` to `before - 1`, newest first, at most `limit` (what `latestOfKinds` finds by scanning). */
  latestEntries(tenantId: string, query: LatestEntriesQuery): Promise<JournalEntry[]>;
  tenantIds(): Promise<string[]>;
  /** Alerts stored but not yet acknowledged, oldest first. */
  pendingAlerts(): Promise<StoredAlert[]>;
  /** Called with the alerts of each change once it is durable. */
  onAlerts(listener: (alerts: StoredAlert[]) => void): void;
  acknowledgeAlert(id: string): Promise<void>;
  /** Whether writes can be taken now; after a failed write, not ok until the store has recovered. */
  health(): StoreHealth;
  close(): Promise<void>;
}

export interface CardOnFile {
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

/**
 * Why a charge did not go through. `gateway-error` is an unknown outcome: asking again with the key is safe.
 * `authentication-required`: the bank wants the cardholder to confirm the payment (3-D Secure); it
 * is not refused yet, and goes through once they do.
 */
export type ChargeFailureReason = 'declined' | 'expired-card' | 'no-payment-method' | 'gateway-error' | 'authentication-required';

/** An admin's purchase (a lot follows the charge) or an auto-recharge attempt. */
export type ChargePurpose = 'funds' | 'auto-recharge';

/**
 * What the gateway did with a charge request. A success carries what the gateway recorded as
 * charged for the key, which is what the ledger credits (charged = credited). A key seen before
 * with another amount, currency or purpose is refused and charges nothing (never replayed).
 */
export type ChargeOutcome =
  | { ok: true; chargeId: string; amountMinor: Minor; currency: string }
  | {
      ok: false;
      reason: ChargeFailureReason;
      message: string;
      /** The card network's or bank's reason when the gateway gives one (`card_declined`, `insufficient_funds`, …), for admins to read. */
      declineCode?: string;
      /** With `authentication-required`: the payment waiting for the cardholder, and the page where they confirm it. */
      authentication?: PendingAuthentication;
    }
  | { ok: false; reason: 'key-reused'; message: string; first: { amountMinor: Minor; currency: string; purpose: ChargePurpose } };

export interface ChargeRequest {
  tenantId: string;
  /** Namespaced by purpose (`purchase:…`, `recharge:…`; see `ledger/operationKeys.ts`). */
  idempotencyKey: string;
  amountMinor: Minor;
  currency: string;
  purpose: ChargePurpose;
  /** Who asked: the admin's id, or `system`. */
  actor: string;
}

/** A payment the bank holds until the cardholder confirms it (3-D Secure) on `url`. */
export interface PendingAuthentication {
  chargeId: string;
  url: string;
}

export interface SettledCharge extends ChargeRequest {
  chargeId: string;
  at: number;
}

/**
 * Where money comes from. A charge is idempotent on its key: the same key with the same amount,
 * currency and purpose answers the first outcome and never charges twice; with other parameters it
 * is refused (`key-reused`).
 */
export interface PaymentGateway {
  cardOnFile(tenantId: string): Promise<CardOnFile | null>;
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
  /** Successful charges made since `since`, so a charge whose funds a crash kept from the ledger is found. */
  settledCharges(since: number): Promise<SettledCharge[]>;
}

/** Money sent back to the card a lot was paid with. The key is namespaced (`refund:…`). */
export interface RefundRequest {
  tenantId: string;
  idempotencyKey: string;
  /** The gateway's charge that paid for the lot. */
  chargeId: string;
  amountMinor: Minor;
  currency: string;
  /** The lot the refund is journaled against. */
  lotId: string;
}

export type RefundOutcome =
  | { ok: true; refundId: string; amountMinor: Minor; currency: string }
  | { ok: false; reason: 'refused' | 'gateway-error'; message: string };

export interface SettledRefund extends RefundRequest {
  refundId: string;
  at: number;
}

/** A gateway that can refund (the Stripe gateway; the sandbox cannot). */
export interface RefundGateway {
  refund(request: RefundRequest): Promise<RefundOutcome>;
  /** Refunds made since `since`, so one a crash kept from the journal is found at start-up. */
  settledRefunds(since: number): Promise<SettledRefund[]>;
}
