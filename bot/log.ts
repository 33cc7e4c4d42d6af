import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { Config } from './config.js';

export type Log = Logger;

/**
 * The process's log: one JSON line per event on stdout, readable (pino-pretty) only in development
 * at a terminal. Headers that carry credentials are cut wherever they appear; callers log ids,
 * codes and errors, never tokens, keys or card data.
 */
export function createLog(settings: Config['log'], destination?: DestinationStream): Log {
  const pretty = !destination && !settings.production && process.stdout.isTTY === true && prettyInstalled();
  const options: LoggerOptions = {
    level: settings.level,
    redact: { paths: REDACTED, censor: '[redacted]' },
    ...(pretty && { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } } }),
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * Where credentials can sit in what is logged: request headers (alone, or under `req`/`request`),
 * and the configuration's secrets (bot password, Graph client secret, operator key, database URL,
 * which may hold a password, Stripe's secret key and webhook secret) should a part of it be logged.
 */
const SECRET_HEADERS = ['authorization', 'cookie', 'x-api-key', 'proxy-authorization', 'stripe-signature'];
const SECRET_SETTINGS = [
  'appPassword',
  'clientSecret',
  'operatorApiKey',
  'password',
  'MicrosoftAppPassword',
  'AZURE_CLIENT_SECRET',
  'OPERATOR_API_KEY',
  'DATABASE_URL',
  'secretKey',
  'webhookSecret',
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
];
const REDACTED = [
  ...SECRET_HEADERS.flatMap((h) => [`["${h}"]`, `headers["${h}"]`, `*.headers["${h}"]`, `*.*.headers["${h}"]`]),
  ...SECRET_SETTINGS.flatMap((key) => [`${key}`, `*.${key}`, `*.*.${key}`]),
  'database.url',
  '*.database.url',
];

/** pino-pretty is a development dependency: an install without it logs JSON lines. */
function prettyInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}
