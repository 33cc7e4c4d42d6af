import { DAY_MS } from '../calendar.js';
import type { Change, NoChange } from '../ports.js';
import type { Account } from './account.js';
import { ChangeDraft } from './changeDraft.js';
import type { UsageDetail } from './journal.js';
import { accountDefaults, type LedgerPolicy } from './policy.js';
import { startRechargeIfDue } from './autoRecharge.js';
import { hourOf, spendAlerts, spendBefore } from '../insight/spendAlerts.js';
import type { Result } from '../result.js';
import type { Minor } from '../money.js';

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
}

export interface UsageBatchOutcome {
  accepted: number;
  duplicates: number;
  rejected: Array<{ index: number; error: string }>;
}

/** Prices one record in a currency: its own charge, or the rate table's. */
export type PriceRecord = (record: UsageRecord, currency: string) => Result<{ minor: Minor; from: UsageDetail['pricedFrom'] }, string>;


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
  const before = spendBefore(current, new Set(records.map(({ record }) => hourOf(record.startDateTime))));
  const charged: UsageDetail[] = [];
  const oldestStart = now - policy.usageWindowDays * DAY_MS;
  // One function for the whole batch, not a closure per record (tsx names every closure it makes).
  const reject = (index: number, error: string) => outcome.rejected.push({ index, error });
  for (const { index, record } of records) {
    const startedAt = Date.parse(record.startDateTime);
    if (draft.account?.keys.hasUsage(record.id)) {
      outcome.duplicates++;
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
    if (!priced.ok) {
      reject(index, priced.error);
      continue;
    }
    if (!draft.account) draft.open(currency, accountDefaults(policy, currency));
    const usage = usageDetail(record, priced.value.from);
    charged.push(usage);
    draft.record({
      detail: { kind: 'usage', usage },
      amountMinor: -priced.value.minor,
      actor: 'system',
      idempotencyKey: record.id,
    });
    outcome.accepted++;
  }
  if (draft.account && charged.length > 0) for (const alert of spendAlerts(before, draft.account, charged, now)) draft.raise(alert);
  startRechargeIfDue(draft, now);
  return draft.finish(outcome);
}

/** What a usage entry keeps of its call record. */
export function usageDetail(record: UsageRecord, pricedFrom: UsageDetail['pricedFrom']): UsageDetail {
  return {
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
}

