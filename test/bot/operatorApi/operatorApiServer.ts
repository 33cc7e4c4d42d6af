import { QUIET_LOG_LEVEL } from '../../support/captureLog.js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../../bot/app.js';
import { loadConfig } from '../../../bot/config.js';
import type { Log } from '../../../bot/log.js';
import type { Clock } from '../../../services/ports.js';

export const API_KEY = 'test-operator-key';

/** The whole app on a free loopback port with its own data folder. */
export async function startOperatorApi(env: Record<string, string> = {}, options: { clock?: Clock; dataDir?: string; log?: Log } = {}) {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'ledger-api-')));
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, OPERATOR_API_KEY: API_KEY, LOG_LEVEL: QUIET_LOG_LEVEL, ...env });
  // Tenants start with the paying test card, as if an admin had chosen it.
  const app: App = await createApp(config, { clock: options.clock, log: options.log, sandboxCardForNewTenants: 'visa-success' });
  const port = await app.start();
  const base = `http://127.0.0.1:${port}`;
  const call = async (method: string, route: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(base + route, {
      method,
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: response.status, body: json, headers: Object.fromEntries(response.headers), text };
  };
  return {
    app,
    base,
    dataDir,
    call,
    async stop({ keepData = false } = {}) {
      await app.close();
      if (!keepData) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

let seq = 0;
/** A call record for POST /api/usage that ended a minute before `now` (the test's clock, or the real one). */
export function record(tenantId: string, charge: number | string | null, extra: Record<string, unknown> = {}, now = Date.now()) {
  return {
    id: `rec-${process.pid}-${++seq}`,
    tenantId,
    startDateTime: new Date(now - 120_000).toISOString(),
    endDateTime: new Date(now - 60_000).toISOString(),
    duration: 60,
    charge,
    currency: 'USD',
    callType: 'user_out',
    destinationContext: 'Domestic',
    destinationName: 'United States',
    licenseCapability: 'MCOPSTNPP',
    userId: 'user-1',
    conferenceId: null,
    ...extra,
  };
}
