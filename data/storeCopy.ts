import { stat } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import type { Account } from '../services/ledger/account.js';
import { toSnapshot } from '../services/ledger/accountSnapshot.js';
import { applyEntry } from '../services/ledger/applyEntry.js';
import type { JournalEntry } from '../services/ledger/journal.js';
import type { StoredAlert } from '../services/alerts.js';
import type { LedgerStore } from '../services/ports.js';
import { readTextIfPresent } from './durableJsonFile.js';
import { EMBEDDED_DELIVERY_LOG, type DeliveryLogData } from './embeddedAlertDeliveries.js';
import { openEmbeddedBotState, postgresBotState } from './openBotState.js';
import { openLowdbLedgerStore } from './lowdbLedgerStore.js';
import type { AccountHead } from './postgres/accountLoader.js';
import { writeTenantChanges } from './postgres/changeWriter.js';
import { clientConfig } from './postgres/connection.js';
import { openPool } from './postgres/pool.js';
import { keyText } from './postgres/keyText.js';
import { migrateDatabase } from './postgres/migrate.js';
import { alertId, parseAlertId } from './postgres/alertId.js';
import { oldestDay } from './postgres/postgresLedgerStore.js';

/** The tables a copy fills; the target must have none of their rows unless told otherwise. */
const TABLES = [
  'accounts',
  'journal',
  'lots',
  'operation_keys',
  'usage_keys',
  'alert_outbox',
  'alert_deliveries',
  'known_people',
  'known_conversations',
  'sandbox_cards',
  'sandbox_charges',
  'usage_sync',
  'notice_mail',
] as const;

export interface StoreCopyOptions {
  /** The embedded data folder (the bot must be stopped: its folder lock is taken). */
  dataDir: string;
  /** The PostgreSQL to copy into (migrated first). */
  url: string;
  /**
   * Copy into a database that already holds rows: tenants already there are left alone if they
   * hold exactly the folder's journal (a copy re-run), and refused if they differ.
   */
  intoNonEmpty?: boolean;
  /** Journal entries read and written at a time (one statement each, in the tenant's one transaction). Default 5,000. */
  chunkEntries?: number;
  log?: (message: string) => void;
}

export interface TenantCopy {
  tenantId: string;
  entries: number;
  balanceMinor: number;
  /** Copied now, or found already copied by an earlier run. */
  state: 'copied' | 'already-copied';
}

export interface StoreCopyReport {
  tenants: TenantCopy[];
  /**
   * The pending alerts' ids, embedded (`seq.i`) to PostgreSQL (`n@tenant`): the alert deliveries
   * recorded under the embedded ids are to be copied under the new ones.
   */
  alertIds: Map<string, string>;
  /** Recipients recorded as having a pending alert, copied under its new id. */
  alertDeliveries: number;
  conversations: number;
  people: number;
  sandboxCharges: number;
  queuedMail: number;
}

export class StoreCopyRefused extends Error {}

/**
 * Copies an embedded data folder into PostgreSQL: every tenant's journal, lots, keys, offers and
 * pending alerts, then the conversations and people, the sandbox gateway's cards and charges, the
 * notice-mail queue and the Graph sync watermarks. Each tenant's ledger is written in one
 * transaction, so a copy that stops half-way leaves whole tenants, and a re-run (`intoNonEmpty`)
 * finds those and copies the rest. After the copy each tenant is checked in the database:
 * balance = Σ lots − debt = Σ journal, and the same balance and entry count as the folder.
 */
export async function copyDataFolder(options: StoreCopyOptions): Promise<StoreCopyReport> {
  const log = options.log ?? (() => undefined);
  const chunk = options.chunkEntries ?? 5_000;
  // Opening the store would make a folder that is not there (a mistyped DATA_DIR): refuse instead.
  if (!(await stat(options.dataDir).catch(() => null))?.isDirectory()) throw new StoreCopyRefused(`There is no data folder at ${options.dataDir}.`);
  const connection = clientConfig(options.url);
  await migrateDatabase(connection, log);
  const pool = openPool(options.url, 2);
  // The folder lock refuses a bot that still runs on the folder.
  const source = await openLowdbLedgerStore({ dir: options.dataDir, checkpointIntervalMs: 3_600_000 });
  try {
    const occupied = await occupiedTables(pool);
    if (occupied.length > 0 && !options.intoNonEmpty) {
      throw new StoreCopyRefused(
        `The database already holds rows (${occupied.join(', ')}). Copy into an empty database, or pass --into-non-empty to add what is missing (tenants already there must match the folder).`,
      );
    }
    const alerts = groupByTenant(await source.pendingAlerts());
    const report: StoreCopyReport = { tenants: [], alertIds: new Map(), alertDeliveries: 0, conversations: 0, people: 0, sandboxCharges: 0, queuedMail: 0 };
    for (const tenantId of (await source.tenantIds()).sort()) {
      const copy = await copyTenant(pool, source, tenantId, alerts.get(tenantId) ?? [], report.alertIds, chunk);
      await verifyTenant(pool, copy);
      report.tenants.push(copy);
      log(`tenant ${tenantId}: ${copy.state}, ${copy.entries} entries, balance ${copy.balanceMinor} (minor units)`);
    }
    await copyBotState(pool, options.dataDir, report);
    report.alertDeliveries = await copyAlertDeliveries(pool, options.dataDir, report.alertIds);
    return report;
  } finally {
    await source.close();
    await pool.end();
  }
}

async function occupiedTables(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ name: string; occupied: boolean }>(
    TABLES.map((table) => `SELECT '${table}' AS name, EXISTS (SELECT FROM ${table}) AS occupied`).join(' UNION ALL '),
  );
  return rows.filter((row) => row.occupied).map((row) => row.name);
}

function groupByTenant(alerts: readonly StoredAlert[]): Map<string, StoredAlert[]> {
  const byTenant = new Map<string, StoredAlert[]>();
  for (const stored of alerts) {
    const tenantAlerts = byTenant.get(stored.alert.tenantId) ?? [];
    tenantAlerts.push(stored);
    byTenant.set(stored.alert.tenantId, tenantAlerts);
  }
  return byTenant;
}

/**
 * One tenant in one transaction: the journal in chunks, each written as the PostgreSQL store
 * writes a change (the account replayed to the chunk's end, its lots and keys), the last with the
 * pending alerts, the usage keys the folder still holds, and a snapshot.
 */
async function copyTenant(
  pool: pg.Pool,
  source: LedgerStore,
  tenantId: string,
  pending: StoredAlert[],
  alertIds: Map<string, string>,
  chunk: number,
): Promise<TenantCopy> {
  const original = await source.account(tenantId);
  if (!original) throw new Error(`The folder lists tenant ${tenantId} but holds no account for it.`);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ entry_count: string }>('SELECT entry_count FROM accounts WHERE tenant_id = $1 FOR UPDATE', [keyText(tenantId)]);
    if (rows[0]) {
      await client.query('ROLLBACK');
      await alreadyCopied(pool, source, tenantId, original, Number(rows[0].entry_count), chunk);
      return { tenantId, entries: original.entryCount, balanceMinor: original.balanceMinor, state: 'already-copied' };
    }
    let account: Account | undefined;
    let head: AccountHead | null = null;
    for (let after = 0; after < original.entryCount; ) {
      const entries = await source.journal(tenantId, after, chunk);
      if (entries.length === 0) throw new Error(`The journal of tenant ${tenantId} ends at entry ${after}, but its account counts ${original.entryCount}.`);
      const lotsBefore = new Map((account?.lots ?? []).map((lot) => [lot.id, lot.remainingMinor]));
      for (const entry of entries) account = applyEntry(account, entry);
      after += entries.length;
      const last = after >= original.entryCount;
      if (last) sameAccount(tenantId, account!, original);
      const written = await writeTenantChanges(client, {
        tenantId,
        head,
        account: last ? original : account!,
        entries,
        alerts: last ? pending.map((stored) => stored.alert) : [],
        lotsBefore,
        // The usage keys of calls older than the folder still holds were pruned by its sweep: so here.
        usageKeysBeforeDay: last ? oldestDay(original.keys.exportUsage()) : null,
        snapshot: last ? toSnapshot(original) : null,
      });
      if (!written) throw new Error(`Tenant ${tenantId} was written by someone else during the copy.`);
      head = { entryCount: account!.entryCount, alertCount: 0, snapshotEntryCount: 0 };
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  pending.forEach((stored, i) => alertIds.set(stored.id, alertId(tenantId, i + 1)));
  return { tenantId, entries: original.entryCount, balanceMinor: original.balanceMinor, state: 'copied' };
}

/** The replayed journal must give the account the folder holds, or the copy would not be the same ledger. */
function sameAccount(tenantId: string, replayed: Account, original: Account): void {
  const figures = (a: Account) => JSON.stringify([a.entryCount, a.balanceMinor, a.debtMinor, a.lots, a.offers]);
  if (figures(replayed) !== figures(original))
    throw new Error(`The journal of tenant ${tenantId} does not replay to the account the folder holds; nothing of it was copied.`);
}

/** A tenant the database already holds is left alone only if it holds exactly the folder's journal. */
async function alreadyCopied(pool: pg.Pool, source: LedgerStore, tenantId: string, original: Account, entryCount: number, chunk: number): Promise<void> {
  const refuse = (why: string) => {
    throw new StoreCopyRefused(`Tenant ${tenantId} is already in the database and ${why}; it was not copied again. Copy into an empty database instead.`);
  };
  if (entryCount !== original.entryCount) refuse(`has ${entryCount} journal entries where the folder has ${original.entryCount}`);
  for (let after = 0; after < original.entryCount; ) {
    const entries = await source.journal(tenantId, after, chunk);
    const { rows } = await pool.query<{ entry: JournalEntry }>('SELECT entry FROM journal WHERE tenant_id = $1 AND entry_no > $2 ORDER BY entry_no LIMIT $3', [
      keyText(tenantId),
      after,
      chunk,
    ]);
    if (entries.length === 0 || rows.length !== entries.length || rows.some((row, i) => JSON.stringify(row.entry) !== JSON.stringify(entries[i]))) {
      refuse('holds another journal');
    }
    after += entries.length;
  }
}

/** balance = Σ lots − debt = Σ journal in the database, and as in the folder. */
async function verifyTenant(pool: pg.Pool, copy: TenantCopy): Promise<void> {
  const { rows } = await pool.query<{ balance: string; debt: string; entries: string; lots: string; journal: string; journal_count: string }>(
    `SELECT a.balance_minor AS balance, a.debt_minor AS debt, a.entry_count AS entries,
            (SELECT COALESCE(sum(remaining_minor), 0) FROM lots WHERE tenant_id = $1) AS lots,
            (SELECT COALESCE(sum(amount_minor), 0) FROM journal WHERE tenant_id = $1) AS journal,
            (SELECT count(*) FROM journal WHERE tenant_id = $1) AS journal_count
     FROM accounts a WHERE a.tenant_id = $1`,
    [keyText(copy.tenantId)],
  );
  const row = rows[0];
  const [balance, debt, entries, lots, journal, count] = row
    ? [row.balance, row.debt, row.entries, row.lots, row.journal, row.journal_count].map(Number)
    : [Number.NaN, 0, 0, 0, 0, 0];
  const problems = [
    balance !== copy.balanceMinor && `balance ${balance} where the folder has ${copy.balanceMinor}`,
    balance !== lots! - debt! && `balance ${balance} ≠ Σ lots ${lots} − debt ${debt}`,
    balance !== journal && `balance ${balance} ≠ Σ journal ${journal}`,
    (entries !== copy.entries || count !== copy.entries) && `${count} journal rows, account counts ${entries}, folder ${copy.entries}`,
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`Tenant ${copy.tenantId} does not check out after the copy: ${problems.join('; ')}.`);
}

/** The state beside the ledger, through the same ports the bot uses; what the database holds already is kept. */
/**
 * Who already got each pending alert (`DATA_DIR/alert-deliveries.json`, keyed by the folder's alert
 * ids), under the alerts' new ids, so an alert half delivered before the move reaches only the
 * others after it. Records of alerts no longer pending are left behind. Returns the rows copied.
 */
async function copyAlertDeliveries(pool: pg.Pool, dataDir: string, alertIds: ReadonlyMap<string, string>): Promise<number> {
  const text = await readTextIfPresent(path.join(dataDir, EMBEDDED_DELIVERY_LOG));
  const delivered = text ? (JSON.parse(text) as DeliveryLogData) : {};
  let copied = 0;
  for (const [oldId, recipients] of Object.entries(delivered)) {
    const parsed = parseAlertId(alertIds.get(oldId) ?? '');
    if (!parsed) continue;
    for (const recipient of recipients) {
      await pool.query('INSERT INTO alert_deliveries (tenant_id, alert_no, recipient) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
        keyText(parsed.tenantId),
        parsed.alertNo,
        recipient,
      ]);
      copied++;
    }
  }
  return copied;
}

async function copyBotState(pool: pg.Pool, dataDir: string, report: StoreCopyReport): Promise<void> {
  const from = await openEmbeddedBotState(dataDir);
  const into = await postgresBotState(pool);
  const book = from.conversations.data;
  const people = Object.values(book.people);
  const conversations = Object.values(book.conversations);
  await into.conversations.restore(people, conversations);
  report.people = people.length;
  report.conversations = conversations.length;

  const sandbox = from.sandbox.data;
  for (const [tenantId, card] of Object.entries(sandbox.cards))
    if ((await into.sandbox.chosenCard(tenantId)) === undefined) await into.sandbox.chooseCard(tenantId, card);
  for (const charge of Object.values(sandbox.charges)) await into.sandbox.recordCharge(charge);
  report.sandboxCharges = Object.keys(sandbox.charges).length;

  const queued = await from.mailQueue.pending();
  for (const mail of queued) await into.mailQueue.add(mail);
  for (const sent of await from.mailQueue.sent()) {
    await into.mailQueue.add({
      tenantId: sent.tenantId,
      id: sent.id,
      to: [],
      subject: '',
      text: '',
      html: null,
      queuedAt: sent.at,
      attempts: 0,
      nextAttemptAt: sent.at,
      lastError: null,
    });
    await into.mailQueue.markSent(sent.tenantId, sent.id, sent.at, 0);
  }
  report.queuedMail = queued.length;

  for (const { tenantId, ...status } of await from.usageSync.all()) {
    const current = await into.usageSync.status(tenantId);
    if (Object.values(current).every((value) => value === null)) await into.usageSync.record(tenantId, status);
  }
}
