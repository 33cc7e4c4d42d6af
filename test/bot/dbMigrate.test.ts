import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { migrateConfiguredDatabase } from '../../bot/dbMigrate.js';
import { useTestDatabase } from '../data/postgresTestDatabase.js';

const db = useTestDatabase();

describe('npm run db:migrate', () => {
  it('applies the pending migrations to DATABASE_URL’s database once', async () => {
    const { url, schema } = await db.createSchema();
    const migrations = (await readdir(new URL('../../data/postgres/migrations', import.meta.url))).map((file) => file.replace(/\.sql$/, '')).sort();
    expect(migrations.slice(0, 2)).toEqual(['0001_ledger', '0002_bot_state']);
    expect(await migrateConfiguredDatabase({ DATABASE_URL: url })).toMatchObject({ applied: migrations });
    expect(await migrateConfiguredDatabase({ DATABASE_URL: url })).toMatchObject({ applied: [] });
    const { rows } = await db.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [
      schema,
    ]);
    expect(rows.map((row) => row.table_name)).toEqual(
      expect.arrayContaining([
        'accounts',
        'alert_outbox',
        'journal',
        'known_conversations',
        'known_people',
        'lots',
        'operation_keys',
        'pgmigrations',
        'usage_keys',
      ]),
    );
  });

  it('says there is nothing to migrate without DATABASE_URL', async () => {
    await expect(migrateConfiguredDatabase({})).rejects.toThrow(/DATABASE_URL is not set/);
  });
});
