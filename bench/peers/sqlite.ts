import Database from 'better-sqlite3';
import path from 'node:path';
import { addCalendarMonths, iso } from '../../services/calendar.js';
import type { UsageBatchOutcome, UsageRecord } from '../../services/ledger/applyUsage.js';
import { byTenant, checkRecord, drawFifo, emptyOutcome, PREFUND_MINOR, samplePricer, usageEntry, type LedgerBackend, type PlainLot } from './backend.js';

const SCHEMA = `
CREATE TABLE accounts (
  tenant_id TEXT PRIMARY KEY, currency TEXT NOT NULL, balance INTEGER NOT NULL, debt INTEGER NOT NULL,
  entry_count INTEGER NOT NULL, low_balance_alert INTEGER NOT NULL, last_usage_at INTEGER
) WITHOUT ROWID;
CREATE TABLE lots (
  tenant_id TEXT NOT NULL, lot_id TEXT NOT NULL, purchased_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
  original INTEGER NOT NULL, remaining INTEGER NOT NULL, PRIMARY KEY (tenant_id, lot_id)
) WITHOUT ROWID;
CREATE INDEX lots_fifo ON lots (tenant_id, purchased_at, lot_id) WHERE remaining > 0;
CREATE TABLE journal (
  tenant_id TEXT NOT NULL, entry_no INTEGER NOT NULL, kind TEXT NOT NULL, amount INTEGER NOT NULL,
  balance_after INTEGER NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL, idempotency_key TEXT, detail TEXT NOT NULL,
  PRIMARY KEY (tenant_id, entry_no)
) WITHOUT ROWID;
CREATE TABLE usage_keys (
  tenant_id TEXT NOT NULL, record_id TEXT NOT NULL, day INTEGER NOT NULL, PRIMARY KEY (tenant_id, record_id)
) WITHOUT ROWID;
`;

interface AccountRow {
  currency: string;
  balance: number;
  debt: number;
  entry_count: number;
}

/**
 * better-sqlite3 in WAL mode with synchronous=FULL (the WAL is fsynced at every commit). `batched`:
 * one transaction per request; otherwise one transaction per record. Per tenant in a transaction
 * the account and its lots are read once, and per record: the key lookup, the journal insert and
 * the key insert; the touched lots and the account are written back at the end.
 */
export async function openSqlite(dir: string, batched: boolean): Promise<LedgerBackend> {
  const db = new Database(path.join(dir, 'ledger.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(SCHEMA);
  const journalMode = db.pragma('journal_mode', { simple: true });
  const synchronous = db.pragma('synchronous', { simple: true });
  if (journalMode !== 'wal' || synchronous !== 2) throw new Error(`sqlite is not durable as asked: journal_mode=${journalMode} synchronous=${synchronous}`);
  const price = await samplePricer();

  const selectAccount = db.prepare<[string], AccountRow>('SELECT currency, balance, debt, entry_count FROM accounts WHERE tenant_id = ?');
  const insertAccount = db.prepare('INSERT INTO accounts (tenant_id, currency, balance, debt, entry_count, low_balance_alert) VALUES (?, ?, 0, 0, 0, 1000)');
  const updateAccount = db.prepare('UPDATE accounts SET balance = ?, debt = ?, entry_count = ?, last_usage_at = ? WHERE tenant_id = ?');
  const selectLots = db.prepare<[string], { lot_id: string; purchased_at: number; remaining: number }>(
    'SELECT lot_id, purchased_at, remaining FROM lots WHERE tenant_id = ? AND remaining > 0 ORDER BY purchased_at, lot_id',
  );
  const insertLot = db.prepare('INSERT INTO lots (tenant_id, lot_id, purchased_at, expires_at, original, remaining) VALUES (?, ?, ?, ?, ?, ?)');
  const updateLot = db.prepare('UPDATE lots SET remaining = ? WHERE tenant_id = ? AND lot_id = ?');
  const hasKey = db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM usage_keys WHERE tenant_id = ? AND record_id = ?');
  const insertKey = db.prepare('INSERT INTO usage_keys (tenant_id, record_id, day) VALUES (?, ?, ?)');
  const insertEntry = db.prepare(
    'INSERT INTO journal (tenant_id, entry_no, kind, amount, balance_after, at, actor, idempotency_key, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );

  const openAccount = (tenantId: string, now: number): AccountRow => {
    insertAccount.run(tenantId, 'USD');
    const detail = {
      kind: 'account-opened',
      currency: 'USD',
      lowBalanceAlertMinor: 1000,
      autoRecharge: { enabled: false, triggerMinor: 1000, amountMinor: 5000 },
    };
    insertEntry.run(tenantId, 1, 'account-opened', 0, 0, iso(now), 'system', null, JSON.stringify(detail));
    updateAccount.run(0, 0, 1, null, tenantId);
    return { currency: 'USD', balance: 0, debt: 0, entry_count: 1 };
  };

  const chargeTenant = (tenantId: string, items: Array<{ index: number; record: UsageRecord }>, outcome: UsageBatchOutcome, now: number) => {
    let account = selectAccount.get(tenantId);
    const lots: PlainLot[] = account
      ? selectLots.all(tenantId).map((l) => ({ lotId: l.lot_id, purchasedAt: l.purchased_at, remainingMinor: l.remaining }))
      : [];
    const touched = new Set<PlainLot>();
    let charged = 0;
    for (const { index, record } of items) {
      if (account && hasKey.get(tenantId, record.id)) {
        outcome.duplicates++;
        continue;
      }
      const checked = checkRecord(record, account?.currency ?? record.currency ?? 'USD', price, now);
      if (!checked.ok) {
        outcome.rejected.push({ index, error: checked.error });
        continue;
      }
      account ??= openAccount(tenantId, now);
      const charge = checked.value.minor;
      account.debt += drawFifo(lots, charge, touched);
      account.balance -= charge;
      const entry = usageEntry(record, ++account.entry_count, charge, account.balance, checked.value.from, now);
      insertEntry.run(
        tenantId,
        account.entry_count,
        entry.kind,
        entry.amountMinor,
        entry.balanceAfterMinor,
        entry.at,
        entry.actor,
        entry.idempotencyKey,
        JSON.stringify(entry.detail),
      );
      insertKey.run(tenantId, record.id, Math.floor(Date.parse(record.startDateTime) / 86_400_000));
      charged++;
      outcome.accepted++;
    }
    if (charged === 0 || !account) return;
    for (const lot of touched) updateLot.run(lot.remainingMinor, tenantId, lot.lotId);
    updateAccount.run(account.balance, account.debt, account.entry_count, now, tenantId);
  };

  const ingestAll = db.transaction((records: UsageRecord[]) => {
    const outcome = emptyOutcome();
    const now = Date.now();
    for (const [tenantId, items] of byTenant(records)) chargeTenant(tenantId, items, outcome, now);
    return outcome;
  });
  const ingestOne = db.transaction((tenantId: string, item: { index: number; record: UsageRecord }, outcome: UsageBatchOutcome) => {
    chargeTenant(tenantId, [item], outcome, Date.now());
  });

  return {
    name: batched ? 'better-sqlite3 · txn per request' : 'better-sqlite3 · txn per record',
    durability: `journal_mode=${journalMode}, synchronous=FULL (${synchronous})`,
    async prefund(tenants, extraLots) {
      db.transaction(() => {
        const now = Date.now();
        tenants.forEach((tenantId, i) => {
          const account = openAccount(tenantId, now);
          for (let k = 0; k <= (i === 0 ? extraLots : 0); k++) {
            const entryNo = ++account.entry_count;
            account.balance += PREFUND_MINOR;
            insertLot.run(tenantId, `lot-${entryNo}`, now + k, addCalendarMonths(now, 12), PREFUND_MINOR, PREFUND_MINOR);
            insertEntry.run(
              tenantId,
              entryNo,
              'funds-added',
              PREFUND_MINOR,
              account.balance,
              iso(now),
              'bench',
              `prefund-${k}`,
              JSON.stringify({ kind: 'funds-added', lotId: `lot-${entryNo}`, source: 'manual', expiresAt: iso(addCalendarMonths(now, 12)), note: null }),
            );
          }
          updateAccount.run(account.balance, 0, account.entry_count, null, tenantId);
        });
      })();
    },
    async ingest(records) {
      if (batched) return ingestAll(records);
      const outcome = emptyOutcome();
      records.forEach((record, index) => ingestOne(record.tenantId, { index, record }, outcome));
      return outcome;
    },
    async close() {
      db.close();
    },
  };
}
