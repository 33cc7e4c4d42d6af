import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import pg from 'pg';

/** The versioned SQL migrations, applied in file-name order. */
const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));
/** node-pg-migrate's record of the migrations applied, in the schema of the tables. */
const MIGRATIONS_TABLE = 'pgmigrations';

/**
 * Brings the database at `connection` up to the latest schema. node-pg-migrate takes its advisory
 * lock first and waits for it, so instances starting together apply each migration once, and all
 * pending migrations run in one transaction. The tables go to the connection's current schema
 * (`public` unless the URL's `options` set a search_path). Returns the names of those applied.
 */
export async function migrateDatabase(connection: pg.ClientConfig, log: (message: string) => void = () => undefined): Promise<string[]> {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    const { rows } = await client.query<{ schema: string | null }>('SELECT current_schema() AS schema');
    const schema = rows[0]?.schema;
    if (!schema) throw new Error('The database connection has no current schema: its search_path names no schema that exists.');
    const applied = await runner({
      dbClient: client,
      dir: MIGRATIONS_DIR,
      direction: 'up',
      migrationsTable: MIGRATIONS_TABLE,
      schema,
      advisoryLockMode: 'wait',
      singleTransaction: true,
      checkOrder: true,
      // Its progress lines are left out; warnings (a rollback) are passed on.
      logger: { debug: () => undefined, info: () => undefined, warn: log, error: log },
    });
    return applied.map((migration) => migration.name);
  } finally {
    await client.end();
  }
}
