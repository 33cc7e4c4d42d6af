import { pino } from 'pino';
import type { Log } from '../../bot/log.js';

/** A logger that keeps its lines (parsed) for a test to read, at every level. */
export function captureLog(): { log: Log; lines: Array<Record<string, unknown>>; text: () => string } {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'trace' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { log, lines, text: () => lines.map((l) => JSON.stringify(l)).join('\n') };
}

/**
 * The log level of an app started in a test: silent, so test output shows only what fails (tests
 * that read the log pass `captureLog()`); `LOG_LEVEL=debug npx vitest …` shows it all.
 */
export const QUIET_LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';
