import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerStore, StoreHealth } from '../../services/ports.js';
import { startOperatorApi } from '../bot/operatorApi/operatorApiServer.js';
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
