import pg from 'pg';
import { clientConfig } from './connection.js';

/**
 * A pool of `max` connections to the database of `url`, with the store's client settings. An idle
 * connection the server closed is dropped by the pool (its 'error' would otherwise crash the
 * process); the next query reports any outage.
 */
export function openPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({ ...clientConfig(url), max });
  pool.on('error', () => undefined);
  return pool;
}
