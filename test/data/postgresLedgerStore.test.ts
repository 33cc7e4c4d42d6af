import { readdir } from 'node:fs/promises';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dayNumber } from '../../services/calendar.js';
import { ChangeDraft } from '../../services/ledger/changeDraft.js';
import { StoreUnavailableError } from '../../services/ports.js';
import type { StoredAlert } from '../../services/alerts.js';
import { migrateDatabase } from '../../data/postgres/migrate.js';
import { openPostgresLedgerStore, type PostgresLedgerStore, type PostgresLedgerStoreOptions } from '../../data/postgres/postgresLedgerStore.js';
import { comparableAccount, expectConsistent } from './ledgerStoreContract.js';
import { addFunds, DEFAULTS, recordUsage, T0, usageBatch, wholeJournal } from './ledgerFixtures.js';
import { useTestDatabase } from './postgresTestDatabase.js';
import { startTcpProxy } from './tcpProxy.js';

const db = useTestDatabase();

describe('PostgreSQL ledger store', () => {
  const opened: PostgresLedgerStore[] = [];
  const open = async (url: string, options: Partial<PostgresLedgerStoreOptions> = {}) => {
    const store = await openPostgresLedgerStore({ url, poolSize: 4, ...options });
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  /** How many statements the stores sent to the server meanwhile. */
  const countStatements = async (work: () => Promise<void>): Promise<number> => {
    const spy = vi.spyOn(pg.Client.prototype, 'query');
    try {
      await work();
      return spy.mock.calls.length;
    } finally {
      spy.mockRestore();
    }
  };

  /** The backend of this test's schema waiting on a lock, once there is one. */
  const lockedBackend = async (): Promise<number> => {
    let pid: number | undefined;
    await vi.waitFor(
      async () => {
        const { rows } = await db.query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'comms-credits-bot' AND wait_event_type = 'Lock'",
        );
        pid = rows[0]?.pid;
        expect(pid).toBeDefined();
      },
      { timeout: 10_000 },
    );
    return pid!;
  };

  it('lets two processes change one tenant at once: every key applies once and the balance equals the journal', async () => {
    const { url } = await db.createSchema();
    const [a, b] = [await open(url), await open(url)];
    await a.change('t', addFunds('t', 1_000_000, 'seed'));

    // Six batches of 100 records, each sent through both processes; ten fund keys, each pressed in both.
    const batches = Array.from({ length: 6 }, (_, i) => usageBatch(`batch${i}`, 100, 7));
    const charged = Promise.all([
      ...batches.map((batch) => a.change('t', recordUsage('t', batch))),
      ...batches.map((batch) => b.change('t', recordUsage('t', batch))),
    ]);
    const funds = Promise.all(Array.from({ length: 10 }, (_, k) => [a, b].map((store) => store.change('t', addFunds('t', 500, `f${k}`)))).flat());
    const [counts, entryIds] = await Promise.all([charged, funds]);

    expect(counts.reduce((sum, n) => sum + n, 0)).toBe(600);
    for (let k = 0; k < 10; k++) expect(entryIds[2 * k]).toBe(entryIds[2 * k + 1]);
    const journal = await wholeJournal(a, 't');
    const accountA = (await a.account('t'))!;
    const accountB = (await b.account('t'))!;
    expect(accountA.balanceMinor).toBe(1_000_000 + 10 * 500 - 600 * 7);
    expect(comparableAccount(accountB)).toEqual(comparableAccount(accountA));
    expectConsistent(accountA, journal);
    const keys = journal.map((entry) => entry.idempotencyKey).filter((key) => key !== null);
    expect(keys).toHaveLength(1 + 600 + 10);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('catches a stale cached account up with what another process wrote, for reads and for changes', async () => {
    const { url } = await db.createSchema();
    const [a, b] = [await open(url), await open(url)];
    await a.change('t', addFunds('t', 5_000, 'x'));
    expect((await a.account('t'))!.entryCount).toBe(2);

    await b.change('t', addFunds('t', 1_000, 'y'));
    await b.change('t', recordUsage('t', [{ recordId: 'r1', chargeMinor: 300 }]));
    const applied = a.stats.entriesApplied;
    const seen = (await a.account('t'))!;
    expect(seen.balanceMinor).toBe(5_700);
    expect(a.stats.entriesApplied - applied).toBe(2);
    expect(a.stats.coldLoads).toBe(0);

    // Decided on A against B's entries, without reading first: B's key and B's record are known.
    await b.change('t', addFunds('t', 2_000, 'z'));
    expect(await a.change('t', (account) => ({ result: account?.balanceMinor }))).toBe(7_700);
    expect(await a.change('t', addFunds('t', 1_000, 'y'))).toBe('3');
    expect(await a.change('t', recordUsage('t', [{ recordId: 'r1', chargeMinor: 300 }]))).toBe(0);
    expectConsistent((await b.account('t'))!, await wholeJournal(b, 't'));
  });

  it('answers the latest entries again without the database only while the question is about committed entries, whatever another process writes', async () => {
    const { url } = await db.createSchema();
    const [a, b] = [await open(url), await open(url)];
    const funds = { kinds: ['funds-added'] as const, from: 1, limit: 10 };
    await a.change('t', addFunds('t', 5_000, 'x'));
    await a.change('t', recordUsage('t', usageBatch('u', 20)));
    const before = (await a.account('t'))!.entryCount + 1;
    const first = await a.latestEntries('t', { ...funds, before });
    expect(first.map((e) => e.id)).toEqual(['2']);
    expect(await countStatements(async () => expect(await a.latestEntries('t', { ...funds, before })).toEqual(first))).toBe(0);

    // Another process adds funds: the same question has the same answer; the next one, asked after reading the account, finds them.
    await b.change('t', addFunds('t', 1_000, 'y'));
    expect(await a.latestEntries('t', { ...funds, before })).toEqual(first);
    const now = (await a.account('t'))!.entryCount + 1;
    expect((await a.latestEntries('t', { ...funds, before: now })).map((e) => e.id)).toEqual([String(now - 1), '2']);

    // A question reaching past what A has seen committed is asked again each time.
    const ahead = { ...funds, before: now + 5 };
    expect((await a.latestEntries('t', ahead)).map((e) => e.id)).toEqual([String(now - 1), '2']);
    await b.change('t', addFunds('t', 2_000, 'z'));
    expect((await a.latestEntries('t', ahead)).map((e) => e.id)).toEqual([String(now), String(now - 1), '2']);
  });

  it('catches a cached account up in one read and writes without the lock when another process writes the tenant too (two statements, no transaction)', async () => {
    const { url } = await db.createSchema();
    const [a, b] = [await open(url), await open(url)];
    await a.change('t', addFunds('t', 5_000, 'a0'));
    await b.change('t', addFunds('t', 1_000, 'b0'));
    const writes = a.stats.transactions;
    for (let i = 1; i <= 3; i++) {
      await b.change('t', addFunds('t', 1_000, `b${i}`));
      const spy = vi.spyOn(pg.Client.prototype, 'query');
      try {
        expect(await a.change('t', addFunds('t', 1_000, `a${i}`))).toBe(String(2 * i + 3));
        expect(spy.mock.calls.length).toBe(2);
        expect(spy.mock.calls.filter(([query]) => query === 'BEGIN')).toEqual([]);
      } finally {
        spy.mockRestore();
      }
    }
    expect(a.stats.transactions - writes).toBe(3);
    expect(a.stats.coldLoads).toBe(0);
    expect((await a.account('t'))!.balanceMinor).toBe(12_000);
    expectConsistent((await a.account('t'))!, await wholeJournal(a, 't'));
  });

  it('writes in one statement without the lock while alone, and decides again under it when another process wrote meanwhile', async () => {
    const { url } = await db.createSchema();
    const [a, b] = [await open(url), await open(url)];
    for (let i = 0; i < 3; i++) await a.change('t', addFunds('t', 1_000, `a${i}`));
    const statements = await countStatements(async () => {
      await a.change('t', addFunds('t', 1_000, 'alone'));
    });
    expect(statements).toBe(1);

    await b.change('t', addFunds('t', 1_000, 'b'));
    expect(await a.change('t', addFunds('t', 1_000, 'b'))).toBe('6');
    expect(a.stats.conflicts).toBe(1);
    // A result-only decide is checked against the account row too.
    await a.change('t', addFunds('t', 1_000, 'settle'));
    await a.change('t', addFunds('t', 1_000, 'settled'));
    await b.change('t', addFunds('t', 1_000, 'b2'));
    expect(await a.change('t', (account) => ({ result: account?.balanceMinor }))).toBe(8_000);
    expect(a.stats.conflicts).toBe(2);
    expectConsistent((await a.account('t'))!, await wholeJournal(a, 't'));
  });

  it('builds a cold process’s account from the latest snapshot, the usage keys and the entries after it', async () => {
    const { url, schema } = await db.createSchema();
    const a = await open(url, { snapshotEveryEntries: 50 });
    await a.change('t', addFunds('t', 100_000, 'seed'));
    for (let i = 0; i < 3; i++) await a.change('t', recordUsage('t', usageBatch(`b${i}`, 40)));
    const { rows } = await db.query<{ snapshot_entry_count: string }>(`SELECT snapshot_entry_count FROM ${schema}.accounts`);
    expect(rows[0]!.snapshot_entry_count).toBe('82');

    const cold = await open(url);
    const account = (await cold.account('t'))!;
    expect(cold.stats).toMatchObject({ coldLoads: 1, entriesApplied: 122 - 82 });
    expect(comparableAccount(account)).toEqual(comparableAccount((await a.account('t'))!));
    expect(await cold.change('t', recordUsage('t', usageBatch('b0', 40)))).toBe(0);
  });

  // A process without the account cached takes the lock; one holding it catches up in one read and
  // writes without the lock; after a quiet change it writes without even that read.
  it.each([
    { path: 'under the lock', cold: true, warmUps: 0 },
    { path: 'caught up in one read, without the lock', cold: false, warmUps: 0 },
    { path: 'alone, without the lock', cold: false, warmUps: 2 },
  ])('leaves nothing half-written when its write is killed midway ($path), and recovers', async ({ cold, warmUps }) => {
    const { url, schema } = await db.createSchema();
    const seeder = await open(url, { probeIntervalMs: 50 });
    await seeder.change('t', addFunds('t', 100_000, 'seed'));
    for (let i = 0; i < warmUps; i++) await seeder.change('t', addFunds('t', 1_000, `warm-${i}`));
    const store = cold ? await open(url, { probeIntervalMs: 50 }) : seeder;
    const before = await db.query(`SELECT * FROM ${schema}.accounts`);
    const entries = 2 + warmUps;

    // Another session holds record b-7's key uncommitted: the store's write stops there, its journal rows already inserted.
    const blocker = await db.connect();
    await blocker.query('BEGIN');
    await blocker.query(`INSERT INTO ${schema}.usage_keys (tenant_id, record_id, day) VALUES ('t', 'b-7', 1)`);
    const batch = recordUsage('t', usageBatch('b', 20));
    const begins = vi.spyOn(pg.Client.prototype, 'query');
    // Its refusal is awaited from the start: it may come while the backend is being terminated.
    const refused = expect(store.change('t', batch)).rejects.toBeInstanceOf(StoreUnavailableError);
    await db.query('SELECT pg_terminate_backend($1)', [await lockedBackend()]);
    await refused;
    expect(begins.mock.calls.some(([query]) => query === 'BEGIN')).toBe(cold);
    begins.mockRestore();
    expect(store.health().ok).toBe(false);
    await blocker.query('ROLLBACK');
    blocker.release();

    expect((await db.query(`SELECT * FROM ${schema}.accounts`)).rows).toEqual(before.rows);
    expect((await db.query(`SELECT count(*)::int AS n FROM ${schema}.journal`)).rows).toEqual([{ n: entries }]);
    expect((await db.query(`SELECT count(*)::int AS n FROM ${schema}.usage_keys`)).rows).toEqual([{ n: 0 }]);
    await vi.waitFor(() => expect(store.health()).toEqual({ ok: true, reason: null }));
    expect(await store.change('t', batch)).toBe(20);
    expectConsistent((await store.account('t'))!, await wholeJournal(store, 't'));
  });

  it('says it is unavailable while the database does not answer, refuses work with StoreUnavailableError, and recovers by itself', async () => {
    const { url } = await db.createSchema();
    const target = new URL(url);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    try {
      const proxied = new URL(url);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(proxy.port);
      const store = await open(proxied.toString(), { probeIntervalMs: 50 });
      await store.change('t', addFunds('t', 5_000, 'before'));
      expect(store.health()).toEqual({ ok: true, reason: null });

      await proxy.cut();
      await expect(store.change('t', addFunds('t', 1_000, 'during'))).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(store.health().ok).toBe(false);
      expect(store.health().reason).toMatch(/does not answer/);
      await expect(store.account('t')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.journal('t', 0, 10)).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.pendingAlerts()).rejects.toBeInstanceOf(StoreUnavailableError);

      await proxy.restore();
      await vi.waitFor(() => expect(store.health()).toEqual({ ok: true, reason: null }), { timeout: 10_000 });
      await store.change('t', addFunds('t', 1_000, 'during'));
      const account = (await store.account('t'))!;
      expect(account.balanceMinor).toBe(6_000);
      expectConsistent(account, await wholeJournal(store, 't'));
    } finally {
      await proxy.stop();
    }
  });

  it('rolls back, catches up and decides again when another process opened the account first', async () => {
    const { url, schema } = await db.createSchema();
    const store = await open(url);
    const draft = new ChangeDraft(undefined, 't', T0);
    draft.open('USD', DEFAULTS);
    const opening = draft.entries[0]!;

    // The other process has inserted the account and its first entry but not yet committed.
    const other = await db.connect();
    await other.query('BEGIN');
    await other.query(
      `INSERT INTO ${schema}.journal (tenant_id, entry_no, kind, amount_minor, balance_after_minor, at, idempotency_key, entry) VALUES ('t', 1, $1, 0, 0, $2, NULL, $3)`,
      [opening.kind, opening.at, JSON.stringify(opening)],
    );
    await other.query(
      `INSERT INTO ${schema}.accounts (tenant_id, currency, opened_at, balance_minor, debt_minor, lots_minor, entry_count) VALUES ('t', 'USD', $1, 0, 0, 0, 1)`,
      [opening.at],
    );
    const change = store.change('t', addFunds('t', 2_500, 'k'));
    await lockedBackend();
    await other.query('COMMIT');
    other.release();

    expect(await change).toBe('2');
    expect(store.stats.conflicts).toBe(1);
    const journal = await wholeJournal(store, 't');
    expect(journal.map((entry) => entry.kind)).toEqual(['account-opened', 'funds-added']);
    expect(journal[0]).toEqual(opening);
    expectConsistent((await store.account('t'))!, journal);
  });

  it('commits concurrent changes of one tenant together, in fewer transactions', async () => {
    const { url } = await db.createSchema();
    const store = await open(url);
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.change('t', addFunds('t', 100, `k${i}`))));
    expect(store.stats.transactions).toBeLessThan(25);
    expect((await store.account('t'))!.balanceMinor).toBe(5_000);
  });

  it('refuses a change whose entries do not continue the journal, stores nothing of it, and goes on', async () => {
    const { url } = await db.createSchema();
    const store = await open(url);
    await store.change('t', addFunds('t', 2_000, 'f'));
    const account = (await store.account('t'))!;
    const [opening] = await store.journal('t', 0, 1);
    await expect(store.change('t', () => ({ account, entries: [opening!], alerts: [], result: null }))).rejects.toThrow(/was not stored/);
    await store.change('t', addFunds('t', 1_000, 'g'));
    expect((await wholeJournal(store, 't')).map((entry) => entry.idempotencyKey)).toEqual([null, 'f', 'g']);
  });

  it('keeps tenant ids and keys PostgreSQL text cannot hold apart, and gives them back exactly', async () => {
    const { url } = await db.createSchema();
    let store = await open(url);
    const tenants = ['plain', '"quoted"', 'nul\u0000x', 'lone\uD800', 'lone\uFFFD', ''];
    const records = ['r\u0000', 'r\uD800', 'r\uFFFD', '"r"', 'r', 'r\uDC00x'];
    for (const tenant of tenants) {
      await store.change(tenant, addFunds(tenant, 10_000, 'k\u0000'));
      await store.change(tenant, addFunds(tenant, 10_000, 'k\uD800'));
      expect(
        await store.change(
          tenant,
          recordUsage(
            tenant,
            records.map((recordId) => ({ recordId, chargeMinor: 1 })),
          ),
        ),
      ).toBe(records.length);
    }
    expect((await store.tenantIds()).sort()).toEqual([...tenants].sort());

    await store.close();
    store = await open(url);
    for (const tenant of tenants) {
      expect(
        await store.change(
          tenant,
          recordUsage(
            tenant,
            records.map((recordId) => ({ recordId, chargeMinor: 1 })),
          ),
        ),
      ).toBe(0);
      expect(await store.change(tenant, addFunds(tenant, 10_000, 'k\u0000'))).toBe('2');
      const journal = await wholeJournal(store, tenant);
      expect(journal.flatMap((entry) => (entry.detail.kind === 'usage' ? [entry.detail.usage.recordId] : []))).toEqual(records);
      expect(journal.every((entry) => entry.tenantId === tenant)).toBe(true);
      expect((await store.account(tenant))!.balanceMinor).toBe(20_000 - records.length);
    }
  });

  it('deletes the usage keys the sweep pruned, so a process loading the snapshot does not hold them', async () => {
    const { url, schema } = await db.createSchema();
    const store = await open(url, { snapshotEveryEntries: 5 });
    const day = 86_400_000;
    await store.change('t', addFunds('t', 100_000, 'seed'));
    await store.change('t', recordUsage('t', usageBatch('old', 5), T0 - 100 * day));
    await store.change('t', recordUsage('t', usageBatch('new', 3), T0));
    // As the sweep does: forget keys of calls that started before a day, inside a change that may record nothing.
    await store.change('t', (account) => {
      account!.keys.pruneUsageBefore(dayNumber(T0 - 10 * day));
      return { result: null };
    });
    const { rows } = await db.query<{ record_id: string }>(`SELECT record_id FROM ${schema}.usage_keys ORDER BY record_id`);
    expect(rows.map((row) => row.record_id)).toEqual(['new-0', 'new-1', 'new-2']);

    const cold = await open(url);
    const account = (await cold.account('t'))!;
    expect(account.keys.usageCount).toBe(3);
    expect(account.keys.hasUsage('old-0')).toBe(false);
    expect(account.keys.hasUsage('new-0')).toBe(true);
  });

  it('shares alerts between processes: any of them lists and acknowledges them; listeners hear only their own commits', async () => {
    const { url } = await db.createSchema();
    const [a, b] = [await open(url), await open(url)];
    const heardByA: StoredAlert[] = [];
    const heardByB: StoredAlert[] = [];
    a.onAlerts((alerts) => heardByA.push(...alerts));
    b.onAlerts((alerts) => heardByB.push(...alerts));
    await a.change('t', addFunds('t', 2_000, 'f'));
    await a.change('t', recordUsage('t', [{ recordId: 'u1', chargeMinor: 1_500 }]));
    await b.change('t', recordUsage('t', [{ recordId: 'u2', chargeMinor: 1_000 }]));

    expect(heardByA.map((stored) => stored.alert.type)).toEqual(['low-balance']);
    expect(heardByB.map((stored) => stored.alert.type)).toEqual(['suspended']);
    expect(await a.pendingAlerts()).toEqual([...heardByA, ...heardByB]);
    await b.acknowledgeAlert(heardByA[0]!.id);
    expect(await a.pendingAlerts()).toEqual(heardByB);
  });

  it('applies each migration once when several processes start together', async () => {
    const { url, schema } = await db.createSchema();
    const applied = await Promise.all(Array.from({ length: 4 }, () => migrateDatabase({ connectionString: url })));
    await Promise.all(Array.from({ length: 2 }, () => open(url)));
    const shipped = (await readdir(new URL('../../data/postgres/migrations/', import.meta.url))).map((file) => file.replace(/\.sql$/, '')).sort();
    expect(shipped[0]).toBe('0001_ledger');
    expect(applied.flat()).toEqual(shipped);
    const { rows } = await db.query<{ name: string }>(`SELECT name FROM ${schema}.pgmigrations ORDER BY id`);
    expect(rows.map((row) => row.name)).toEqual(shipped);
  });

  it('keeps the journal append-only: UPDATE, DELETE and TRUNCATE are refused', async () => {
    const { url, schema } = await db.createSchema();
    const store = await open(url);
    await store.change('t', addFunds('t', 2_000, 'f'));
    await expect(db.query(`UPDATE ${schema}.journal SET amount_minor = 0`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM ${schema}.journal`)).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE ${schema}.journal`)).rejects.toThrow(/append-only/);
    expect(await wholeJournal(store, 't')).toHaveLength(2);
  });

  it('checks the money in the database too: balance = lots − debt, no debt beside lots, a lot within its original amount, keys once', async () => {
    const { url, schema } = await db.createSchema();
    const store = await open(url);
    await store.change('t', addFunds('t', 2_000, 'f'));
    await store.change('t', recordUsage('t', [{ recordId: 'u1', chargeMinor: 500 }]));
    await expect(db.query(`UPDATE ${schema}.accounts SET balance_minor = balance_minor + 1`)).rejects.toThrow(/balance_is_lots_less_debt/);
    await expect(db.query(`UPDATE ${schema}.accounts SET debt_minor = 10, balance_minor = balance_minor - 10`)).rejects.toThrow(/no_debt_while_lots_remain/);
    await expect(db.query(`UPDATE ${schema}.lots SET remaining_minor = original_minor + 1`)).rejects.toThrow(/remaining_within_original/);
    await expect(db.query(`UPDATE ${schema}.lots SET remaining_minor = 0`)).rejects.toThrow(/remaining_within_original/);
    await expect(db.query(`INSERT INTO ${schema}.operation_keys (tenant_id, key, kind, entry_no) VALUES ('t', 'f', 'funds-added', 9)`)).rejects.toMatchObject({
      code: '23505',
    });
    await expect(db.query(`INSERT INTO ${schema}.usage_keys (tenant_id, record_id, day) VALUES ('t', 'u1', 1)`)).rejects.toMatchObject({ code: '23505' });
    const { rows } = await db.query(`SELECT lot_id, original_minor, remaining_minor FROM ${schema}.lots`);
    expect(rows).toEqual([{ lot_id: 'lot-f', original_minor: '2000', remaining_minor: '1500' }]);
  });

  it('puts tenant_id first in every primary key and unique index, so the tables can be distributed by tenant', async () => {
    const { url, schema } = await db.createSchema();
    await open(url);
    const { rows } = await db.query<{ table: string; first: string }>(
      `SELECT t.relname AS table, a.attname AS first
       FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0]
       WHERE n.nspname = $1 AND x.indisunique AND t.relname <> 'pgmigrations'`,
      [schema],
    );
    const tables = await db.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename <> 'pgmigrations'`, [schema]);
    // Every table has a unique key, and every unique key starts with the tenant.
    expect(new Set(rows.map((row) => row.table))).toEqual(new Set(tables.rows.map((row) => row.tablename)));
    expect(rows.map((row) => row.table)).toEqual(expect.arrayContaining(['accounts', 'alert_outbox', 'journal', 'lots', 'operation_keys', 'usage_keys']));
    expect(rows.filter((row) => row.first !== 'tenant_id')).toEqual([]);
  });
});
