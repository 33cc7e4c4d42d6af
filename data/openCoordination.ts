import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { AlertDeliveries } from '../services/alertDeliveries.js';
import { Duties, ProcessDutyLocks } from '../services/duties.js';
import type { Clock, LedgerStore } from '../services/ports.js';
import { EMBEDDED_DELIVERY_LOG, EmbeddedAlertDeliveries, type DeliveryLogData } from './embeddedAlertDeliveries.js';
import { openJsonDocument } from './jsonDocument.js';
import type { LedgerStoreChoice } from './openLedgerStore.js';

/** What keeps several instances from doing one thing twice: alert claims and duty locks. */
export interface Coordination {
  deliveries: AlertDeliveries;
  duties: Duties;
  /** What this instance is called in the alert claims it holds (host, process, a random part). */
  instance: string;
  /** Stops the duties (aborting those running) and releases the database connections. */
  close(): Promise<void>;
}

/**
 * Opens the coordination beside the ledger: with the embedded store, which one process owns, the
 * delivery record is `DATA_DIR/alert-deliveries.json` and claims and locks are this process's own;
 * with PostgreSQL (already migrated by `openLedgerStore`), claims and records are rows and duty
 * locks advisory locks, through a small pool and a lock session of their own.
 */
export async function openCoordination(choice: LedgerStoreChoice, store: LedgerStore, options: { clock: Clock; alertLeaseMs: number }): Promise<Coordination> {
  const instance = `${os.hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  if (!choice.database) {
    const document = await openJsonDocument<DeliveryLogData>(path.join(choice.dataDir, EMBEDDED_DELIVERY_LOG), {});
    const duties = new Duties(new ProcessDutyLocks(options.clock));
    return { deliveries: new EmbeddedAlertDeliveries(store, document, options.clock, options.alertLeaseMs), duties, instance, close: () => duties.close() };
  }
  const [{ openPool }, { clientConfig }, { PostgresAlertDeliveries }, { PostgresDutyLocks }] = await Promise.all([
    import('./postgres/pool.js'),
    import('./postgres/connection.js'),
    import('./postgres/postgresAlertDeliveries.js'),
    import('./postgres/postgresDutyLocks.js'),
  ]);
  const connection = clientConfig(choice.database.url);
  const pool = openPool(choice.database.url, 2);
  const duties = new Duties(new PostgresDutyLocks(connection, pool));
  return {
    deliveries: new PostgresAlertDeliveries(pool, instance, options.alertLeaseMs),
    duties,
    instance,
    async close() {
      await duties.close();
      await pool.end();
    },
  };
}
