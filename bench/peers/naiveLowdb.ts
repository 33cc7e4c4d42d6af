import { Low } from 'lowdb';
import path from 'node:path';
import { addCalendarMonths, iso } from '../../services/calendar.js';
import type { UsageBatchOutcome, UsageRecord } from '../../services/ledger/applyUsage.js';
import type { JournalEntry } from '../../services/ledger/journal.js';
import { DurableJsonFile } from '../../data/durableJsonFile.js';
import { byTenant, checkRecord, drawFifo, emptyOutcome, PREFUND_MINOR, samplePricer, usageEntry, type LedgerBackend, type PlainLot } from './backend.js';

interface NaiveAccount {
  currency: string;
  balanceMinor: number;
  debtMinor: number;
  entryCount: number;
  lots: PlainLot[];
  /** Usage record id → the day it started. */
  usageKeys: Record<string, number>;
}

interface NaiveDocument {
  accounts: Record<string, NaiveAccount>;
  journal: JournalEntry[];
}

/**
 * The naive lowdb layout: one document holding every account and the whole journal, rewritten on
 * every change. Writes go through the project's DurableJsonFile adapter (temp file, fsync, rename,
 * fsync of the folder), so an answered change is on disk as with the real store. Changes run one
 * at a time: each mutates the document and waits for its own write.
 */
export async function openNaiveLowdb(dir: string): Promise<LedgerBackend> {
  const db = new Low<NaiveDocument>(new DurableJsonFile<NaiveDocument>(path.join(dir, 'ledger.json')), { accounts: {}, journal: [] });
  await db.read();
  const price = await samplePricer();
  let turn: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = turn.then(work);
    turn = run.catch(() => undefined);
    return run;
  };

  const apply = (records: UsageRecord[]): UsageBatchOutcome => {
    const outcome = emptyOutcome();
    const now = Date.now();
    for (const [tenantId, items] of byTenant(records)) {
      let account = db.data.accounts[tenantId];
      for (const { index, record } of items) {
        if (account && Object.hasOwn(account.usageKeys, record.id)) {
          outcome.duplicates++;
          continue;
        }
        const checked = checkRecord(record, account?.currency ?? record.currency ?? 'USD', price, now);
        if (!checked.ok) {
          outcome.rejected.push({ index, error: checked.error });
          continue;
        }
        account ??= openAccount(db.data, tenantId, now);
        const charge = checked.value.minor;
        const owed = drawFifo(account.lots, charge);
        account.lots = account.lots.filter((lot) => lot.remainingMinor > 0);
        account.debtMinor += owed;
        account.balanceMinor -= charge;
        account.usageKeys[record.id] = Math.floor(Date.parse(record.startDateTime) / 86_400_000);
        db.data.journal.push(usageEntry(record, ++account.entryCount, charge, account.balanceMinor, checked.value.from, now));
        outcome.accepted++;
      }
    }
    return outcome;
  };

  return {
    name: 'lowdb naive',
    durability: 'whole document rewritten per change: temp file fsync, rename, folder fsync',
    prefund: (tenants, extraLots) =>
      exclusive(async () => {
        const now = Date.now();
        tenants.forEach((tenant, i) => {
          const account = openAccount(db.data, tenant, now);
          for (let k = 0; k <= (i === 0 ? extraLots : 0); k++) addLot(db.data, tenant, account, `prefund-${k}`, now);
        });
        await db.write();
      }),
    ingest: (records) =>
      exclusive(async () => {
        const outcome = apply(records);
        if (outcome.accepted > 0) await db.write();
        return outcome;
      }),
    close: () => exclusive(async () => undefined),
  };
}

function openAccount(doc: NaiveDocument, tenantId: string, now: number): NaiveAccount {
  const account: NaiveAccount = { currency: 'USD', balanceMinor: 0, debtMinor: 0, entryCount: 1, lots: [], usageKeys: {} };
  doc.accounts[tenantId] = account;
  doc.journal.push({
    id: '1',
    tenantId,
    kind: 'account-opened',
    amountMinor: 0,
    balanceAfterMinor: 0,
    at: iso(now),
    actor: 'system',
    idempotencyKey: null,
    detail: { kind: 'account-opened', currency: 'USD', lowBalanceAlertMinor: 1000, autoRecharge: { enabled: false, triggerMinor: 1000, amountMinor: 5000 } },
  });
  return account;
}

function addLot(doc: NaiveDocument, tenantId: string, account: NaiveAccount, key: string, now: number): void {
  const entryNo = ++account.entryCount;
  account.lots.push({ lotId: `lot-${entryNo}`, purchasedAt: now, remainingMinor: PREFUND_MINOR });
  account.balanceMinor += PREFUND_MINOR;
  doc.journal.push({
    id: String(entryNo),
    tenantId,
    kind: 'funds-added',
    amountMinor: PREFUND_MINOR,
    balanceAfterMinor: account.balanceMinor,
    at: iso(now),
    actor: 'bench',
    idempotencyKey: key,
    detail: { kind: 'funds-added', lotId: `lot-${entryNo}`, source: 'manual', expiresAt: iso(addCalendarMonths(now, 12)), note: null },
  });
}
