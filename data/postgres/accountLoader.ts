import type pg from 'pg';
import { invariantViolation, type Account } from '../../services/ledger/account.js';
import { fromSnapshot, type AccountSnapshot } from '../../services/ledger/accountSnapshot.js';
import { applyEntry } from '../../services/ledger/applyEntry.js';
import type { JournalEntry } from '../../services/ledger/journal.js';
import { keyFromText, keyText } from './keyText.js';
import { prepared } from './prepared.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

/** What the account row says now: how far the journal goes, how many alerts were raised, where the snapshot stands. */
export interface AccountHead {
  entryCount: number;
  alertCount: number;
  snapshotEntryCount: number;
}

export interface LoadCounters {
  /** Accounts built from their snapshot (or journal) because this process held none. */
  coldLoads: number;
  /** Journal entries applied to bring accounts up to date. */
  entriesApplied: number;
}

/** Reads the tenant's account row; with `lock`, holds it until the transaction ends. */
export async function readHead(db: Queryable, tenantId: string, lock: boolean): Promise<AccountHead | null> {
  const { rows } = await db.query<{ entry_count: string; alert_count: string; snapshot_entry_count: string }>(
    prepared(`SELECT entry_count, alert_count, snapshot_entry_count FROM accounts WHERE tenant_id = $1${lock ? ' FOR UPDATE' : ''}`, [keyText(tenantId)]),
  );
  const row = rows[0];
  return row ? { entryCount: Number(row.entry_count), alertCount: Number(row.alert_count), snapshotEntryCount: Number(row.snapshot_entry_count) } : null;
}

/**
 * The account as of `head`. A cached account is caught up by applying the entries it missed (the
 * same fold recovery uses); without one, the account is built from its latest snapshot, its usage
 * keys and the entries after the snapshot. `db` must see one consistent state: a transaction that
 * holds the account row, or a repeatable-read one.
 */
export async function bringUpToDate(
  db: Queryable,
  tenantId: string,
  cached: Account | undefined,
  head: AccountHead | null,
  counters: LoadCounters,
): Promise<Account | undefined> {
  if (!head) return undefined;
  if (cached?.entryCount === head.entryCount) return cached;
  let account = cached && cached.entryCount < head.entryCount ? cached : undefined;
  if (!account) {
    counters.coldLoads++;
    account = await loadSnapshot(db, tenantId, head);
  }
  return applyEntries(tenantId, account, await readEntries(db, tenantId, account?.entryCount ?? 0, head.entryCount), head, counters);
}

/**
 * A cached account caught up with what other processes wrote, in one statement (so one consistent
 * moment, without a transaction): the account row's head and the journal entries after the cached
 * account's. Null when that cannot be done from the cache (no account row, or the cache is ahead
 * of it): the caller loads the account under the lock instead.
 */
export async function catchUpInOneRead(
  db: Queryable,
  tenantId: string,
  cached: Account,
  counters: LoadCounters,
): Promise<{ account: Account; head: AccountHead } | null> {
  const { rows } = await db.query<{ entry_count: string; alert_count: string; snapshot_entry_count: string; entries: JournalEntry[] }>(
    prepared(
      `SELECT a.entry_count, a.alert_count, a.snapshot_entry_count,
            (SELECT coalesce(json_agg(j.entry ORDER BY j.entry_no), '[]'::json) FROM journal j
              WHERE j.tenant_id = a.tenant_id AND j.entry_no > $2 AND j.entry_no <= a.entry_count) AS entries
       FROM accounts a WHERE a.tenant_id = $1`,
      [keyText(tenantId), cached.entryCount],
    ),
  );
  const row = rows[0];
  if (!row) return null;
  const head = { entryCount: Number(row.entry_count), alertCount: Number(row.alert_count), snapshotEntryCount: Number(row.snapshot_entry_count) };
  if (head.entryCount < cached.entryCount) return null;
  return { account: applyEntries(tenantId, cached, row.entries, head, counters)!, head };
}

/** Applies `entries` (those after `account`'s, up to `head`) with the fold recovery uses, checking they continue the journal and end where the row says. */
function applyEntries(
  tenantId: string,
  start: Account | undefined,
  entries: readonly JournalEntry[],
  head: AccountHead,
  counters: LoadCounters,
): Account | undefined {
  let account = start;
  for (const entry of entries) {
    const due = (account?.entryCount ?? 0) + 1;
    if (entry.tenantId !== tenantId || Number(entry.id) !== due) {
      throw new Error(`The journal of tenant ${tenantId} holds entry ${entry.id} of tenant ${entry.tenantId} where entry ${due} was due.`);
    }
    account = applyEntry(account, entry);
  }
  counters.entriesApplied += entries.length;
  if (account?.entryCount !== head.entryCount) {
    throw new Error(`The journal of tenant ${tenantId} ends at entry ${account?.entryCount ?? 0}, but its account row counts ${head.entryCount}.`);
  }
  const violation = invariantViolation(account);
  if (violation) throw new Error(`The account of tenant ${tenantId} rebuilt from the database breaks the ledger invariant: ${violation}.`);
  // The store writes usage keys from the journal entries, not from the table's record of additions.
  account.keys.takeAddedUsage();
  return account;
}

/** The account as of its snapshot, with the usage keys of the window; undefined if it has none yet. */
async function loadSnapshot(db: Queryable, tenantId: string, head: AccountHead): Promise<Account | undefined> {
  if (head.snapshotEntryCount === 0) return undefined;
  const key = keyText(tenantId);
  const { rows } = await db.query<{ snapshot: AccountSnapshot }>('SELECT snapshot FROM accounts WHERE tenant_id = $1', [key]);
  const snapshot = rows[0]?.snapshot;
  if (!snapshot || snapshot.entryCount !== head.snapshotEntryCount) {
    throw new Error(`The snapshot of tenant ${tenantId} does not stand at entry ${head.snapshotEntryCount} as its account row says.`);
  }
  const account = fromSnapshot(snapshot);
  const usage = await db.query<[string, number]>({ text: 'SELECT record_id, day FROM usage_keys WHERE tenant_id = $1', values: [key], rowMode: 'array' });
  for (const [recordId, day] of usage.rows) account.keys.addUsage(keyFromText(recordId), day);
  return account;
}

async function readEntries(db: Queryable, tenantId: string, after: number, upTo: number): Promise<JournalEntry[]> {
  if (upTo <= after) return [];
  const { rows } = await db.query<{ entry: JournalEntry }>(
    prepared('SELECT entry FROM journal WHERE tenant_id = $1 AND entry_no > $2 AND entry_no <= $3 ORDER BY entry_no', [keyText(tenantId), after, upTo]),
  );
  return rows.map((row) => row.entry);
}
