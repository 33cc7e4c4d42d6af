import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { clientConfig } from '../../data/postgres/connection.js';
import { migrateDatabase } from '../../data/postgres/migrate.js';
import type { TestDatabase } from './postgresTestDatabase.js';

/**
 * Where a contract suite keeps a store: it makes an empty place, opens the store kept there (again
 * and again: each open is another process, or another instance), and removes the place with
 * whatever was opened on it.
 */
export interface StorePlaces<S> {
  create(): Promise<string>;
  open(place: string): Promise<S>;
  remove(place: string): Promise<void>;
}

/** The embedded store: a temporary folder. */
export function folderPlaces<S>(open: (dir: string) => Promise<S>): StorePlaces<S> {
  return {
    create: () => mkdtemp(path.join(os.tmpdir(), 'state-contract-')),
    open,
    remove: (dir) => rm(dir, { recursive: true, force: true }),
  };
}

/** PostgreSQL: a migrated schema of the test file's database; each open has a pool of its own. */
export function schemaPlaces<S>(database: TestDatabase, open: (pool: pg.Pool) => S | Promise<S>): StorePlaces<S> {
  const schemas = new Map<string, string>();
  const pools = new Map<string, pg.Pool[]>();
  return {
    async create() {
      const { schema, url } = await database.createSchema();
      await migrateDatabase(clientConfig(url));
      schemas.set(url, schema);
      pools.set(url, []);
      return url;
    },
    async open(url) {
      const pool = new pg.Pool({ ...clientConfig(url), max: 4 });
      pools.get(url)!.push(pool);
      return open(pool);
    },
    async remove(url) {
      await Promise.all(pools.get(url)!.map((pool) => pool.end()));
      await database.dropSchema(schemas.get(url)!);
    },
  };
}
