import { callStartOf, DAY_MS, iso } from '../calendar.js';
import type { Change, NoChange } from '../ports.js';
import type { Account } from './account.js';
import { ChangeDraft } from './changeDraft.js';
import type { UsageDetail } from './journal.js';
import { accountDefaults, additionLimits, usageChargeLimit, type LedgerPolicy } from './policy.js';
import { chargeBreaksRange } from './accountRange.js';
import { startRechargeIfDue } from './autoRecharge.js';
import { dailySpendExceeded, hourOf, spendAlerts, spendBefore } from '../insight/spendAlerts.js';
import { NewDestinationWatch } from '../insight/newDestinations.js';
import type { Result } from '../result.js';
import { MAX_MINOR, toDecimalString, type Minor } from '../money.js';

/** A call record as the ledger takes it (shaped like Graph's pstnCallLogRow, already well-formed). */
export interface UsageRecord {
  id: string;
  tenantId: string;
  startDateTime: string;
  endDateTime: string | null;
  durationSeconds: number | null;
  /** The charge as decimal text in major units, or null to price it from the rate table. */
  charge: string | null;
  currency: string | null;
  callType: string | null;
  destinationContext: string | null;
  destinationName: string | null;
  licenseCapability: string | null;
  userId: string | null;
  conferenceId: string | null;
  /** Who placed the call (Graph's `userPrincipalName` and `userDisplayName`); absent or null when the row names nobody. */
  userPrincipalName?: string | null;
  userDisplayName?: string | null;
  /** The caller's administrative unit or department, where the rows carry one. */
  department?: string | null;
}

export interface UsageBatchOutcome {
  accepted: number;
  duplicates: number;
  rejected: Array<{ index: number; error: string }>;
}

/** Why a record has no price: a reason to give, or a price larger than any amount the ledger holds. */
export type PriceProblem = { code: 'unpriced'; reason: string } | { code: 'out-of-range' };

/** Prices one record in a currency: its own charge, or the rate table's. */
export type PriceRecord = (record: UsageRecord, currency: string) => Result<{ minor: Minor; from: UsageDetail['pricedFrom'] }, PriceProblem>;

/** The longest call a usage record may report: Graph's longest query window. */
export const MAX_CALL_SECONDS = 31 * 86_400;

/**
 * Charges a tenant's usage records in order. Each record id is its idempotency key: a replay is
 * counted as a duplicate and charges nothing. Records that started before the acceptance window
 * are rejected as too old, so a replay can never outlive its key. The balance may go below zero.
 */
export function applyUsage(
  current: Account | undefined,
  tenantId: string,
  records: Array<{ index: number; record: UsageRecord }>,
  price: PriceRecord,
  policy: LedgerPolicy,
  now: number,
): Change<UsageBatchOutcome> | NoChange<UsageBatchOutcome> {
  const outcome: UsageBatchOutcome = { accepted: 0, duplicates: 0, rejected: [] };
  const draft = new ChangeDraft(current, tenantId, now);
  const hoursTouched = new Set<number>();
  for (const { record } of records) hoursTouched.add(hourOf(record.startDateTime));
  const before = spendBefore(current, hoursTouched);
  const newDestinations = new NewDestinationWatch(current, now);
  const charged: UsageDetail[] = [];
  const oldestStart = now - policy.usageWindowDays * DAY_MS;
  // One function for the whole batch, not a closure per record (tsx names every closure it makes).
  const reject = (index: number, error: string) => outcome.rejected.push({ index, error });
  const chargeLimits = new Map<string, Minor>();
  for (const { index, record } of records) {
    const startedAt = callStartOf(record.startDateTime);
    if (draft.account?.keys.hasUsage(record.id)) {
      outcome.duplicates++;
      continue;
    }
    if (Number.isNaN(startedAt)) {
      reject(index, 'startDateTime is not a date and time');
      continue;
    }
    if (
      record.durationSeconds !== null &&
      !(Number.isSafeInteger(record.durationSeconds) && record.durationSeconds >= 0 && record.durationSeconds <= MAX_CALL_SECONDS)
    ) {
      reject(index, `duration must be whole seconds from 0 to ${MAX_CALL_SECONDS}`);
      continue;
    }
    if (startedAt < oldestStart) {
      reject(index, `startDateTime is older than the ${policy.usageWindowDays}-day usage acceptance window`);
      continue;
    }
    if (startedAt > now + DAY_MS) {
      reject(index, 'startDateTime is in the future');
      continue;
    }
    const currency = draft.account?.currency ?? record.currency ?? policy.defaultCurrency;
    if (record.currency && record.currency !== currency) {
      reject(index, `currency ${record.currency} differs from the account's ${currency}`);
      continue;
    }
    const priced = price(record, currency);
    const maxMinor = chargeLimits.get(currency) ?? chargeLimits.set(currency, usageChargeLimit(policy, currency)).get(currency)!;
    if (!priced.ok || priced.value.minor > maxMinor) {
      reject(index, priced.ok || priced.error.code === 'out-of-range' ? chargeAboveMaximum(record, priced, maxMinor, currency) : priced.error.reason);
      continue;
    }
    if (chargeBreaksRange(draft.account, record.startDateTime, priced.value.minor)) {
      reject(
        index,
        `charging ${toDecimalString(priced.value.minor, currency)} ${currency} would take the balance or a usage total beyond ±${toDecimalString(MAX_MINOR, currency)} ${currency}, the range the ledger keeps exact`,
      );
      continue;
    }
    if (!draft.account) draft.open(currency, accountDefaults(policy, currency));
    const usage = usageDetail(record, priced.value.from);
    newDestinations.see(draft.account?.usage, usage);
    charged.push(usage);
    draft.record({
      detail: { kind: 'usage', usage },
      amountMinor: -priced.value.minor,
      actor: 'system',
      idempotencyKey: record.id,
    });
    outcome.accepted++;
  }
  if (draft.account && charged.length > 0) {
    const floorMinor = additionLimits(policy, draft.account.currency).minMinor;
    for (const alert of spendAlerts(before, draft.account, charged, now, floorMinor)) draft.raise(alert);
    const alert = newDestinations.alert(draft.account, now);
    if (alert) draft.raise(alert);
    const exceeded = dailySpendExceeded(draft.account, charged, now);
    if (exceeded) {
      draft.record({ detail: { kind: 'daily-spend-exceeded', ...exceeded }, amountMinor: 0, actor: 'system', idempotencyKey: null });
      const { tenantId, currency, balanceMinor } = draft.account;
      draft.raise({ tenantId, currency, balanceMinor, at: iso(now), type: 'daily-spend-exceeded', ...exceeded });
    }
  }
  startRechargeIfDue(draft, now);
  return draft.finish(outcome);
}

/** Why a record's charge is refused for being above MAX_USAGE_CHARGE, saying where the charge came from. */
function chargeAboveMaximum(record: UsageRecord, priced: ReturnType<PriceRecord>, maxMinor: Minor, currency: string): string {
  const maximum = `the maximum usage charge of ${toDecimalString(maxMinor, currency)} ${currency}`;
  if (record.charge !== null) return `charge "${record.charge}" is above ${maximum}`;
  return priced.ok
    ? `the rate table prices this call at ${toDecimalString(priced.value.minor, currency)} ${currency}, above ${maximum}`
    : `the rate table prices this call above ${maximum}`;
}

/** What a usage entry keeps of its call record. */
export function usageDetail(record: UsageRecord, pricedFrom: UsageDetail['pricedFrom']): UsageDetail {
  const usage: UsageDetail = {
    recordId: record.id,
    startDateTime: record.startDateTime,
    durationSeconds: record.durationSeconds,
    callType: record.callType,
    destinationContext: record.destinationContext,
    destinationName: record.destinationName,
    userId: record.userId,
    conferenceId: record.conferenceId,
    pricedFrom,
  };
  // Kept only when the record has them, so entries of records without them stay as they were.
  // Assigned, not spread from a new object each: this runs for every record of a batch.
  if (record.userPrincipalName) usage.userPrincipalName = record.userPrincipalName;
  if (record.userDisplayName) usage.userDisplayName = record.userDisplayName;
  if (record.department) usage.department = record.department;
  return usage;
}
