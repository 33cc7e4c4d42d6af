import path from 'node:path';
import { consoleLog, type LedgerStore, type Log } from '../services/ports.js';
import { openLowdbLedgerStore } from './lowdbLedgerStore.js';
import { describeDatabase } from './postgres/connection.js';

/** Which store the configuration chooses: PostgreSQL when a database is given, else the embedded one. */
export interface LedgerStoreChoice {
  dataDir: string;
  checkpointMs: number;
  database: { url: string; poolSize: number } | null;
}

export interface OpenedLedgerStore {
  store: LedgerStore;
  /** What was opened, for the start-up log: the folder, or the database without its password. */
  description: string;
}

/** Opens the chosen store; PostgreSQL's pending migrations are applied first. */
export async function openLedgerStore(choice: LedgerStoreChoice, log: Log = consoleLog): Promise<OpenedLedgerStore> {
  const reportError = (error: unknown) => log.error({ err: error }, 'ledger store: a background task failed');
  if (!choice.database) {
    const store = await openLowdbLedgerStore({ dir: choice.dataDir, checkpointIntervalMs: choice.checkpointMs, reportError });
    return { store, description: `embedded, in ${path.resolve(choice.dataDir)}` };
  }
  const { url, poolSize } = choice.database;
  // Loaded only when chosen: the migration library alone takes a few hundred milliseconds to import.
  const { openPostgresLedgerStore } = await import('./postgres/postgresLedgerStore.js');
  const store = await openPostgresLedgerStore({ url, poolSize, reportError, log: (message) => log.info({}, `Database migration: ${message}`) });
  return { store, description: `PostgreSQL ${describeDatabase(url)}, pool of ${poolSize}` };
}
