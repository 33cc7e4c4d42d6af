import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

export type Log = Logger;

/**
 * The process's log: one JSON line per event on stdout, readable (pino-pretty) only in development
 * at a terminal. Headers that carry credentials are cut wherever they appear; callers log ids,
 * codes and errors, never tokens, keys or card data.
 */
export function createLog(settings: Config['log']): Log {
  const pretty = !settings.production && process.stdout.isTTY === true && prettyInstalled();
  return pino({
    level: settings.level,
    redact: { paths: ['authorization', '*.authorization', 'headers.cookie', '*.headers.cookie'], censor: '[redacted]' },
    ...(pretty && { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } } }),
  });
}

/** pino-pretty is a development dependency: an install without it logs JSON lines. */
function prettyInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}
