import { createHash } from 'node:crypto';
import pg from 'pg';
import type { DutyLease, DutyLocks } from '../../services/duties.js';
import { keyText } from './keyText.js';

/** A session of its own, holding the advisory locks of the duties this process runs. */
interface LockSession {
  client: pg.Client;
  /** Aborts when the session ends: every lock it held is gone. */
  ended: AbortController;
}

/**
 * Duty locks across instances: PostgreSQL session-level advisory locks, taken with
 * `pg_try_advisory_lock` on one connection of their own (a pooled connection would hand the
 * session, and its locks, to other work). A lock is held while its duty runs and released after;
 * if the instance dies, its connection closes and the server releases its locks at once, so
 * another instance can take the duty up. If the connection drops, every lease's `lost` aborts.
 * Periodic duties record their starts in `duty_runs`.
 */
export class PostgresDutyLocks implements DutyLocks {
  private session: Promise<LockSession> | null = null;
  private closed = false;

  constructor(
    private readonly connection: pg.ClientConfig,
    private readonly pool: pg.Pool,
  ) {}

  async tryLock(name: string): Promise<DutyLease | null> {
    const session = await this.open();
    const key = lockKey(name);
    const { rows } = await session.client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key]);
    if (!rows[0]?.locked) return null;
    return {
      lost: session.ended.signal,
      release: async () => {
        // A session that ended holds nothing any more.
        if (session.ended.signal.aborted) return;
        await session.client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => undefined);
      },
    };
  }

  async claimPeriod(name: string, minGapMs: number): Promise<boolean> {
    const { tenantId, duty } = dutyRow(name);
    const { rowCount } = await this.pool.query(
      `INSERT INTO duty_runs AS d (tenant_id, name, last_started_at) VALUES ($1, $2, now())
       ON CONFLICT (tenant_id, name) DO UPDATE SET last_started_at = now() WHERE d.last_started_at <= now() - $3 * interval '1 millisecond'`,
      [keyText(tenantId), duty, Math.floor(minGapMs)],
    );
    return rowCount === 1;
  }

  async close(): Promise<void> {
    this.closed = true;
    const session = await this.session?.catch(() => null);
    this.session = null;
    await session?.client.end().catch(() => undefined);
  }

  private open(): Promise<LockSession> {
    if (this.closed) return Promise.reject(new Error('The duty locks are closed.'));
    if (this.session) return this.session;
    const opening = (async () => {
      const client = new pg.Client(this.connection);
      const ended = new AbortController();
      const end = (error?: unknown) => {
        ended.abort(error ?? new Error('the duty lock session ended'));
        if (this.session === opening) this.session = null;
      };
      client.on('error', end);
      client.on('end', () => end());
      try {
        await client.connect();
      } catch (error) {
        end(error);
        throw error;
      }
      return { client, ended };
    })();
    this.session = opening;
    return opening;
  }
}

/** A tenant's duty is named `<duty>:<tenantId>` (`graph-sync:…`), its row that tenant's; a deployment's (`sweep`) has the empty tenant. */
function dutyRow(name: string): { tenantId: string; duty: string } {
  const colon = name.indexOf(':');
  return colon < 0 ? { tenantId: '', duty: name } : { tenantId: name.slice(colon + 1), duty: name.slice(0, colon) };
}

/** The advisory lock key of a duty: 64 bits of a hash of its name, in a name space of this bot. */
function lockKey(name: string): string {
  return createHash('sha256').update(`comms-credits-duty:${name}`).digest().readBigInt64BE(0).toString();
}
