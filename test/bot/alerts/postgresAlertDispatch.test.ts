import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertDispatcher, type AlertSink } from '../../../bot/alerts/alertDispatcher.js';
import { clientConfig } from '../../../data/postgres/connection.js';
import { PostgresAlertDeliveries } from '../../../data/postgres/postgresAlertDeliveries.js';
import { openPostgresLedgerStore } from '../../../data/postgres/postgresLedgerStore.js';
import type { AlertDeliveries } from '../../../services/alertDeliveries.js';
import type { StoredAlert } from '../../../services/alerts.js';
import { addFunds, recordUsage } from '../../data/ledgerFixtures.js';
import { useTestDatabase } from '../../data/postgresTestDatabase.js';

const database = useTestDatabase();
const closing: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close().catch(() => undefined);
});

const RECIPIENTS = ['teams:a', 'teams:b', 'mail:c'];
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

interface Send {
  alertId: string;
  recipient: string;
  instance: number;
}

/**
 * A sink as the real ones behave: one alert after another in the order it is called (as the Teams
 * sink's lanes do), and per recipient skip those recorded, send, record. `hang` freezes a send
 * until the delivery is aborted.
 */
function recordingSink(
  instance: number,
  deliveries: AlertDeliveries,
  sent: Send[],
  hang: (alertId: string, recipient: string) => boolean,
  dead: () => boolean,
): AlertSink {
  let lane: Promise<void> = Promise.resolve();
  const deliver = async (stored: StoredAlert, signal: AbortSignal) => {
    for (const recipient of RECIPIENTS) {
      if (deliveries.has(stored.id, recipient)) continue;
      signal.throwIfAborted();
      if (hang(stored.id, recipient)) {
        await new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
      }
      // A killed process sends nothing more.
      if (dead()) throw new Error('killed');
      sent.push({ alertId: stored.id, recipient, instance });
      await deliveries.record(stored.id, recipient);
    }
  };
  return {
    name: 'recording',
    deliver(stored, signal) {
      const mine = lane.catch(() => undefined).then(() => deliver(stored, signal));
      lane = mine;
      return mine;
    },
  };
}

async function openInstance(url: string, instance: number, sent: Send[], hang: (alertId: string, recipient: string) => boolean = () => false) {
  const store = await openPostgresLedgerStore({ url, poolSize: 2 });
  const pool = new pg.Pool({ ...clientConfig(url), max: 2 });
  pool.on('error', () => undefined);
  const deliveries = new PostgresAlertDeliveries(pool, `instance-${instance}`, 1_000);
  let dead = false;
  const dispatcher = new AlertDispatcher(store, deliveries, [recordingSink(instance, deliveries, sent, hang, () => dead)], { log: quiet, pollMs: 100 });
  await dispatcher.start();
  /** As a process killed: it sends nothing more and its connections close. */
  const kill = async () => {
    dead = true;
    await pool.end();
    await store.close();
  };
  closing.push(async () => {
    await dispatcher.close();
    await kill();
  });
  return { store, dispatcher, kill };
}

describe('alert delivery with several instances on one database', () => {
  it("delivers every alert to every recipient once and in each tenant's order, though an instance dies mid-delivery", async () => {
    const { url } = await database.createSchema();
    const sent: Send[] = [];
    let frozen: string | null = null;
    // Instance 0 freezes on the second recipient of the first alert it delivers.
    const instances = [
      await openInstance(url, 0, sent, (alertId, recipient) => {
        frozen ??= alertId;
        return alertId === frozen && recipient === 'teams:b';
      }),
      await openInstance(url, 1, sent),
      await openInstance(url, 2, sent),
    ];
    // Each tenant's changes go through one instance after another: alerts raised everywhere.
    const tenants = Array.from({ length: 9 }, (_, t) => `tenant-${t}`);
    await Promise.all(
      tenants.map(async (tenantId, t) => {
        const via = (step: number) => instances[(t + step) % 3]!.store;
        await via(0).change(tenantId, addFunds(tenantId, 5_000, `${tenantId}-f`));
        await via(1).change(tenantId, recordUsage(tenantId, [{ recordId: `${tenantId}-u1`, chargeMinor: 4_500 }])); // low balance
        await via(2).change(tenantId, recordUsage(tenantId, [{ recordId: `${tenantId}-u2`, chargeMinor: 600 }])); // suspended
        await via(0).change(tenantId, addFunds(tenantId, 9_000, `${tenantId}-g`)); // resumed
      }),
    );
    await expect.poll(() => frozen, { timeout: 10_000 }).not.toBeNull();
    await instances[0]!.kill();

    await expect
      .poll(async () => (await database.query(`SELECT count(*)::int AS n FROM ${schemaOf(url)}.alert_outbox`)).rows[0]!.n, { timeout: 30_000, interval: 200 })
      .toBe(0);
    await Promise.all(instances.slice(1).map(({ dispatcher }) => dispatcher.idle()));

    const raised = tenants.length * 3;
    const byPair = new Map<string, number>();
    for (const { alertId, recipient } of sent) byPair.set(`${alertId} ${recipient}`, (byPair.get(`${alertId} ${recipient}`) ?? 0) + 1);
    expect(byPair.size).toBe(raised * RECIPIENTS.length);
    expect([...byPair].filter(([, count]) => count !== 1)).toEqual([]);
    // The frozen alert's first recipient got it from the instance that died, the others from the one that took over.
    const frozenSends = sent.filter((send) => send.alertId === frozen);
    expect(frozenSends.find((send) => send.recipient === 'teams:a')?.instance).toBe(0);
    expect(frozenSends.find((send) => send.recipient === 'teams:b')?.instance).not.toBe(0);
    // Every recipient got each tenant's alerts in the order raised.
    for (const tenantId of tenants) {
      for (const recipient of RECIPIENTS) {
        const numbers = sent
          .filter((send) => send.recipient === recipient && send.alertId.endsWith(`@${tenantId}`))
          .map((send) => Number(send.alertId.split('@')[0]));
        expect(numbers).toEqual([1, 2, 3]);
      }
    }
    // More than one instance delivered.
    expect(new Set(sent.map((send) => send.instance)).size).toBeGreaterThan(1);
  }, 60_000);
});

function schemaOf(url: string): string {
  return /search_path%3D(\w+)|search_path=(\w+)/.exec(decodeURIComponent(url))?.slice(1).find(Boolean) ?? 'public';
}
