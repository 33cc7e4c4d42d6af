import type pg from 'pg';
import type { Alert, StoredAlert } from '../../services/alerts.js';
import { invariantViolation, type Account } from '../../services/ledger/account.js';
import { toSnapshot } from '../../services/ledger/accountSnapshot.js';
import type { JournalEntry } from '../../services/ledger/journal.js';
import {
  consoleLog,
  StoreUnavailableError,
  type Change,
  type LatestEntriesQuery,
  type LedgerStore,
  type NoChange,
  type StoreHealth,
} from '../../services/ports.js';
import { sequenceProblem } from '../changeSequence.js';
import { bringUpToDate, catchUpInOneRead, readHead, type AccountHead, type LoadCounters } from './accountLoader.js';
import { writeTenantChanges, type TenantWrite } from './changeWriter.js';
import { clientConfig } from './connection.js';
import { openPool } from './pool.js';
import { DatabaseHealth, messageOf } from './databaseHealth.js';
import { alertId, parseAlertId } from './alertId.js';
import { keyFromText, keyText } from './keyText.js';
import { migrateDatabase } from './migrate.js';
import { prepared } from './prepared.js';

export interface PostgresLedgerStoreOptions {
  /** A libpq URL: `postgres://user:password@host:5432/database?sslmode=require`. */
  url: string;
  /** Connections in the pool. Default 10. */
  poolSize?: number;
  /** Apply pending migrations before opening (under node-pg-migrate's advisory lock). Default true. */
  migrate?: boolean;
  /** A new snapshot of an account is written once this many entries followed the last one. Default 1,000. */
  snapshotEveryEntries?: number;
  /** How often a store that lost the database asks whether it answers again. Default 1 s. */
  probeIntervalMs?: number;
  /** Where failures of alert listeners are reported. Default `consoleLog`. */
  reportError?: (error: unknown) => void;
  /** Where the migrations applied at opening, and the migration runner's warnings, are told. Default: nowhere. */
  log?: (message: string) => void;
}

export interface PostgresLedgerStoreStats {
  /** Writes committed (each may carry several changes of one tenant). */
  transactions: number;
  /** Changes decided again because another process changed the account meanwhile (a write that wrote nothing, or a unique violation). */
  conflicts: number;
  /** Accounts loaded from their snapshot or journal because this process held none. */
  coldLoads: number;
  /** Journal entries applied to bring cached accounts up to date. */
  entriesApplied: number;
}

export interface PostgresLedgerStore extends LedgerStore {
  readonly stats: PostgresLedgerStoreStats;
}

/** Opens the store: migrates the database (unless told not to) and opens the pool. */
export async function openPostgresLedgerStore(options: PostgresLedgerStoreOptions): Promise<PostgresLedgerStore> {
  const connection = clientConfig(options.url);
  if (options.migrate ?? true) {
    const applied = await migrateDatabase(connection, options.log);
    if (applied.length > 0) options.log?.(`applied ${applied.join(', ')}`);
  }
  return new PostgresLedger(openPool(options.url, options.poolSize ?? 10), options);
}

/** Changes of one tenant may be decided together in one transaction, up to this many entries. */
const GROUP_ENTRY_LIMIT = 20_000;
/** However often changes without the lock missed, this many quiet changes under it let them try again. */
const MAX_QUIET_NEEDED = 256;
/** A transaction that loses a race for a key or an account is decided again at most this often. */
const CONFLICT_ATTEMPTS = 5;

interface PendingChange {
  decide: (account: Account | undefined) => Change<unknown> | NoChange<unknown>;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
}

interface PendingRead {
  resolve: (account: Account | undefined) => void;
  reject: (error: unknown) => void;
}

/** What this process holds for one tenant: its cached account and the work waiting for it, done one batch at a time. */
interface TenantLine {
  readonly tenantId: string;
  /** The account as of the last read or commit, and its row's head then; meaningful only when `known`. */
  account: Account | undefined;
  head: AccountHead | null;
  known: boolean;
  /**
   * Changes (and reads) in a row that found no entries of another process. Once there were
   * `quietNeeded` of them, changes try without the lock first; each time that found another
   * process had written after all, twice as many are needed (a miss costs reloading the account).
   */
  quietCommits: number;
  quietNeeded: number;
  changes: PendingChange[];
  reads: PendingRead[];
  running: Promise<void> | null;
  /** The last `latestEntries` answer about committed entries, and the question it answers (kinds and range). */
  latest?: { question: string; entries: JournalEntry[] };
}

/** What the decides of one group produced, and what must be written for it (null: nothing). */
interface DecidedGroup {
  decided: Array<{ change: PendingChange; result: unknown }>;
  /** Changes beyond the group's entry limit, for the next group. */
  left: PendingChange[];
  alerts: Alert[];
  write: TenantWrite | null;
}

/** A decide threw or produced entries that do not continue the journal: its change fails, the others are decided again. */
class RefusedChange extends Error {
  constructor(
    readonly change: PendingChange,
    readonly refusal: unknown,
  ) {
    super('a change was refused');
  }
}

/**
 * The ledger in PostgreSQL, shared by any number of processes. Each process caches accounts as
 * `Account` objects, and the decides waiting in a process for one tenant run together, one after
 * another, against the cached account; their entries, keys, lots, alerts and the account row are
 * then written in one statement (`changeWriter.ts`).
 *
 * Under the lock, a change locks the tenant's account row (`SELECT … FOR UPDATE`), so one tenant's
 * changes serialise across processes, catches the cached account up with the entries other
 * processes wrote (or loads it from its snapshot), decides, writes and commits. A unique violation
 * (another process opened the account, or holds a key this one did not know) rolls back; the
 * account is reloaded and the changes decided again.
 *
 * While no other process has been seen writing a tenant, its changes first try without the lock:
 * the write is a statement on its own that writes nothing unless the account row still counts the
 * entries the cache counts, so it costs one round trip, and if another process did write, nothing
 * is kept and the changes go under the lock. Whenever a write fails, the cached account, which the
 * decides changed in place, is dropped.
 */
class PostgresLedger implements PostgresLedgerStore {
  private readonly lines = new Map<string, TenantLine>();
  private readonly listened = new WeakSet<pg.PoolClient>();
  private readonly listeners: Array<(alerts: StoredAlert[]) => void> = [];
  private readonly databaseHealth: DatabaseHealth;
  private readonly counters: LoadCounters & { transactions: number; conflicts: number } = { transactions: 0, conflicts: 0, coldLoads: 0, entriesApplied: 0 };
  private readonly snapshotEveryEntries: number;
  private readonly reportError: (error: unknown) => void;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly pool: pg.Pool,
    options: PostgresLedgerStoreOptions,
  ) {
    this.snapshotEveryEntries = options.snapshotEveryEntries ?? 1_000;
    this.reportError = options.reportError ?? ((error) => consoleLog.error({ err: error }, 'ledger store: an alert listener failed'));
    this.databaseHealth = new DatabaseHealth(async () => {
      await this.pool.query('SELECT 1');
    }, options.probeIntervalMs ?? 1_000);
  }

  get stats(): PostgresLedgerStoreStats {
    return { ...this.counters };
  }

  change<T>(tenantId: string, decide: (account: Account | undefined) => Change<T> | NoChange<T>): Promise<T> {
    const refusal = this.refusal();
    if (refusal) return Promise.reject(refusal);
    return new Promise<T>((resolve, reject) => {
      const line = this.line(tenantId);
      line.changes.push({ decide, resolve: resolve as (result: unknown) => void, reject });
      this.run(line);
    });
  }

  account(tenantId: string): Promise<Account | undefined> {
    const refusal = this.refusal();
    if (refusal) return Promise.reject(refusal);
    return new Promise((resolve, reject) => {
      const line = this.line(tenantId);
      line.reads.push({ resolve, reject });
      this.run(line);
    });
  }

  async journal(tenantId: string, afterEntryNo: number, limit: number): Promise<JournalEntry[]> {
    const count = Math.floor(limit);
    if (count <= 0) return [];
    const { rows } = await this.read(() =>
      this.pool.query<{ entry: JournalEntry }>(
        prepared('SELECT entry FROM journal WHERE tenant_id = $1 AND entry_no > $2 ORDER BY entry_no LIMIT $3', [
          keyText(tenantId),
          Math.floor(afterEntryNo),
          count,
        ]),
      ),
    );
    return rows.map((row) => row.entry);
  }

  /**
   * One query: entries other than calls have an index of their own (`journal_besides_calls`), so
   * the calls between them are not read. The journal is append-only, so the answer about entries
   * that were all committed before the query never changes: the tenant's line keeps the last one,
   * and the same question (the balance card while the account stands still) costs no round trip.
   */
  async latestEntries(tenantId: string, query: LatestEntriesQuery): Promise<JournalEntry[]> {
    const limit = Math.floor(query.limit);
    const [from, before] = [Math.floor(query.from), Math.floor(query.before)];
    if (limit <= 0 || query.kinds.length === 0) return [];
    const question = JSON.stringify([query.kinds, from, before, limit]);
    const line = this.lines.get(tenantId);
    if (line?.latest?.question === question) return [...line.latest.entries];
    // The head counts committed entries only.
    const settled = (line?.head?.entryCount ?? 0) >= before - 1;
    // Stated as the index's condition, so the planner can use it.
    const besidesCalls = query.kinds.includes('usage') ? '' : ` AND kind <> 'usage'`;
    const { rows } = await this.read(() =>
      this.pool.query<{ entry: JournalEntry }>(
        prepared(
          `SELECT entry FROM journal WHERE tenant_id = $1 AND kind = ANY($2::text[])${besidesCalls} AND entry_no >= $3 AND entry_no < $4 ORDER BY entry_no DESC LIMIT $5`,
          [keyText(tenantId), query.kinds, from, before, limit],
        ),
      ),
    );
    const entries = rows.map((row) => row.entry);
    if (line && settled) line.latest = { question, entries };
    return entries;
  }

  async tenantIds(): Promise<string[]> {
    const { rows } = await this.read(() => this.pool.query<{ tenant_id: string }>('SELECT tenant_id FROM accounts'));
    return rows.map((row) => keyFromText(row.tenant_id));
  }

  /**
   * Every alert not yet acknowledged, oldest first, whichever process raised it. The bot delivers
   * them through `PostgresAlertDeliveries`, which claims each tenant's for one instance at a time.
   */
  async pendingAlerts(): Promise<StoredAlert[]> {
    const { rows } = await this.read(() =>
      this.pool.query<{ tenant_id: string; alert_no: string; alert: Alert }>(
        'SELECT tenant_id, alert_no, alert FROM alert_outbox ORDER BY raised_at, tenant_id, alert_no',
      ),
    );
    return rows.map((row) => ({ id: alertId(keyFromText(row.tenant_id), Number(row.alert_no)), alert: row.alert }));
  }

  /** Called in this process with the alerts of each of its own commits. */
  onAlerts(listener: (alerts: StoredAlert[]) => void): void {
    this.listeners.push(listener);
  }

  async acknowledgeAlert(id: string): Promise<void> {
    const parsed = parseAlertId(id);
    // An id this store never gave out names no alert: acknowledged already, as far as anyone can tell.
    await this.read(async () => {
      if (parsed) await this.pool.query('DELETE FROM alert_outbox WHERE tenant_id = $1 AND alert_no = $2', [keyText(parsed.tenantId), parsed.alertNo]);
    });
  }

  health(): StoreHealth {
    if (this.closing) return { ok: false, reason: 'The ledger store is closed.' };
    return this.databaseHealth.state;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      while (this.lines.size > 0) {
        const running = [...this.lines.values()].map((line) => line.running).filter((run): run is Promise<void> => run !== null);
        if (running.length === 0) break;
        await Promise.allSettled(running);
      }
      this.databaseHealth.stop();
      await this.pool.end();
    })();
    return this.closing;
  }

  private refusal(): Error | null {
    if (this.closing) return new Error('The ledger store is closed.');
    const reason = this.databaseHealth.reason;
    return reason ? new StoreUnavailableError(reason) : null;
  }

  /** Runs a query outside the tenant lines; a failure marks the store unavailable. */
  private async read<T>(query: () => Promise<T>): Promise<T> {
    const refusal = this.refusal();
    if (refusal) throw refusal;
    try {
      return await query();
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  /** Marks the store unavailable because of `error` and returns the error to reject with. */
  private unavailable(error: unknown): StoreUnavailableError {
    const reason = `${isConnectionFailure(error) ? 'the database does not answer' : 'a database operation failed'}: ${messageOf(error)}`;
    this.databaseHealth.failed(reason);
    return new StoreUnavailableError(reason);
  }

  /**
   * A connection of the pool for a transaction. A connection that ends while checked out reports
   * to its query and also emits 'error', which would otherwise be an uncaught exception.
   */
  private async connect(): Promise<pg.PoolClient> {
    const client = await this.pool.connect();
    if (!this.listened.has(client)) {
      client.on('error', () => undefined);
      this.listened.add(client);
    }
    return client;
  }

  private line(tenantId: string): TenantLine {
    let line = this.lines.get(tenantId);
    if (!line) {
      line = { tenantId, account: undefined, head: null, known: false, quietCommits: 0, quietNeeded: 1, changes: [], reads: [], running: null };
      this.lines.set(tenantId, line);
    }
    return line;
  }

  private run(line: TenantLine): void {
    if (line.running) return;
    line.running = this.drain(line).finally(() => {
      line.running = null;
      if (line.changes.length > 0 || line.reads.length > 0) this.run(line);
      // A tenant without an account keeps nothing worth caching.
      else if (!line.account) this.lines.delete(line.tenantId);
    });
  }

  /** Works through the line's queue: the changes waiting go in one transaction, then the reads are answered. */
  private async drain(line: TenantLine): Promise<void> {
    while (line.changes.length > 0 || line.reads.length > 0) {
      const changes = line.changes.splice(0);
      const reads = line.reads.splice(0);
      const refusal = this.refusal();
      if (refusal) {
        for (const waiting of [...changes, ...reads]) waiting.reject(refusal);
        continue;
      }
      try {
        if (changes.length > 0) await this.commitChanges(line, changes);
        else await this.refresh(line);
        for (const read of reads) read.resolve(line.account);
      } catch (error) {
        for (const read of reads) read.reject(error);
      }
    }
  }

  /** Brings the cached account up to date for a read: one query when nothing changed elsewhere. */
  private async refresh(line: TenantLine): Promise<void> {
    if (await this.caughtUpWithoutLock(line)) return;
    try {
      const head = await readHead(this.pool, line.tenantId, false);
      if (line.known && sameHead(head, line.head)) return;
      if (!head) {
        // No account (any more): nothing to load.
        forget(line);
        line.known = true;
        return;
      }
      const client = await this.connect();
      let broken: Error | undefined;
      try {
        // Repeatable read: the row, its snapshot, the keys and the entries as of one moment.
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        await this.catchUp(line, client, await readHead(client, line.tenantId, false));
        await client.query('COMMIT');
      } catch (error) {
        broken = error as Error;
        throw error;
      } finally {
        client.release(broken);
      }
    } catch (error) {
      forget(line);
      throw this.unavailable(error);
    }
  }

  /** Makes the cached account the one `head` describes, counting whether another process wrote since this one did. */
  private async catchUp(line: TenantLine, db: pg.ClientBase, head: AccountHead | null): Promise<void> {
    const cached = line.known ? line.account : undefined;
    line.quietCommits = line.known && sameHead(head, line.head) ? line.quietCommits + 1 : 0;
    line.account = await bringUpToDate(db, line.tenantId, cached, head, this.counters);
    line.head = head;
    line.known = true;
  }

  /** Commits `changes` (all of one tenant): without the lock while only this process writes the tenant, else under it. */
  private async commitChanges(line: TenantLine, changes: PendingChange[]): Promise<void> {
    const alone = line.known && line.quietCommits >= line.quietNeeded;
    let left = alone ? await this.commitWithoutLock(line, changes) : changes;
    // Another process writes this tenant too: one read catches the cached account up, then the guarded write is tried before the lock.
    if (left.length > 0 && (await this.caughtUpWithoutLock(line))) left = await this.commitWithoutLock(line, left);
    if (left.length > 0) await this.commitUnderLock(line, left);
  }

  /**
   * Catches a cached account up with what other processes wrote, in one statement outside any
   * transaction. False when there is no cached account to start from or it cannot be caught up
   * that way (the lock path then loads it, and reports any failure of the database).
   */
  private async caughtUpWithoutLock(line: TenantLine): Promise<boolean> {
    const cached = line.known ? line.account : undefined;
    if (!cached) return false;
    try {
      const caught = await catchUpInOneRead(this.pool, line.tenantId, cached, this.counters);
      if (!caught) {
        forget(line);
        return false;
      }
      line.quietCommits = sameHead(caught.head, line.head) ? line.quietCommits + 1 : 0;
      line.account = caught.account;
      line.head = caught.head;
      return true;
    } catch {
      // Entries applied before a failure may have changed the cached account in place.
      forget(line);
      return false;
    }
  }

  /**
   * The fast path, one round trip: decides against the cached account and writes in one statement
   * on its own (autocommit). The statement writes nothing unless the account row still stands
   * where the cache says, so if another process changed the account meanwhile nothing is kept and
   * the changes are decided again under the lock. A group with nothing to write holds if the
   * account row has not moved. Returns the changes left for the lock.
   */
  private async commitWithoutLock(line: TenantLine, changes: PendingChange[]): Promise<PendingChange[]> {
    const expected = line.head;
    let group: DecidedGroup;
    try {
      group = this.decideGroup(line, expected, changes);
    } catch (error) {
      forget(line);
      if (error instanceof RefusedChange) {
        error.change.reject(error.refusal);
        return changes.filter((change) => change !== error.change);
      }
      for (const change of changes) change.reject(error);
      return [];
    }
    try {
      const held = group.write ? await writeTenantChanges(this.pool, group.write) : sameHead(await readHead(this.pool, line.tenantId, false), expected);
      if (!held) {
        missedAlone(line);
        this.counters.conflicts++;
        // Result-only decides left the cached account as it was: the lock's catch-up starts from it.
        if (group.write) forget(line);
        return changes;
      }
    } catch (error) {
      forget(line);
      if (isConflict(error)) {
        missedAlone(line);
        this.counters.conflicts++;
        return changes;
      }
      const failure = this.unavailable(error);
      for (const change of changes) change.reject(failure);
      return [];
    }
    this.settle(line, expected, group);
    return [];
  }

  /**
   * Decides and commits `changes` in one transaction under the account row lock
   * (`SELECT … FOR UPDATE`), after catching the cached account up, settling each. A conflict (an
   * account or key inserted meanwhile by another process) rolls back and decides again.
   */
  private async commitUnderLock(line: TenantLine, changes: PendingChange[]): Promise<void> {
    let pending = changes;
    for (let conflicts = 0; pending.length > 0; ) {
      let client: pg.PoolClient;
      try {
        client = await this.connect();
      } catch (error) {
        forget(line);
        const failure = this.unavailable(error);
        for (const change of pending) change.reject(failure);
        return;
      }
      let broken: unknown;
      try {
        await client.query('BEGIN');
        await this.catchUp(line, client, await readHead(client, line.tenantId, true));
        const head = line.head;
        const group = this.decideGroup(line, head, pending);
        if (group.write && !(await writeTenantChanges(client, group.write))) {
          throw new Error(`The account row of tenant ${line.tenantId} changed while it was locked.`);
        }
        await client.query('COMMIT');
        this.settle(line, head, group);
        return;
      } catch (error) {
        forget(line);
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken = rollbackError;
        });
        if (error instanceof RefusedChange) {
          error.change.reject(error.refusal);
          pending = pending.filter((change) => change !== error.change);
          continue;
        }
        if (isConflict(error) && ++conflicts < CONFLICT_ATTEMPTS) {
          this.counters.conflicts++;
          continue;
        }
        const failure = isConflict(error)
          ? new Error(`The changes of tenant ${line.tenantId} kept conflicting with the database after ${CONFLICT_ATTEMPTS} attempts: ${messageOf(error)}`)
          : this.unavailable(error);
        for (const change of pending) change.reject(failure);
        return;
      } finally {
        // A connection that could not even roll back is closed rather than handed out again.
        client.release(broken === undefined ? undefined : true);
      }
    }
  }

  /** After a commit: the cache now matches the row, the alerts are told, and each change gets its result. */
  private settle(line: TenantLine, head: AccountHead | null, group: DecidedGroup): void {
    const write = group.write;
    if (write) {
      this.counters.transactions++;
      line.head = {
        entryCount: write.account.entryCount,
        alertCount: (head?.alertCount ?? 0) + write.alerts.length,
        snapshotEntryCount: write.snapshot?.entryCount ?? head?.snapshotEntryCount ?? 0,
      };
    }
    line.account?.keys.takeAddedUsage();
    line.changes.unshift(...group.left);
    const stored = group.alerts.map((alert, i) => ({ id: alertId(line.tenantId, (head?.alertCount ?? 0) + i + 1), alert }));
    if (stored.length > 0) this.tell(stored);
    for (const { change, result } of group.decided) change.resolve(result);
  }

  /**
   * Runs the decides one after another against the cached account, each seeing the ones before.
   * Throws `RefusedChange` for a decide that threw or broke the journal's sequence or the
   * ledger's invariant: the account may be half-changed, so the whole group is decided again.
   */
  private decideGroup(line: TenantLine, head: AccountHead | null, pending: PendingChange[]): DecidedGroup {
    const tenantId = line.tenantId;
    const lotsBefore = new Map((line.account?.lots ?? []).map((lot) => [lot.id, lot.remainingMinor]));
    const decided: Array<{ change: PendingChange; result: unknown }> = [];
    const entries: JournalEntry[] = [];
    const alerts: Alert[] = [];
    let left: PendingChange[] = [];
    for (const [i, change] of pending.entries()) {
      if (entries.length >= GROUP_ENTRY_LIMIT) {
        left = pending.slice(i);
        break;
      }
      const entryCount = line.account?.entryCount ?? 0;
      let outcome: Change<unknown> | NoChange<unknown>;
      try {
        outcome = change.decide(line.account);
      } catch (error) {
        throw new RefusedChange(change, error);
      }
      if (outcome.entries && (outcome.entries.length > 0 || outcome.alerts.length > 0)) {
        const problem =
          outcome.entries.length > 0
            ? (sequenceProblem(tenantId, entryCount, outcome) ?? invariantProblem(outcome.account))
            : line.account
              ? null
              : 'raised alerts for an account that does not exist';
        if (problem) throw new RefusedChange(change, new Error(`A change of tenant ${tenantId} ${problem}; it was not stored.`));
        if (outcome.entries.length > 0) line.account = outcome.account;
        entries.push(...outcome.entries);
        alerts.push(...outcome.alerts);
      }
      decided.push({ change, result: outcome.result });
    }
    const account = line.account;
    const pruned = account?.keys.usageRewriteRequired ? account.keys.takeUsageRewrite() : null;
    if (!account || (entries.length === 0 && alerts.length === 0 && !pruned)) return { decided, left, alerts, write: null };
    const snapshotDue = account.entryCount - (head?.snapshotEntryCount ?? 0) >= this.snapshotEveryEntries;
    return {
      decided,
      left,
      alerts,
      write: {
        tenantId,
        head,
        account,
        entries,
        alerts,
        lotsBefore,
        usageKeysBeforeDay: pruned ? oldestDay(pruned) : null,
        snapshot: snapshotDue ? toSnapshot(account) : null,
      },
    };
  }

  private tell(alerts: StoredAlert[]): void {
    for (const listener of this.listeners) {
      try {
        listener(alerts);
      } catch (error) {
        this.reportError(error);
      }
    }
  }
}

/** Drops the cached account: a decide may have changed it in place for a transaction that did not commit. */
function forget(line: TenantLine): void {
  line.account = undefined;
  line.head = null;
  line.known = false;
  line.quietCommits = 0;
}

/** Another process wrote the tenant after all: try without the lock only after twice as many quiet changes. */
function missedAlone(line: TenantLine): void {
  line.quietCommits = 0;
  line.quietNeeded = Math.min(line.quietNeeded * 2, MAX_QUIET_NEEDED);
}

function sameHead(a: AccountHead | null, b: AccountHead | null): boolean {
  return a?.entryCount === b?.entryCount && a?.alertCount === b?.alertCount;
}

function invariantProblem(account: Account): string | null {
  const violation = invariantViolation(account);
  return violation ? `broke the ledger invariant (${violation})` : null;
}

/**
 * The day of the oldest usage key left after a prune, from the remaining keys as packed
 * [hi, lo, day] triples. Every key row of the tenant is also in the cached account (caught up
 * under the lock, or found current by the write's guard on the account row), so the rows of
 * earlier days are exactly those the prune dropped; with no key left, every row goes.
 */
export function oldestDay(triples: Uint32Array): number {
  let oldest = 2 ** 31 - 1;
  for (let i = 2; i < triples.length; i += 3) oldest = Math.min(oldest, triples[i]!);
  return oldest;
}

/** Another transaction got there first: a key or an account row it inserted, or a serialisation failure or deadlock. */
function isConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === '40001' || code === '40P01';
}

/** The connection or the server went away or is out of resources, as opposed to a statement it refused. */
function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return /^(08|53|57P0[1-3])/.test(code) || /^E[A-Z]+$/.test(code);
  // pg's own errors for a connection that ended or never opened carry no code.
  return error instanceof AggregateError || /connection|terminated|timeout/i.test(messageOf(error));
}
