import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../bot/app.js';
import { loadConfig } from '../../bot/config.js';
import { RequestsInFlight } from '../../bot/http/requestTracking.js';
import { StartUp } from '../../bot/http/startUp.js';
import { createServer, listen } from '../../bot/server.js';
import type { LedgerStore, StoreHealth } from '../../services/ports.js';
import { captureLog } from '../support/captureLog.js';
import { startOperatorApi } from '../bot/operatorApi/operatorApiServer.js';
import { API_KEY } from '../bot/operatorApi/operatorApiServer.js';
import { rawRequest } from './support/rawRequest.js';

/**
 * Threat: a store that can no longer write while `/healthz` says 200, so nothing restarts or
 * drains the instance. Liveness and readiness answer 503 with the reason, without a key and
 * without tenant data or file paths.
 */

type Api = Awaited<ReturnType<typeof startOperatorApi>>;

describe('health checks', () => {
  let api: Api;
  let store: LedgerStore;
  let health: StoreHealth = { ok: true, reason: null };
  beforeAll(async () => {
    api = await startOperatorApi();
    store = api.app.store;
    // The real store under a health the test sets: a failed write is the data layer's to cause.
    store.health = () => health;
    await api.call('POST', '/api/tenants/h1/funds', { amount: '25.00', currency: 'USD', idempotencyKey: 'h1-seed' });
  });
  afterAll(async () => {
    await api.stop();
  });

  it('answers 200 on both while the store can write, without a key', async () => {
    health = { ok: true, reason: null };
    const live = await rawRequest(api.base, 'GET', '/healthz');
    const ready = await rawRequest(api.base, 'GET', '/readyz');
    expect([live.status, live.json]).toEqual([200, { status: 'ok' }]);
    expect([ready.status, ready.json]).toEqual([200, { status: 'ready' }]);
  });

  it('keeps an idle connection longer than proxies keep theirs, so that they close it first and never send on one closing', async () => {
    const agent = new http.Agent({ keepAlive: true });
    const keepAlive = await new Promise<unknown>((resolve, reject) => {
      http.get(`${api.base}/healthz`, { agent }, (response) => resolve(response.resume().headers['keep-alive'])).on('error', reject);
    });
    agent.destroy();
    expect(keepAlive).toBe('timeout=65');
  });

  it('answers 503 with the reason on both when the store cannot write, and 200 again once it can', async () => {
    health = { ok: false, reason: "the write-ahead log could not be written: ENOSPC: no space left on device, write '/srv/credits/.data/wal/000007.log'" };
    const live = await rawRequest(api.base, 'GET', '/healthz');
    const ready = await rawRequest(api.base, 'GET', '/readyz');
    expect(live.status).toBe(503);
    expect(live.json).toMatchObject({ status: 'unavailable', reason: expect.stringContaining('ENOSPC') });
    expect(ready.status).toBe(503);
    expect(ready.json).toMatchObject({ status: 'not-ready', problems: [{ check: 'store', reason: expect.stringContaining('ENOSPC') }] });
    for (const response of [live, ready]) {
      expect(response.text).not.toMatch(/\/srv|credits|000007|h1|25\.00/);
      expect(response.json.reference).toBe(response.headers['x-request-id']);
    }

    health = { ok: true, reason: null };
    expect((await rawRequest(api.base, 'GET', '/healthz')).status).toBe(200);
    expect((await rawRequest(api.base, 'GET', '/readyz')).status).toBe(200);
  });

  it('shows no tenant data', async () => {
    for (const route of ['/healthz', '/readyz']) {
      const response = await rawRequest(api.base, 'GET', route, { authorization: 'Bearer wrong' });
      expect(response.text).not.toMatch(/h1|balance|tenant/i);
    }
  });
});

/**
 * Threat: `npm start` listens before the ledger store opens (so liveness answers at once); a route
 * served then would run without its store, and a readiness check saying "ready" would send traffic
 * to an instance that refuses it.
 */
describe('health checks while the bot starts', () => {
  it('answers /healthz, and 503 on /readyz and every other route until the app has started, then serves them', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ledger-starting-'));
    const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, OPERATOR_API_KEY: API_KEY });
    const { log } = captureLog();
    const inFlight = new RequestsInFlight(log);
    const server = createServer(log, inFlight);
    const startUp = new StartUp();
    startUp.register(server);
    const port = await listen(server, 0, '127.0.0.1');
    const base = `http://127.0.0.1:${port}`;
    const refusedWhile = async (underWay: string) => {
      expect(await rawRequest(base, 'GET', '/healthz').then((r) => [r.status, r.json])).toEqual([200, { status: 'ok' }]);
      const ready = await rawRequest(base, 'GET', '/readyz');
      expect(ready.status).toBe(503);
      expect(ready.json).toMatchObject({ status: 'not-ready', problems: [{ check: 'start-up', reason: underWay }] });
      for (const [method, route] of [
        ['GET', '/api/tenants/t1'],
        ['POST', '/api/usage'],
        ['POST', '/api/messages'],
        ['GET', '/no-such-route'],
      ] as const) {
        const body = method === 'POST' ? '{}' : undefined;
        const refused = await rawRequest(
          base,
          method,
          route,
          { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json', 'content-length': body?.length ?? 0 },
          body,
        );
        expect([route, refused.status, refused.headers['retry-after']]).toEqual([route, 503, '1']);
        expect(refused.json).toMatchObject({ error: 'starting', reference: refused.headers['x-request-id'] });
      }
    };
    try {
      // Before the store is open (the rest of the app loads and the store opens meanwhile).
      await refusedWhile('loading and opening the ledger store');
      const app = await createApp(config, { log, listening: { server, inFlight, startUp, port } });
      try {
        // The store is open and the routes registered, but what the last stop left is not yet resumed.
        await refusedWhile('preparing the routes and resuming what the last stop left under way');
        expect(await app.start()).toBe(port);
        expect((await rawRequest(base, 'GET', '/readyz')).status).toBe(200);
        const served = await rawRequest(base, 'GET', '/api/tenants/t1', { authorization: `Bearer ${API_KEY}` });
        expect(served.status).not.toBe(503);
        expect(served.headers['retry-after']).toBeUndefined();
        expect((await rawRequest(base, 'GET', '/no-such-route')).status).toBe(404);
      } finally {
        await app.close();
      }
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
