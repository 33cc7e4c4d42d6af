import { loadRateTable } from '../../data/rates/loadRateTable.js';
import { iso } from '../../services/calendar.js';
import { usageDetail, type PriceRecord, type UsageBatchOutcome, type UsageRecord } from '../../services/ledger/applyUsage.js';
import type { JournalEntry, UsageDetail } from '../../services/ledger/journal.js';
import type { Minor } from '../../services/money.js';
import { pricer } from '../../services/rates.js';
import type { Result } from '../../services/result.js';

/**
 * One way of keeping the ledger, driven by the same workload. Every backend does the same ledger
 * work per record: the idempotency-key check, the acceptance-window and currency checks, pricing,
 * the FIFO lot draw (debt beyond the lots), the balance update and a journal entry; and answers
 * only once the records are durable.
 */
export interface LedgerBackend {
  readonly name: string;
  /** Durability settings as the backend reports them, for the record. */
  readonly durability: string;
  /** Opens each tenant with $10,000 in one lot (`extraLots` more for the first); not measured. */
  prefund(tenants: readonly string[], extraLots: number): Promise<void>;
  ingest(records: UsageRecord[]): Promise<UsageBatchOutcome>;
  close(): Promise<void>;
}

export const PREFUND_MINOR = 1_000_000;
const DAY_MS = 86_400_000;
const WINDOW_DAYS = 90;

export async function samplePricer(): Promise<PriceRecord> {
  return pricer(await loadRateTable(null));
}

/** The checks applyUsage makes before charging a record (the key check is the backend's own). */
export function checkRecord(
  record: UsageRecord,
  accountCurrency: string,
  price: PriceRecord,
  now: number,
): Result<{ minor: Minor; from: UsageDetail['pricedFrom'] }, string> {
  const startedAt = Date.parse(record.startDateTime);
  if (startedAt < now - WINDOW_DAYS * DAY_MS) return { ok: false, error: 'startDateTime is older than the usage acceptance window' };
  if (startedAt > now + DAY_MS) return { ok: false, error: 'startDateTime is in the future' };
  if (record.currency && record.currency !== accountCurrency)
    return { ok: false, error: `currency ${record.currency} differs from the account's ${accountCurrency}` };
  const priced = price(record, accountCurrency);
  return priced.ok ? priced : { ok: false, error: priced.error.code === 'unpriced' ? priced.error.reason : 'the charge is out of range' };
}

export function usageEntry(
  record: UsageRecord,
  entryNo: number,
  chargeMinor: Minor,
  balanceAfterMinor: Minor,
  pricedFrom: UsageDetail['pricedFrom'],
  now: number,
): JournalEntry {
  return {
    id: String(entryNo),
    tenantId: record.tenantId,
    kind: 'usage',
    amountMinor: -chargeMinor,
    balanceAfterMinor,
    at: iso(now),
    actor: 'system',
    idempotencyKey: record.id,
    detail: {
      kind: 'usage',
      usage: usageDetail(record, pricedFrom),
    },
  };
}

export interface PlainLot {
  lotId: string;
  purchasedAt: number;
  remainingMinor: Minor;
}

/** Draws `charge` from `lots` (oldest first, in place) and returns the part they could not cover. */
export function drawFifo(lots: PlainLot[], charge: Minor, touched?: Set<PlainLot>): Minor {
  let owed = charge;
  for (const lot of lots) {
    if (owed === 0) break;
    if (lot.remainingMinor === 0) continue;
    const take = Math.min(lot.remainingMinor, owed);
    lot.remainingMinor -= take;
    owed -= take;
    touched?.add(lot);
  }
  return owed;
}

/** Records grouped by tenant, keeping each record's index in the request. */
export function byTenant(records: readonly UsageRecord[]): Map<string, Array<{ index: number; record: UsageRecord }>> {
  const groups = new Map<string, Array<{ index: number; record: UsageRecord }>>();
  records.forEach((record, index) => {
    const list = groups.get(record.tenantId);
    if (list) list.push({ index, record });
    else groups.set(record.tenantId, [{ index, record }]);
  });
  return groups;
}

export const emptyOutcome = (): UsageBatchOutcome => ({ accepted: 0, duplicates: 0, rejected: [] });
