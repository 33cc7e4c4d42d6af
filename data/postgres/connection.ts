import type pg from 'pg';

/**
 * How the store connects: a libpq URL (`postgres://user:password@host:5432/database?sslmode=require`,
 * parsed by pg the libpq way) and these client settings. A session left idle inside a transaction
 * (a process frozen while it holds a tenant's row lock) is ended by the server after a minute.
 */
export function clientConfig(url: string): pg.ClientConfig {
  return {
    connectionString: url,
    application_name: 'comms-credits-bot',
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
    idle_in_transaction_session_timeout: 60_000,
  };
}

/** The database a URL names, for the start-up log: user, host, port, database and TLS mode, never the password. */
export function describeDatabase(url: string): string {
  const parsed = new URL(url);
  const host = parsed.hostname || parsed.searchParams.get('host') || 'localhost';
  const user = decodeURIComponent(parsed.username);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || user || '(default)';
  const sslmode = parsed.searchParams.get('sslmode');
  return `${user ? `${user}@` : ''}${host}:${parsed.port || '5432'}/${database}${sslmode ? ` (sslmode=${sslmode})` : ''}`;
}
