import { dayNumber, DAY_MS, iso } from './calendar.js';
import { accountStatus, type Account, type AccountStatus, type Offer } from './ledger/account.js';
import { addedFunds, type FundsOutcome } from './ledger/addFunds.js';
import { cancelPurchase, type CancelOutcome } from './ledger/cancelPurchase.js';
import { claimOffer, settlePurchase } from './ledger/confirmPurchase.js';
import { creditPurchaseCharge } from './ledger/creditPurchaseCharge.js';
import { grantFunds } from './ledger/grantFunds.js';
import { offerPurchase } from './ledger/offerPurchase.js';
import { isPurchaseKey, isRechargeKey, legacyKey, purchaseKey, refundKey } from './ledger/operationKeys.js';
import { handledEvent, linkPaymentCustomer, noteEvent, saveCard, settleGatewayPayment, type GatewayEvent } from './ledger/gatewayRecords.js';
import type { SavedCardDetail } from './ledger/journal.js';
import { recordRefund, refundableLot, refundedBefore, type RefundError } from './ledger/refundFunds.js';
import type { KeyOutcome } from './ledger/idempotencyKeys.js';
import { applyUsage, type PriceRecord, type UsageBatchOutcome, type UsageRecord } from './ledger/applyUsage.js';
import { completeRecharge } from './ledger/autoRecharge.js';
import { ChangeDraft } from './ledger/changeDraft.js';
import type { LedgerError } from './ledger/errors.js';
import { expireLots } from './ledger/expireLots.js';
import type { AutoRechargeSettings, JournalEntry, SpendControls } from './ledger/journal.js';
import { accountDefaults, additionLimits, parseAmount, type LedgerPolicy } from './ledger/policy.js';
import { runway, usageByCallTypeAndDestination, type Runway, type CallTypeDestinationRow } from './insight/runway.js';
import type { UsageTotals } from './insight/usageStats.js';
import { Duties, ProcessDutyLocks } from './duties.js';
import { journalUsageBreakdown, journalUsageBreakdowns, USAGE_SCAN_LIMIT, type UsageBreakdown, type UsageBreakdownQuery } from './insight/usageBreakdown.js';
import { parseDecimal } from './money.js';
import { changeAutoRecharge, changeLowBalanceAlert, changeSpendControls, MAX_MONTHLY_RECHARGES, recordPaymentMethodChange } from './ledger/settings.js';
import type { Minor } from './money.js';
import {
  consoleLog,
  type ChargeOutcome,
  type Clock,
  type LatestEntriesQuery,
  type LedgerStore,
  type Log,
  type PaymentGateway,
  type RefundGateway,
  type SettledCharge,
} from './ports.js';
import type { Alert } from './alerts.js';
import { collectWeeklyReport } from './insight/weeklyReport.js';
import { dueReport, type WeeklySchedule } from './insight/weeklySchedule.js';
import { weeklyReportKey } from './ledger/operationKeys.js';
import { changeWeeklyReportOptOut, changeWeeklyReportSchedule, raiseWeeklyReport } from './ledger/weeklyReport.js';
import { err, ok, type Result } from './result.js';

export interface LedgerServiceDeps {
  store: LedgerStore;
  gateway: PaymentGateway;
  clock: Clock;
  policy: LedgerPolicy;
  price: PriceRecord;
  /** Told of background failures (a recharge that could not be recorded); default `consoleLog`. */
  log?: Log;
  /** Sends money back to cards (the Stripe gateway); without it refunds are refused. */
  refunds?: RefundGateway | null;
  /** Runs each tenant's recharge attempts on one instance at a time; default this process's own (one process, one store). */
  duties?: Duties;
}

export interface RefundRequest {
  /** The purchase's operation id (the offer id on the admin's card) or a journal key (`purchase:…`, `recharge:…`). */
  operationId: string;
  /** Decimal text in major units. */
  amount: string;
  /** The operator's key, kept in the refund key space. */
  idempotencyKey: string;
  actor: string;
}

export interface GrantRequest {
  /** Decimal text in major units, as sent. */
  amount: string;
  currency: string;
  actor: string;
  /** The operator's key, as sent; the ledger keeps it in the grant key space. */
  idempotencyKey: string;
  note?: string | null;
}

export interface OfferPurchaseRequest {
  /** A fresh id the bot generated for the confirmation card. */
  offerId: string;
  /** Decimal text in major units, as typed. */
  amount: string;
  currency?: string | null;
  /** The actor the card is shown to: the only one who may confirm or cancel it. */
  offeredTo: string;
}

/** What the weekly report needs to know that the ledger does not keep. */
export interface WeeklyReportContext {
  /** The zone of the tenant's admins as last seen, for a tenant whose admins never set the report's hour; null: UTC. */
  zoneOf(tenantId: string): Promise<string | null>;
  /** The display name the bot knows for a user id of the tenant. */
  nameOf(tenantId: string, userId: string): Promise<string | null>;
}

export type WeeklyReportAlert = Extract<Alert, { type: 'weekly-report' }>;

export interface AutoRechargeChange {
  enabled?: boolean;
  /** Decimal text in major units. */
  trigger?: string;
  amount?: string;
}

/** A change to the spend controls as the bot or a card sends it: decimal text, null removes a cap, absent keeps it. */
export interface SpendControlsChange {
  monthlyRechargeMax?: string | null;
  /** Whole recharges per month, as typed or sent. */
  monthlyRechargeCount?: string | number | null;
  dailySpendAlert?: string | null;
  /** The setting admin's IANA zone, when known: months and days count in it from now on. */
  timeZone?: string | null;
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
  /** Tenant → its recharge run in this process, and whether a change asked for one while it ran. */
  private readonly rechargesRunning = new Map<string, { run: Promise<void>; again: boolean }>();
  private readonly duties: Duties;

  constructor(private readonly deps: LedgerServiceDeps) {
    this.duties = deps.duties ?? new Duties(new ProcessDutyLocks(deps.clock));
  }

  get policy(): LedgerPolicy {
    return this.deps.policy;
  }

  account(tenantId: string): Promise<Account | undefined> {
    return this.deps.store.account(tenantId);
  }

  status(account: Account): AccountStatus {
    return accountStatus(account);
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

  /** The newest entries of some kinds in a stretch of the journal, newest first (`LedgerStore.latestEntries`). */
  latestEntries(tenantId: string, query: LatestEntriesQuery): Promise<JournalEntry[]> {
    return this.deps.store.latestEntries(tenantId, query);
  }

  /** Days of credit left at the trailing 30-day burn rate, and a suggested recharge. */
  async runway(tenantId: string): Promise<Runway | null> {
    const account = await this.account(tenantId);
    return account ? this.runwayOf(account) : null;
  }

  /** Usage of the last `days` days by call type and destination, and the runway forecast. */
  async insight(tenantId: string, days = 30): Promise<{ runway: Runway; breakdown: { rows: CallTypeDestinationRow[]; total: UsageTotals } } | null> {
    const account = await this.account(tenantId);
    if (!account) return null;
    return { runway: this.runwayOf(account), breakdown: usageByCallTypeAndDestination(account, this.now(), days) };
  }

  /**
   * Calls that started in the query's range, grouped (by user, department, destination, call type
   * or day), read from the journal; at most `maxEntries` entries are read. null: no account.
   */
  async usageBreakdown(tenantId: string, query: UsageBreakdownQuery, maxEntries = USAGE_SCAN_LIMIT): Promise<(UsageBreakdown & { truncated: boolean }) | null> {
    const account = await this.account(tenantId);
    if (!account) return null;
    return journalUsageBreakdown((after, limit) => this.journal(tenantId, after, limit), account.entryCount, query, maxEntries);
  }

  /** As `usageBreakdown`, several at once from one read of the journal (a card's figures). */
  async usageBreakdowns(
    tenantId: string,
    queries: UsageBreakdownQuery[],
    maxEntries = USAGE_SCAN_LIMIT,
  ): Promise<{ breakdowns: UsageBreakdown[]; truncated: boolean } | null> {
    const account = await this.account(tenantId);
    if (!account) return null;
    return journalUsageBreakdowns((after, limit) => this.journal(tenantId, after, limit), account.entryCount, queries, maxEntries);
  }

  /** `runway` of an account already read. Suggested recharges are rounded up to 10 major units and kept within the addition limits. */
  runwayOf(account: Account): Runway {
    const step = parseDecimal('10', account.currency);
    const limits = { ...additionLimits(this.deps.policy, account.currency), stepMinor: step.ok ? step.value : 1 };
    return runway(account, this.now(), limits);
  }

  /**
   * The confirmation card is about to be shown: records the offer (SPEC §1.8) under the id the bot
   * generated, for the person it is shown to. Nothing moves; Confirm can charge only this.
   */
  async offerPurchase(tenantId: string, request: OfferPurchaseRequest): Promise<Result<Offer, LedgerError>> {
    const currency = (await this.account(tenantId))?.currency ?? this.deps.policy.defaultCurrency;
    const amount = parseAmount(request.amount, currency);
    if (!amount.ok) return amount;
    if (request.currency && request.currency !== currency) return err({ code: 'currency-mismatch', expected: currency, got: request.currency });
    const offer = { offerId: request.offerId, amountMinor: amount.value, currency, offeredTo: request.offeredTo };
    return this.deps.store.change(tenantId, (current) => offerPurchase(current, tenantId, offer, this.deps.policy, this.now()));
  }

  /**
   * Confirm on a confirmation card: claims the recorded offer, charges the card on file for it with
   * the purchase key, and adds exactly what the gateway charged. A second press, a resent activity
   * or another device charges and adds nothing more and gets the same receipt.
   */
  async confirmPurchase(tenantId: string, offerId: string, actor: string): Promise<Result<FundsOutcome, LedgerError>> {
    const claim = await this.deps.store.change(tenantId, (current) => claimOffer(current, tenantId, offerId, actor, this.now()));
    if (!claim.ok) return claim;
    if (claim.value.kind === 'added') return ok(claim.value.funds);
    const offer = claim.value.offer;
    const charge = await this.deps.gateway.charge({
      tenantId,
      idempotencyKey: purchaseKey(offer.offerId),
      amountMinor: offer.amountMinor,
      currency: offer.currency,
      purpose: 'funds',
      actor: offer.offeredTo,
    });
    if (!charge.ok && charge.reason === 'key-reused')
      this.report(new Error(`the gateway refused purchase key ${purchaseKey(offer.offerId)} of tenant ${tenantId}: ${charge.message}`));
    const result = await this.deps.store.change(tenantId, (current) => settlePurchase(current, tenantId, offer, charge, this.deps.policy, this.now()));
    if (charge.ok && !result.ok) this.report(new Error(`charge ${charge.chargeId} of tenant ${tenantId} could not be added: ${result.error.code}`));
    this.startRecharges(tenantId);
    return result;
  }

  /** Cancel on a confirmation card: its offer can no longer charge, unless Confirm already claimed it. */
  cancelPurchase(tenantId: string, offerId: string, actor: string): Promise<Result<CancelOutcome, LedgerError>> {
    return this.deps.store.change(tenantId, (current) => cancelPurchase(current, tenantId, offerId, actor, this.now()));
  }

  /**
   * An operator's grant or refund: no card is charged; same limits as an admin's addition. The key
   * is the operator's, kept in the grant key space; reused with other parameters it is refused.
   */
  async grantFunds(tenantId: string, request: GrantRequest): Promise<Result<FundsOutcome, LedgerError>> {
    const existing = await this.account(tenantId);
    const amount = parseAmount(request.amount, existing?.currency ?? request.currency);
    if (!amount.ok) return amount;
    const grant = {
      amountMinor: amount.value,
      currency: request.currency,
      operatorKey: request.idempotencyKey,
      actor: request.actor,
      note: request.note ?? null,
    };
    const result = await this.deps.store.change(tenantId, (current) => grantFunds(current, tenantId, grant, this.deps.policy, this.now()));
    this.startRecharges(tenantId);
    return result;
  }

  /**
   * Charges usage records, grouped per tenant (one durable change each). Not an async function: a
   * suspended one keeps its arguments, and the records held until the writes are durable would
   * reach V8's old generation as garbage; here only each change's `decide` holds them, until it ran.
   */
  ingestUsage(records: UsageRecord[]): Promise<UsageBatchOutcome> {
    return Promise.all(this.startUsageChanges(records)).then(sumOutcomes);
  }

  private startUsageChanges(records: UsageRecord[]): Array<Promise<UsageBatchOutcome>> {
    const byTenant = new Map<string, Array<{ index: number; record: UsageRecord }>>();
    for (let index = 0; index < records.length; index++) {
      const record = records[index]!;
      const list = byTenant.get(record.tenantId);
      if (list) list.push({ index, record });
      else byTenant.set(record.tenantId, [{ index, record }]);
    }
    const changes: Array<Promise<UsageBatchOutcome>> = [];
    for (const [tenantId, items] of byTenant) changes.push(this.changeUsage(tenantId, items));
    return changes;
  }

  /** Its own function, so that the closure waiting for the change does not share a context with `items`. */
  private changeUsage(tenantId: string, items: Array<{ index: number; record: UsageRecord }>): Promise<UsageBatchOutcome> {
    // Whether the account as decided (the last decide is the one stored) has a recharge in flight:
    // without one there is nothing to charge, and asking the store would cost a read.
    const decision = { rechargeInFlight: false };
    const change = this.deps.store.change(tenantId, (current) => {
      const decided = applyUsage(current, tenantId, items, this.deps.price, this.deps.policy, this.now());
      decision.rechargeInFlight = Boolean((decided.account ?? current)?.recharge.inFlight);
      return decided;
    });
    return this.startRechargesAfter(tenantId, change, decision);
  }

  private async startRechargesAfter(tenantId: string, change: Promise<UsageBatchOutcome>, decision: { rechargeInFlight: boolean }): Promise<UsageBatchOutcome> {
    const outcome = await change;
    if (decision.rechargeInFlight) this.startRecharges(tenantId);
    return outcome;
  }

  async setAutoRecharge(tenantId: string, change: AutoRechargeChange, actor: string): Promise<Result<AutoRechargeSettings, LedgerError>> {
    const account = await this.openAccount(tenantId);
    const amounts: Partial<AutoRechargeSettings> = {};
    if (change.enabled !== undefined) amounts.enabled = change.enabled;
    for (const [field, text] of [
      ['triggerMinor', change.trigger],
      ['amountMinor', change.amount],
    ] as const) {
      if (text === undefined) continue;
      const parsed = parseAmount(text, account.currency);
      if (!parsed.ok) return parsed;
      amounts[field] = parsed.value;
    }
    const result = await this.deps.store.change(tenantId, (current) => changeAutoRecharge(current ?? account, amounts, actor, this.deps.policy, this.now()));
    this.startRecharges(tenantId);
    return result;
  }

  async setLowBalanceAlert(tenantId: string, threshold: string, actor: string): Promise<Result<Minor, LedgerError>> {
    const account = await this.openAccount(tenantId);
    const parsed = parseAmount(threshold, account.currency);
    if (!parsed.ok) return parsed;
    return this.deps.store.change(tenantId, (current) => changeLowBalanceAlert(current ?? account, parsed.value, actor, this.now()));
  }

  /** Sets or removes the monthly auto-recharge caps and the daily spend alert; every figure is checked again here. */
  async setSpendControls(tenantId: string, change: SpendControlsChange, actor: string): Promise<Result<SpendControls, LedgerError>> {
    const account = await this.openAccount(tenantId);
    const controls: Partial<SpendControls> = {};
    for (const [field, text] of [
      ['monthlyRechargeMaxMinor', change.monthlyRechargeMax],
      ['dailySpendAlertMinor', change.dailySpendAlert],
    ] as const) {
      if (text === undefined) continue;
      if (text === null) {
        controls[field] = null;
        continue;
      }
      const parsed = parseAmount(text, account.currency);
      if (!parsed.ok) return parsed;
      controls[field] = parsed.value;
    }
    if (change.monthlyRechargeCount !== undefined) {
      const count = change.monthlyRechargeCount;
      const text = String(count).trim();
      if (count !== null && !/^\d{1,6}$/.test(text)) return err({ code: 'recharge-count-invalid', input: text, max: MAX_MONTHLY_RECHARGES });
      controls.monthlyRechargeMaxCount = count === null ? null : Number(text);
    }
    if (change.timeZone) controls.timeZone = change.timeZone;
    const result = await this.deps.store.change(tenantId, (current) => changeSpendControls(current ?? account, controls, actor, this.now()));
    this.startRecharges(tenantId);
    return result;
  }

  /** Records that the card on file changed (the gateway already holds the new one); `card` lets cards name it in any language. */
  async paymentMethodChanged(tenantId: string, description: string, actor: string, card?: { brand: string; last4: string }): Promise<void> {
    const account = await this.openAccount(tenantId);
    await this.deps.store.change(tenantId, (current) => recordPaymentMethodChange(current ?? account, description, actor, this.now(), card));
    this.startRecharges(tenantId);
  }

  /** The tenant's customer at the payment gateway, recorded once; the first recorded wins. Null for a tenant without an account. */
  linkPaymentCustomer(tenantId: string, customerId: string): Promise<string | null> {
    return this.deps.store.change(tenantId, (current) => linkPaymentCustomer(current, tenantId, customerId, this.now()));
  }

  /** Whether a webhook event was already acted on for the tenant. */
  async handledGatewayEvent(tenantId: string, eventId: string): Promise<boolean> {
    return handledEvent(await this.account(tenantId), eventId);
  }

  /** A card saved on the gateway's page (a webhook): the card on file unless a newer one is; true when it changed. */
  async savedCard(tenantId: string, card: SavedCardDetail, event: GatewayEvent | null): Promise<boolean> {
    const changed = await this.deps.store.change(tenantId, (current) => saveCard(current, tenantId, card, event, this.now()));
    this.startRecharges(tenantId);
    return changed;
  }

  /** An event that concerned the tenant but changed nothing: recorded, so a redelivery is not looked at again. */
  noteGatewayEvent(tenantId: string, event: GatewayEvent): Promise<null> {
    return this.deps.store.change(tenantId, (current) => noteEvent(current, tenantId, event, this.now()));
  }

  /** What a charge came to, learnt from the gateway later (a webhook): see `settleGatewayPayment`. */
  async gatewayPaymentSettled(
    tenantId: string,
    payment: { key: string; actor: string; outcome: ChargeOutcome },
    event: GatewayEvent | null,
  ): Promise<Result<FundsOutcome | null, LedgerError>> {
    const result = await this.deps.store.change(tenantId, (current) => settleGatewayPayment(current, tenantId, payment, event, this.now()));
    if (!result.ok) this.report(new Error(`payment ${payment.key} of tenant ${tenantId} could not be recorded: ${result.error.code}`));
    this.startRecharges(tenantId);
    return result;
  }

  /**
   * An operator's refund of part of a card payment: never more than what remains of the lot it
   * added. The gateway refunds first (with the refund key, so asking again refunds once), then the
   * journal takes it from that lot; a refund a crash kept from the journal is found at start-up.
   */
  async refund(tenantId: string, request: RefundRequest): Promise<Result<KeyOutcome & { replayed: boolean; currency: string }, RefundError | LedgerError>> {
    const account = await this.account(tenantId);
    if (!account) return err({ code: 'no-account' });
    const amount = parseAmount(request.amount, account.currency);
    if (!amount.ok) return amount;
    const key = refundKey(request.idempotencyKey);
    const first = refundedBefore(account, key);
    if (first) {
      if (first.amountMinor !== -amount.value)
        return err({ code: 'key-reused-with-different-parameters', first: { amountMinor: -first.amountMinor, currency: account.currency } });
      return ok({ ...first, replayed: true, currency: account.currency });
    }
    const refunds = this.deps.refunds;
    if (!refunds) return err({ code: 'refunds-unavailable' });
    const refundable = refundableLot(account, request.operationId, amount.value);
    if (!refundable.ok) return refundable;
    const { lot, chargeId, fundsKey } = refundable.value;
    const sent = await refunds.refund({ tenantId, idempotencyKey: key, chargeId, amountMinor: amount.value, currency: account.currency, lotId: lot.id });
    if (!sent.ok) return err({ code: 'refund-failed', reason: sent.reason, message: sent.message });
    const recorded = await this.deps.store.change(tenantId, (current) =>
      recordRefund(
        current,
        tenantId,
        { key, fundsKey, lotId: lot.id, chargeId, refundId: sent.refundId, amountMinor: sent.amountMinor, actor: request.actor },
        this.now(),
      ),
    );
    this.startRecharges(tenantId);
    return recorded.ok ? ok({ ...recorded.value, replayed: false, currency: account.currency }) : recorded;
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
   * Raises every tenant's weekly report that is due and not yet raised this week (the ledger key
   * of the tenant and the week decides that, durably). The dispatcher then delivers each to the
   * admins. A tenant that fails is logged and does not hold up the others.
   */
  async raiseDueWeeklyReports(context: WeeklyReportContext): Promise<{ raised: number }> {
    let raised = 0;
    for (const tenantId of await this.deps.store.tenantIds()) {
      try {
        const account = await this.account(tenantId);
        if (!account) continue;
        const now = this.now();
        const zone = account.weeklyReport.timeZone ?? (await context.zoneOf(tenantId)) ?? 'UTC';
        const due = dueReport(account.weeklyReport, zone, now, account.openedAt);
        if (!due || account.keys.operations.has(weeklyReportKey(tenantId, due.week))) continue;
        const report = await collectWeeklyReport({ ledger: this }, account, { week: due.week, to: due.dueAt }, this.runwayOf(account), (userId) =>
          context.nameOf(tenantId, userId),
        );
        if (await this.deps.store.change(tenantId, (current) => (current ? raiseWeeklyReport(current, due, report, this.now()) : { result: false }))) raised++;
      } catch (error) {
        (this.deps.log ?? consoleLog).error({ err: error, tenantId }, 'weekly report could not be raised');
      }
    }
    return { raised };
  }

  /**
   * The report of the seven days until now, for an operator checking delivery: built like the
   * week's, but not stored and not the week's (the week's still comes when due). Null without an account.
   */
  async weeklyReportNow(tenantId: string, context: Pick<WeeklyReportContext, 'nameOf'>): Promise<WeeklyReportAlert | null> {
    const account = await this.account(tenantId);
    if (!account) return null;
    const now = this.now();
    const report = await collectWeeklyReport({ ledger: this }, account, { week: null, to: now }, this.runwayOf(account), (userId) =>
      context.nameOf(tenantId, userId),
    );
    return {
      tenantId,
      currency: account.currency,
      balanceMinor: account.balanceMinor,
      at: iso(now),
      type: 'weekly-report',
      report,
      optedOut: [...account.weeklyReport.optedOut],
    };
  }

  /** An admin sets the weekly report's day and hour, in their time zone (validated by the caller). */
  async setWeeklyReportSchedule(tenantId: string, schedule: WeeklySchedule & { timeZone: string | null }, actor: string): Promise<Account> {
    const account = await this.openAccount(tenantId);
    await this.deps.store.change(tenantId, (current) => changeWeeklyReportSchedule(current ?? account, schedule, actor, this.now()));
    return (await this.account(tenantId))!;
  }

  /** An admin switches their own weekly report off or back on. */
  async setWeeklyReportOptOut(tenantId: string, actor: string, optedOut: boolean): Promise<Account> {
    const account = await this.openAccount(tenantId);
    await this.deps.store.change(tenantId, (current) => changeWeeklyReportOptOut(current ?? account, actor, optedOut, this.now()));
    return (await this.account(tenantId))!;
  }

  /**
   * Adds the funds of admin purchases whose card was charged but whose lot a crash kept from the
   * ledger, exactly as charged (the charge and the lot share the purchase key, so one found again
   * adds nothing). A charge made before keys were namespaced is matched by its bare key too.
   */
  async reconcilePurchases(): Promise<number> {
    let recovered = 0;
    for (const charge of await this.deps.gateway.settledCharges(this.now() - RECONCILE_DAYS * DAY_MS)) {
      if (charge.purpose !== 'funds') {
        if (await this.reconcileRecharge(charge)) recovered++;
        continue;
      }
      const bare = !isPurchaseKey(charge.idempotencyKey);
      const payment = {
        key: bare ? purchaseKey(charge.idempotencyKey) : charge.idempotencyKey,
        ...(bare ? { alreadyAddedAs: legacyKey(charge.idempotencyKey) } : {}),
        chargeId: charge.chargeId,
        amountMinor: charge.amountMinor,
        currency: charge.currency,
        actor: charge.actor,
        note: RECOVERED_NOTE,
      };
      // A cancelled or refused offer whose charge went through is still added: the money was taken.
      const result = await this.deps.store.change(charge.tenantId, (current) =>
        creditPurchaseCharge(current, charge.tenantId, payment, this.deps.policy, this.now()),
      );
      this.startRecharges(charge.tenantId);
      if (result.ok && !result.value.replayed) recovered++;
      else if (!result.ok) this.report(new Error(`charge ${charge.chargeId} of tenant ${charge.tenantId} could not be added: ${result.error.code}`));
    }
    return recovered;
  }

  /**
   * An auto-recharge charged but not in the ledger (a gateway that settles later, such as Stripe
   * after 3-D Secure, whose webhook a stop missed): its attempt completes, or its lot is added.
   * Recharges of the sandbox settle when charged and are picked up by `resumeRecharges`.
   */
  private async reconcileRecharge(charge: SettledCharge): Promise<boolean> {
    const account = await this.account(charge.tenantId);
    if (!account || addedFunds(account, charge.idempotencyKey) || !isRechargeKey(charge.idempotencyKey)) return false;
    const outcome: ChargeOutcome = { ok: true, chargeId: charge.chargeId, amountMinor: charge.amountMinor, currency: charge.currency };
    const result = await this.gatewayPaymentSettled(charge.tenantId, { key: charge.idempotencyKey, actor: charge.actor, outcome }, null);
    return result.ok && result.value !== null && !result.value.replayed;
  }

  /** Refunds the gateway made whose journal entry a crash kept from the ledger: journaled now, once. */
  async reconcileRefunds(): Promise<number> {
    const refunds = this.deps.refunds;
    if (!refunds) return 0;
    let recovered = 0;
    for (const refund of await refunds.settledRefunds(this.now() - RECONCILE_DAYS * DAY_MS)) {
      const account = await this.account(refund.tenantId);
      const lot = account?.lots.find((l) => l.id === refund.lotId);
      if (!account || refundedBefore(account, refund.idempotencyKey)) continue;
      const record = {
        key: refund.idempotencyKey,
        fundsKey: lot?.paidBy?.key ?? '',
        lotId: refund.lotId,
        chargeId: refund.chargeId,
        refundId: refund.refundId,
        amountMinor: refund.amountMinor,
        actor: 'operator',
      };
      const result = await this.deps.store.change(refund.tenantId, (current) => recordRefund(current, refund.tenantId, record, this.now()));
      if (result.ok) recovered++;
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
    while (this.rechargesRunning.size > 0) await Promise.allSettled([...this.rechargesRunning.values()].map((running) => running.run));
  }

  /**
   * Runs the tenant's attempt in flight, if any, in the background: callers never wait for the card.
   * Asked while a run is under way, that run looks once more when it ends, so an attempt a change
   * started just as the run found none is not left for the next sweep.
   */
  private startRecharges(tenantId: string): void {
    const running = this.rechargesRunning.get(tenantId);
    if (running) {
      running.again = true;
      return;
    }
    const entry = { run: Promise.resolve(), again: false };
    entry.run = (async () => {
      do {
        entry.again = false;
        await this.runRecharges(tenantId).catch((error) => this.report(error));
      } while (entry.again);
    })().finally(() => this.rechargesRunning.delete(tenantId));
    this.rechargesRunning.set(tenantId, entry);
  }

  /**
   * Charges the tenant's attempts in flight under its recharge duty, so two instances that both
   * see an attempt never both charge it. An instance that finds the duty held leaves the attempt
   * to the holder, which looks again after it lets go (and so sees an attempt started just before
   * it did); if the holder dies, the next sweep (on whichever instance) picks the attempt up.
   */
  private async runRecharges(tenantId: string): Promise<void> {
    let stoppedAt: string | null = null;
    for (;;) {
      const attempt = (await this.deps.store.account(tenantId))?.recharge.inFlight;
      // None, or the one a gateway error left in flight for the next sweep.
      if (!attempt || attempt.attemptId === stoppedAt) return;
      const ran = await this.duties.tryRun(`recharge:${tenantId}`, (signal) => this.chargeAttempts(tenantId, signal));
      if (!ran) return;
      stoppedAt = ran.value;
    }
  }

  /** Charges the attempts in flight one after another; returns the attempt left in flight (an unknown outcome), or null. */
  private async chargeAttempts(tenantId: string, signal: AbortSignal): Promise<string | null> {
    let previous: string | null = null;
    for (;;) {
      const account = await this.deps.store.account(tenantId);
      const attempt = account?.recharge.inFlight;
      if (!account || !attempt) return null;
      // An attempt whose outcome was recorded is never in flight again; if it were, stop rather than loop.
      if (attempt.attemptId === previous) {
        this.report(new Error(`recharge ${previous} of tenant ${tenantId} is still in flight after its outcome was recorded`));
        return previous;
      }
      // The duty's lock was lost (or the process is stopping): whoever holds it now charges the attempt.
      if (signal.aborted) return attempt.attemptId;
      previous = attempt.attemptId;
      const outcome = await this.deps.gateway.charge({
        tenantId,
        idempotencyKey: attempt.chargeKey,
        amountMinor: attempt.amountMinor,
        currency: account.currency,
        purpose: 'auto-recharge',
        actor: 'system',
      });
      // An unknown outcome stays in flight; the next sweep asks the gateway again with the same key.
      if (!outcome.ok && outcome.reason === 'gateway-error') return attempt.attemptId;
      // Held for 3-D Secure: recorded (admins get the link once); the webhook, or the next sweep asking again, brings the outcome.
      const held = !outcome.ok && outcome.reason === 'authentication-required';
      if (!outcome.ok && outcome.reason === 'key-reused')
        this.report(new Error(`the gateway refused recharge key ${attempt.chargeKey} of tenant ${tenantId}: ${outcome.message}`));
      const failed = await this.deps.store.change(tenantId, (current) => {
        const draft = new ChangeDraft(current, tenantId, this.now());
        const error = completeRecharge(draft, attempt.attemptId, outcome, this.now());
        return draft.finish(error);
      });
      // Charged but not creditable: left in flight, and loud, rather than credited wrongly.
      if (failed) {
        this.report(new Error(`recharge ${attempt.attemptId} of tenant ${tenantId} was charged but could not be added: ${failed.code}`));
        return attempt.attemptId;
      }
      if (held) return attempt.attemptId;
    }
  }

  private report(error: Error): void {
    (this.deps.log ?? consoleLog).error({ err: error }, 'auto-recharge failed in the background');
  }

  /** The ledger's clock: what "this month" and "today" are for the spend controls. */
  now(): number {
    return this.deps.clock.now();
  }
}

function sumOutcomes(outcomes: UsageBatchOutcome[]): UsageBatchOutcome {
  const total: UsageBatchOutcome = { accepted: 0, duplicates: 0, rejected: [] };
  for (const o of outcomes) {
    total.accepted += o.accepted;
    total.duplicates += o.duplicates;
    total.rejected.push(...o.rejected);
  }
  total.rejected.sort((a, b) => a.index - b.index);
  return total;
}
