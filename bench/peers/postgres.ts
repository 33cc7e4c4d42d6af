import pg from 'pg';
import { addCalendarMonths, iso } from '../../services/calendar.js';
import type { UsageBatchOutcome, UsageRecord } from '../../services/ledger/applyUsage.js';
import { byTenant, checkRecord, drawFifo, emptyOutcome, PREFUND_MINOR, samplePricer, usageEntry, type LedgerBackend, type PlainLot } from './backend.js';

/** Connections in the pool: a usual size for a 2-core database server (requests beyond it queue in the client). */
export const PG_POOL_SIZE = 16;

const schemaSql = (schema: string) => `
CREATE SCHEMA ${schema};
SET search_path TO ${schema};
CREATE TABLE accounts (
  tenant_id text PRIMARY KEY, currency text NOT NULL, balance bigint NOT NULL, debt bigint NOT NULL,
  entry_count bigint NOT NULL, low_balance_alert bigint NOT NULL, last_usage_at bigint
);
CREATE TABLE lots (
  tenant_id text NOT NULL, lot_id text NOT NULL, purchased_at bigint NOT NULL, expires_at bigint NOT NULL,
  original bigint NOT NULL, remaining bigint NOT NULL, PRIMARY KEY (tenant_id, lot_id)
);
CREATE INDEX lots_fifo ON lots (tenant_id, purchased_at, lot_id) WHERE remaining > 0;
CREATE TABLE journal (
  tenant_id text NOT NULL, entry_no bigint NOT NULL, kind text NOT NULL, amount bigint NOT NULL,
  balance_after bigint NOT NULL, at text NOT NULL, actor text NOT NULL, idempotency_key text, detail jsonb NOT NULL,
  PRIMARY KEY (tenant_id, entry_no)
);
CREATE TABLE usage_keys (tenant_id text NOT NULL, record_id text NOT NULL, day integer NOT NULL, PRIMARY KEY (tenant_id, record_id));
`;

interface AccountRow {
  tenant_id: string;
  currency: string;
  balance: string;
  debt: string;
  entry_count: string;
}

/** Which role can log in: the machine's PostgreSQL trusts local connections as root or postgres. */
export async function pgConnectionConfig(): Promise<pg.ClientConfig> {
  const base = { host: process.env.PGHOST ?? '127.0.0.1', port: Number(process.env.PGPORT ?? 5432), database: process.env.PGDATABASE ?? 'test' };
  const users = process.env.PGUSER ? [process.env.PGUSER] : ['postgres', 'root'];
  let lastError: unknown;
  for (const user of users) {
    const client = new pg.Client({ ...base, user, connectionTimeoutMillis: 5_000 });
    try {
      await client.connect();
      await client.end();
      return { ...base, user };
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(`cannot connect to PostgreSQL at ${base.host}:${base.port}/${base.database}: ${String(lastError)}`);
}

/** Drops the schemas of bench runs that were killed before they could drop their own. */
export async function dropLeftoverSchemas(): Promise<void> {
  const client = new pg.Client(await pgConnectionConfig());
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'ccbench\\_%'");
    for (const { nspname } of rows) await client.query(`DROP SCHEMA IF EXISTS ${client.escapeIdentifier(nspname)} CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * PostgreSQL through pg, synchronous_commit on (checked): one transaction per request, set-based
 * (the same statements whatever the number of tenants and records): open missing accounts, lock
 * the accounts in tenant order (no deadlocks between concurrent requests), read their lots and the
 * keys already seen, then insert the journal entries and keys and write back lots and balances.
 * Each bench backend gets its own schema, dropped at close.
 */
export async function openPostgres(schema: string): Promise<LedgerBackend> {
  const config = await pgConnectionConfig();
  const setup = new pg.Client(config);
  await setup.connect();
  await setup.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await setup.query(schemaSql(schema));
  const settings = await setup.query<{ name: string; setting: string }>(
    "SELECT name, setting FROM pg_settings WHERE name IN ('synchronous_commit', 'fsync', 'wal_sync_method', 'full_page_writes') ORDER BY name",
  );
  const byName = Object.fromEntries(settings.rows.map((r) => [r.name, r.setting]));
  if (byName.synchronous_commit !== 'on' || byName.fsync !== 'on') throw new Error(`PostgreSQL is not durable as asked: ${JSON.stringify(byName)}`);
  await setup.end();

  const pool = new pg.Pool({ ...config, max: PG_POOL_SIZE, options: `-c search_path=${schema}` });
  const price = await samplePricer();

  const openAccounts = async (client: pg.PoolClient, tenants: string[], now: number): Promise<Set<string>> => {
    const opened = await client.query<{ tenant_id: string }>(
      `INSERT INTO accounts (tenant_id, currency, balance, debt, entry_count, low_balance_alert)
       SELECT t, 'USD', 0, 0, 1, 1000 FROM unnest($1::text[]) AS t ORDER BY t ON CONFLICT DO NOTHING RETURNING tenant_id`,
      [tenants],
    );
    const fresh = opened.rows.map((r) => r.tenant_id);
    if (fresh.length > 0) {
      const detail = JSON.stringify({
        kind: 'account-opened',
        currency: 'USD',
        lowBalanceAlertMinor: 1000,
        autoRecharge: { enabled: false, triggerMinor: 1000, amountMinor: 5000 },
      });
      await client.query(
        `INSERT INTO journal (tenant_id, entry_no, kind, amount, balance_after, at, actor, idempotency_key, detail)
         SELECT t, 1, 'account-opened', 0, 0, $2, 'system', NULL, $3::jsonb FROM unnest($1::text[]) AS t`,
        [fresh, iso(now), detail],
      );
    }
    return new Set(fresh);
  };

  const ingest = async (records: UsageRecord[]): Promise<UsageBatchOutcome> => {
    const outcome = emptyOutcome();
    const groups = byTenant(records);
    const tenants = [...groups.keys()].sort();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const now = Date.now();
      await openAccounts(client, tenants, now);
      const accounts = await client.query<AccountRow>(
        'SELECT tenant_id, currency, balance, debt, entry_count FROM accounts WHERE tenant_id = ANY($1::text[]) ORDER BY tenant_id FOR UPDATE',
        [tenants],
      );
      const lotRows = await client.query<{ tenant_id: string; lot_id: string; purchased_at: string; remaining: string }>(
        'SELECT tenant_id, lot_id, purchased_at, remaining FROM lots WHERE tenant_id = ANY($1::text[]) AND remaining > 0 ORDER BY tenant_id, purchased_at, lot_id',
        [tenants],
      );
      const seen = await client.query<{ tenant_id: string; record_id: string }>(
        'SELECT k.tenant_id, k.record_id FROM usage_keys k JOIN unnest($1::text[], $2::text[]) AS r(t, id) ON k.tenant_id = r.t AND k.record_id = r.id',
        [records.map((r) => r.tenantId), records.map((r) => r.id)],
      );
      const seenKeys = new Set(seen.rows.map((r) => `${r.tenant_id}\u0000${r.record_id}`));
      const lotsOf = new Map<string, PlainLot[]>();
      for (const l of lotRows.rows) {
        const list = lotsOf.get(l.tenant_id) ?? [];
        list.push({ lotId: l.lot_id, purchasedAt: Number(l.purchased_at), remainingMinor: Number(l.remaining) });
        lotsOf.set(l.tenant_id, list);
      }
      const j = {
        t: [] as string[],
        n: [] as number[],
        amount: [] as number[],
        after: [] as number[],
        at: [] as string[],
        key: [] as string[],
        detail: [] as string[],
        day: [] as number[],
      };
      const lotUpdates = { t: [] as string[], id: [] as string[], remaining: [] as number[] };
      const accountUpdates = { t: [] as string[], balance: [] as number[], debt: [] as number[], count: [] as number[] };
      for (const row of accounts.rows) {
        const items = groups.get(row.tenant_id)!;
        const lots = lotsOf.get(row.tenant_id) ?? [];
        const touched = new Set<PlainLot>();
        let balance = Number(row.balance);
        let debt = Number(row.debt);
        let count = Number(row.entry_count);
        let charged = 0;
        for (const { index, record } of items) {
          const keyId = `${record.tenantId}\u0000${record.id}`;
          if (seenKeys.has(keyId)) {
            outcome.duplicates++;
            continue;
          }
          const checked = checkRecord(record, row.currency, price, now);
          if (!checked.ok) {
            outcome.rejected.push({ index, error: checked.error });
            continue;
          }
          seenKeys.add(keyId);
          const charge = checked.value.minor;
          debt += drawFifo(lots, charge, touched);
          balance -= charge;
          const entry = usageEntry(record, ++count, charge, balance, checked.value.from, now);
          j.t.push(row.tenant_id);
          j.n.push(count);
          j.amount.push(entry.amountMinor);
          j.after.push(balance);
          j.at.push(entry.at);
          j.key.push(record.id);
          j.detail.push(JSON.stringify(entry.detail));
          j.day.push(Math.floor(Date.parse(record.startDateTime) / 86_400_000));
          charged++;
          outcome.accepted++;
        }
        if (charged === 0) continue;
        for (const lot of touched) {
          lotUpdates.t.push(row.tenant_id);
          lotUpdates.id.push(lot.lotId);
          lotUpdates.remaining.push(lot.remainingMinor);
        }
        accountUpdates.t.push(row.tenant_id);
        accountUpdates.balance.push(balance);
        accountUpdates.debt.push(debt);
        accountUpdates.count.push(count);
      }
      if (j.t.length > 0) {
        await client.query(
          `INSERT INTO journal (tenant_id, entry_no, kind, amount, balance_after, at, actor, idempotency_key, detail)
           SELECT t, n, 'usage', a, b, at, 'system', k, d::jsonb FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[]) AS x(t, n, a, b, at, k, d)`,
          [j.t, j.n, j.amount, j.after, j.at, j.key, j.detail],
        );
        await client.query('INSERT INTO usage_keys (tenant_id, record_id, day) SELECT * FROM unnest($1::text[], $2::text[], $3::int[])', [j.t, j.key, j.day]);
        if (lotUpdates.t.length > 0) {
          await client.query(
            'UPDATE lots SET remaining = v.r FROM unnest($1::text[], $2::text[], $3::bigint[]) AS v(t, id, r) WHERE lots.tenant_id = v.t AND lots.lot_id = v.id',
            [lotUpdates.t, lotUpdates.id, lotUpdates.remaining],
          );
        }
        await client.query(
          'UPDATE accounts SET balance = v.b, debt = v.d, entry_count = v.c, last_usage_at = $5 FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[]) AS v(t, b, d, c) WHERE accounts.tenant_id = v.t',
          [accountUpdates.t, accountUpdates.balance, accountUpdates.debt, accountUpdates.count, now],
        );
      }
      await client.query('COMMIT');
      return outcome;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };

  return {
    name: 'PostgreSQL · txn per request',
    durability: `synchronous_commit=${byName.synchronous_commit}, fsync=${byName.fsync}, wal_sync_method=${byName.wal_sync_method}, pool ${PG_POOL_SIZE}`,
    async prefund(tenants, extraLots) {
      const client = await pool.connect();
      try {
        const now = Date.now();
        await client.query('BEGIN');
        await openAccounts(client, [...tenants], now);
        const rows = tenants.flatMap((t, i) => Array.from({ length: i === 0 ? extraLots + 1 : 1 }, (_, k) => ({ t, k })));
        const expires = addCalendarMonths(now, 12);
        await client.query(
          `INSERT INTO lots (tenant_id, lot_id, purchased_at, expires_at, original, remaining)
           SELECT t, 'lot-' || (k + 2), $3::bigint + k, $4, $5, $5 FROM unnest($1::text[], $2::int[]) AS x(t, k)`,
          [rows.map((r) => r.t), rows.map((r) => r.k), now, expires, PREFUND_MINOR],
        );
        await client.query(
          `INSERT INTO journal (tenant_id, entry_no, kind, amount, balance_after, at, actor, idempotency_key, detail)
           SELECT t, k + 2, 'funds-added', $3::bigint, $3::bigint * (k + 1), $4, 'bench', 'prefund-' || k,
                  jsonb_build_object('kind', 'funds-added', 'lotId', 'lot-' || (k + 2), 'source', 'manual', 'expiresAt', $5::text, 'note', NULL)
           FROM unnest($1::text[], $2::int[]) AS x(t, k)`,
          [rows.map((r) => r.t), rows.map((r) => r.k), PREFUND_MINOR, iso(now), iso(expires)],
        );
        await client.query(
          `UPDATE accounts SET balance = $2::bigint * (CASE WHEN tenant_id = $3 THEN $4::int ELSE 1 END), entry_count = 1 + (CASE WHEN tenant_id = $3 THEN $4::int ELSE 1 END)
           WHERE tenant_id = ANY($1::text[])`,
          [[...tenants], PREFUND_MINOR, tenants[0], extraLots + 1],
        );
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    },
    ingest,
    async close() {
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await pool.end();
    },
  };
}
