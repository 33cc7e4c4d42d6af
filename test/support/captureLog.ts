import { pino } from 'pino';
import type { Log } from '../../bot/log.js';

/** A logger that keeps its lines (parsed) for a test to read, at every level. */
export function captureLog(): { log: Log; lines: Array<Record<string, unknown>>; text: () => string } {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'trace' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { log, lines, text: () => lines.map((l) => JSON.stringify(l)).join('\n') };
}
