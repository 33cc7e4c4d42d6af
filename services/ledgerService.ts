import { dayNumber, DAY_MS } from './calendar.js';
import type { Account } from './ledger/account.js';
import { addFunds, replayedFunds, type FundsOutcome } from './ledger/addFunds.js';
import { cancelPurchase, isCancelledPurchase, type CancelOutcome } from './ledger/cancelPurchase.js';
import { applyUsage, type PriceRecord, type UsageBatchOutcome, type UsageRecord } from './ledger/applyUsage.js';
import { completeRecharge } from './ledger/autoRecharge.js';
import { ChangeDraft } from './ledger/changeDraft.js';
import type { LedgerError } from './ledger/errors.js';
import { expireLots } from './ledger/expireLots.js';
import type { AutoRechargeSettings, JournalEntry } from './ledger/journal.js';
import { accountDefaults, additionLimits, parseAddition, parseAmount, type LedgerPolicy } from './ledger/policy.js';
import { runway, usageBreakdown, type Runway, type UsageBreakdownRow } from './insight/runway.js';
import type { UsageTotals } from './insight/usageStats.js';
import { MAX_MINOR, parseDecimal } from './money.js';
import { fundsBreakRange } from './ledger/accountRange.js';
import { changeAutoRecharge, changeLowBalanceAlert, recordPaymentMethodChange } from './ledger/settings.js';
import type { Minor } from './money.js';
import type { Clock, LedgerStore, PaymentGateway } from './ports.js';
import { err, ok, type Result } from './result.js';

export interface LedgerServiceDeps {
  store: LedgerStore;
  gateway: PaymentGateway;
  clock: Clock;
  policy: LedgerPolicy;
  price: PriceRecord;
  /** Told of background failures (a recharge that could not be recorded); defaults to console. */
  onError?: (error: unknown) => void;
}

export interface AddFundsRequest {
  /** Decimal text in major units, as typed or sent; validated again here whatever the card said. */
  amount: string;
  currency?: string;
  actor: string;
  idempotencyKey: string;
  note?: string | null;
}

export interface AutoRechargeChange {
  enabled?: boolean;
  /** Decimal text in major units. */
  trigger?: string;
  amount?: string;
}

/** How far back start-up looks for charged purchases missing from the ledger. */
const RECONCILE_DAYS = 7;
export const RECOVERED_NOTE = 'Recorded at restart: the card was charged before the funds could be added.';

/**
 * The ledger's use cases: what the bot, the operator API and the scheduler ask of it. Rules live
 * in `ledger/`; this class loads the account, runs the rule inside a store change, and starts
 * the auto-recharge attempts the changes ask for.
 */
export class LedgerService {
  private readonly rechargesRunning = new Map<string, Promise<void>>();

  constructor(private readonly deps: LedgerServiceDeps) {}

  get policy(): LedgerPolicy {
    return this.deps.policy;
  }

  account(tenantId: string): Promise<Account | undefined> {
    return this.deps.store.account(tenantId);
  }

  /** The tenant's account, opened with the default currency on first contact. */
  async openAccount(tenantId: string): Promise<Account> {
    const { store, policy } = this.deps;
    const existing = await store.account(tenantId);
    if (existing) return existing;
    return store.change(tenantId, (current) => {
      const draft = new ChangeDraft(current, tenantId, this.now());
      const account = draft.open(policy.defaultCurrency, accountDefaults(policy, policy.defaultCurrency));
      return draft.finish(account);
    });
  }

  journal(tenantId: string, afterEntryNo: number, limit: number): Promise<JournalEntry[]> {
    return this.deps.store.journal(tenantId, afterEntryNo, limit);
  }

  /** Days of credit left at the trailing 30-day burn rate, and a suggested recharge. */
  async runway(tenantId: string): Promise<Runway | null> {
    const account = await this.account(tenantId);
    return account ? this.runwayOf(account) : null;
  }

  /** Usage of the last `days` days by call type and destination, and the runway forecast. */
  async insight(tenantId: string, days = 30): Promise<{ runway: Runway; breakdown: { rows: UsageBreakdownRow[]; total: UsageTotals } } | null> {
    const account = await this.account(tenantId);
    if (!account) return null;
    return { runway: this.runwayOf(account), breakdown: usageBreakdown(account, this.now(), days) };
  }

  /** Suggested recharges are rounded up to 10 major units and kept within the addition limits. */
  private runwayOf(account: Account): Runway {
    const step = parseDecimal('10', account.currency);
    const limits = { ...additionLimits(this.deps.policy, account.currency), stepMinor: step.ok ? step.value : 1 };
    return runway(account, this.now(), limits);
  }

  /** Checks an addition before the confirmation card is shown and before the card is charged; moves nothing. */
  async checkAddition(tenantId: string, amount: string): Promise<Result<{ amountMinor: Minor; currency: string }, LedgerError>> {
    const account = await this.account(tenantId);
    const currency = account?.currency ?? this.deps.policy.defaultCurrency;
    const parsed = parseAddition(amount, this.deps.policy, currency);
    if (!parsed.ok) return parsed;
    if (fundsBreakRange(account, parsed.value)) return err({ code: 'balance-out-of-range', maxMinor: MAX_MINOR, currency });
    return ok({ amountMinor: parsed.value, currency });
  }

  /**
   * An admin's confirmed addition: charges the card on file, then adds the lot. Both steps carry
   * the operation's key, so a double click or a resent activity charges and adds once.
   */
  async purchaseFunds(tenantId: string, request: AddFundsRequest): Promise<Result<FundsOutcome, LedgerError>> {
    const existing = await this.account(tenantId);
    const replay = replayedFunds(existing, request.idempotencyKey);
    if (replay) return replay;
    if (isCancelledPurchase(existing, request.idempotencyKey)) return err({ code: 'operation-cancelled' });
    const checked = await this.checkAddition(tenantId, request.amount);
    if (!checked.ok) return checked;
    const { amountMinor, currency } = checked.value;
    if (request.currency && request.currency !== currency) return err({ code: 'currency-mismatch', expected: currency, got: request.currency });
    const charge = await this.deps.gateway.charge({ tenantId, idempotencyKey: request.idempotencyKey, amountMinor, currency, purpose: 'funds', actor: request.actor });
    if (!charge.ok) return err({ code: 'payment-failed', reason: charge.reason, message: charge.message });
    return this.recordFunds(tenantId, amountMinor, currency, request);
  }

  /** Cancel on a confirmation card: its operation can no longer charge, unless it already did. */
  cancelPurchase(tenantId: string, idempotencyKey: string, actor: string): Promise<CancelOutcome> {
    return this.deps.store.change(tenantId, (current) => cancelPurchase(current, tenantId, idempotencyKey, actor, this.deps.policy, this.now()));
  }

  /** An operator's grant or refund: no card is charged; same limits and idempotency. */
  async grantFunds(tenantId: string, request: AddFundsRequest & { currency: string }): Promise<Result<FundsOutcome, LedgerError>> {
    const existing = await this.account(tenantId);
    const replay = replayedFunds(existing, request.idempotencyKey);
    if (replay) return replay;
    const amount = parseAmount(request.amount, existing?.currency ?? request.currency);
    if (!amount.ok) return amount;
    return this.recordFunds(tenantId, amount.value, request.currency, request);
  }

  private async recordFunds(
    tenantId: string,
    amountMinor: Minor,
    currency: string,
    request: Pick<AddFundsRequest, 'actor' | 'idempotencyKey' | 'note'>,
  ): Promise<Result<FundsOutcome, LedgerError>> {
    const { store, policy } = this.deps;
    const result = await store.change(tenantId, (current) =>
      addFunds(current, tenantId, { amountMinor, currency, actor: request.actor, idempotencyKey: request.idempotencyKey, note: request.note ?? null }, policy, this.now()),
    );
    this.startRecharges(tenantId);
    return result;
  }

  /** Charges usage records, grouped per tenant (one durable change each). */
  async ingestUsage(records: UsageRecord[]): Promise<UsageBatchOutcome> {
    const byTenant = new Map<string, Array<{ index: number; record: UsageRecord }>>();
    records.forEach((record, index) => {
      const list = byTenant.get(record.tenantId) ?? [];
      list.push({ index, record });
      byTenant.set(record.tenantId, list);
    });
    const outcomes = await Promise.all(
      [...byTenant].map(async ([tenantId, items]) => {
        const outcome = await this.deps.store.change(tenantId, (current) =>
          applyUsage(current, tenantId, items, this.deps.price, this.deps.policy, this.now()),
        );
        this.startRecharges(tenantId);
        return outcome;
      }),
    );
    const total: UsageBatchOutcome = { accepted: 0, duplicates: 0, rejected: [] };
    for (const o of outcomes) {
      total.accepted += o.accepted;
      total.duplicates += o.duplicates;
      total.rejected.push(...o.rejected);
    }
    total.rejected.sort((a, b) => a.index - b.index);
    return total;
  }

  async setAutoRecharge(tenantId: string, change: AutoRechargeChange, actor: string): Promise<Result<AutoRechargeSettings, LedgerError>> {
    const account = await this.openAccount(tenantId);
    const amounts: Partial<AutoRechargeSettings> = {};
    if (change.enabled !== undefined) amounts.enabled = change.enabled;
    for (const [field, text] of [['triggerMinor', change.trigger], ['amountMinor', change.amount]] as const) {
      if (text === undefined) continue;
      const parsed = parseAmount(text, account.currency);
      if (!parsed.ok) return parsed;
      amounts[field] = parsed.value;
    }
    const result = await this.deps.store.change(tenantId, (current) =>
      changeAutoRecharge(current ?? account, amounts, actor, this.deps.policy, this.now()),
    );
    this.startRecharges(tenantId);
    return result;
  }

  async setLowBalanceAlert(tenantId: string, threshold: string, actor: string): Promise<Result<Minor, LedgerError>> {
    const account = await this.openAccount(tenantId);
    const parsed = parseAmount(threshold, account.currency);
    if (!parsed.ok) return parsed;
    return this.deps.store.change(tenantId, (current) => changeLowBalanceAlert(current ?? account, parsed.value, actor, this.now()));
  }

  /** Records that the card on file changed (the gateway already holds the new one). */
  async paymentMethodChanged(tenantId: string, description: string, actor: string): Promise<void> {
    const account = await this.openAccount(tenantId);
    await this.deps.store.change(tenantId, (current) => recordPaymentMethodChange(current ?? account, description, actor, this.now()));
    this.startRecharges(tenantId);
  }

  /**
   * The scheduled sweep: expires lots, raises expiry reminders, retries recharges whose back-off
   * has passed, and forgets usage keys older than the acceptance window.
   */
  async sweep(): Promise<{ tenants: number; expiredLots: number; reminders: number }> {
    const now = this.now();
    const total = { tenants: 0, expiredLots: 0, reminders: 0 };
    for (const tenantId of await this.deps.store.tenantIds()) {
      const outcome = await this.deps.store.change(tenantId, (current) => {
        if (!current) return { result: { expiredLots: 0, reminders: 0 } };
        current.keys.pruneUsageBefore(dayNumber(now - this.deps.policy.usageWindowDays * DAY_MS) - 1);
        return expireLots(current, now);
      });
      total.tenants++;
      total.expiredLots += outcome.expiredLots;
      total.reminders += outcome.reminders;
      this.startRecharges(tenantId);
    }
    return total;
  }

  /**
   * Adds the funds of admin purchases whose card was charged but whose lot a crash kept from the
   * ledger (the charge and the lot share the operation's key, so one found again adds nothing).
   */
  async reconcilePurchases(): Promise<number> {
    let recovered = 0;
    for (const charge of await this.deps.gateway.settledCharges(this.now() - RECONCILE_DAYS * DAY_MS)) {
      if (charge.purpose !== 'funds') continue;
      const account = await this.account(charge.tenantId);
      // A cancelled operation whose charge went through is still added: the money was taken.
      if (account?.keys.operations.get(charge.idempotencyKey)?.kind === 'funds-added') continue;
      const result = await this.recordFunds(charge.tenantId, charge.amountMinor, charge.currency, {
        actor: charge.actor,
        idempotencyKey: charge.idempotencyKey,
        note: RECOVERED_NOTE,
      });
      if (result.ok && !result.value.replayed) recovered++;
      else if (!result.ok) (this.deps.onError ?? console.error)(new Error(`charge ${charge.chargeId} of tenant ${charge.tenantId} could not be added: ${result.error.code}`));
    }
    return recovered;
  }

  /** Picks up attempts left in flight by a crash or restart; the gateway's key makes the retry safe. */
  async resumeRecharges(): Promise<void> {
    for (const tenantId of await this.deps.store.tenantIds()) this.startRecharges(tenantId);
    await this.idle();
  }

  /** Resolves when no recharge attempt of this process is running (tests and shutdown wait here). */
  async idle(): Promise<void> {
    while (this.rechargesRunning.size > 0) await Promise.allSettled([...this.rechargesRunning.values()]);
  }

  /** Runs the tenant's attempt in flight, if any, in the background: callers never wait for the card. */
  private startRecharges(tenantId: string): void {
    if (this.rechargesRunning.has(tenantId)) return;
    const run = this.runRecharge(tenantId)
      .catch((error) => (this.deps.onError ?? console.error)(error))
      .finally(() => this.rechargesRunning.delete(tenantId));
    this.rechargesRunning.set(tenantId, run);
  }

  private async runRecharge(tenantId: string): Promise<void> {
    for (;;) {
      const account = await this.deps.store.account(tenantId);
      const attempt = account?.recharge.inFlight;
      if (!account || !attempt) return;
      const outcome = await this.deps.gateway.charge({
        tenantId,
        idempotencyKey: `auto-${attempt.attemptId}`,
        amountMinor: attempt.amountMinor,
        currency: account.currency,
        purpose: 'auto-recharge',
        actor: 'system',
      });
      // An unknown outcome stays in flight; the next sweep asks the gateway again with the same key.
      if (!outcome.ok && outcome.reason === 'gateway-error') return;
      await this.deps.store.change(tenantId, (current) => {
        const draft = new ChangeDraft(current, tenantId, this.now());
        completeRecharge(draft, attempt.attemptId, outcome, this.now());
        return draft.finish(null);
      });
    }
  }

  private now(): number {
    return this.deps.clock.now();
  }
}
