import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

/**
 * The machine's PostgreSQL for tests: `DATABASE_URL`, or the `PG*` variables, or 127.0.0.1:5432,
 * database `test`, as `postgres` or else `root` (trust authentication). Not reachable means the
 * test file fails: these tests are never skipped.
 */
async function adminUrl(): Promise<string> {
  const env = process.env;
  const candidates = env.DATABASE_URL
    ? [env.DATABASE_URL]
    : (env.PGUSER ? [env.PGUSER] : ['postgres', 'root']).map(
        (user) => `postgres://${encodeURIComponent(user)}@${env.PGHOST ?? '127.0.0.1'}:${env.PGPORT ?? '5432'}/${encodeURIComponent(env.PGDATABASE ?? 'test')}`,
      );
  const failures: string[] = [];
  for (const url of candidates) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    try {
      await client.connect();
      return url;
    } catch (error) {
      failures.push(`${url.replace(/:[^:@/]*@/, ':***@')}: ${(error as Error).message || String(error)}`);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(`PostgreSQL is needed for this test file and could not be reached (${failures.join('; ')}). Start it or set DATABASE_URL / PGHOST.`);
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** The same database with `schema` as the connection's search_path. */
function withSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

export interface TestDatabase {
  /** The test file's own database. */
  readonly url: string;
  /** Runs SQL as the admin in the test file's database. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
  /** An admin session of its own (for transactions); release it when done. */
  connect(): Promise<pg.PoolClient>;
  /** A new empty schema in the file's database, and the URL whose connections use it. */
  createSchema(): Promise<{ schema: string; url: string }>;
  dropSchema(schema: string): Promise<void>;
}

/**
 * A fresh database for the calling test file (created from template0 before its tests, dropped
 * after them), so test files run in parallel without sharing anything. Without PostgreSQL every
 * test of the file fails, saying so.
 */
export function useTestDatabase(): TestDatabase {
  const name = `ccbot_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  let admin: string;
  let url = '';
  let pool: pg.Pool | undefined;
  let schemas = 0;

  // A failure here is kept and thrown by every use, so each test fails with it rather than being skipped.
  let unavailable: unknown = null;
  const ready = (): pg.Pool => {
    if (unavailable) throw unavailable;
    return pool!;
  };

  beforeAll(async () => {
    try {
      admin = await adminUrl();
      const client = new pg.Client(admin);
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name} TEMPLATE template0`);
      } finally {
        await client.end();
      }
      url = withDatabase(admin, name);
      pool = new pg.Pool({ connectionString: url, max: 4 });
      pool.on('error', () => undefined);
    } catch (error) {
      unavailable = error;
    }
  });

  afterAll(async () => {
    await pool?.end();
    if (!pool) return;
    const client = new pg.Client(admin);
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await client.end();
    }
  });

  return {
    get url() {
      ready();
      return url;
    },
    query: (text, values) => ready().query(text, values),
    connect: () => ready().connect(),
    async createSchema() {
      const schema = `s${++schemas}`;
      await ready().query(`CREATE SCHEMA ${schema}`);
      return { schema, url: withSchema(url, schema) };
    },
    async dropSchema(schema) {
      await ready().query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
  };
}
