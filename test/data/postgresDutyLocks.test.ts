import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../../data/postgres/connection.js';
import { migrateDatabase } from '../../data/postgres/migrate.js';
import { PostgresDutyLocks } from '../../data/postgres/postgresDutyLocks.js';
import { Duties } from '../../services/duties.js';
import { describeDutiesContract } from './dutiesContract.js';
import { useTestDatabase } from './postgresTestDatabase.js';

const database = useTestDatabase();
let url = '';
const pools: pg.Pool[] = [];

beforeAll(async () => {
  url = (await database.createSchema()).url;
  await migrateDatabase(clientConfig(url));
});
afterAll(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.end()));
});

/** An instance's duties, as the app opens them: a small pool, and the lock session of its own. */
function openInstance(): Duties {
  const pool = new pg.Pool({ ...clientConfig(url), max: 2 });
  pools.push(pool);
  return new Duties(new PostgresDutyLocks(clientConfig(url), pool));
}

describeDutiesContract('PostgreSQL advisory locks', async () => openInstance(), { severalInstances: true });

describe('PostgreSQL duty locks when an instance loses its database session', () => {
  it('aborts the duties of an instance whose session ended, and another instance takes them up at once', async () => {
    const dying = openInstance();
    const survivor = openInstance();
    let lost: unknown = null;
    let finish!: () => void;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const held = dying.tryRun('sweep', (signal) => {
      signal.addEventListener('abort', () => (lost = signal.reason), { once: true });
      started();
      return new Promise<void>((resolve) => (finish = resolve));
    });
    await running;
    expect(await survivor.tryRun('sweep', async () => 'survivor')).toBeNull();

    // As when the instance is killed or its connection drops: the server ends the session that holds the lock.
    const { rows } = await database.query<{ pid: number }>("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted");
    expect(rows).toHaveLength(1);
    await database.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);

    await expect.poll(() => lost, { timeout: 5_000 }).not.toBeNull();
    expect(await survivor.tryRun('sweep', async () => 'survivor')).toEqual({ value: 'survivor' });
    finish();
    await held;
    // The dying instance opens a new session for its next duty.
    expect(await dying.tryRun('recharge:t1', async () => 'back')).toEqual({ value: 'back' });
    await Promise.all([dying.close(), survivor.close()]);
  });
});
