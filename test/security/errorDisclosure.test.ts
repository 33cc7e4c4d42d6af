import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError, type LedgerStore } from '../../services/ports.js';
import { captureLog } from '../support/captureLog.js';
import { API_KEY, record, startOperatorApi } from '../bot/operatorApi/operatorApiServer.js';
import { rawRequest, type RawResponse } from './support/rawRequest.js';

/**
 * Threat: error answers that tell an attacker about the server (an error's text, a stack, the data
 * folder's absolute path). Every error answer is a stable code and a reference (the same as its
 * `x-request-id` header); the details are in the log under that reference.
 */

const SECRET_PATH = '/srv/credits-secret/.data/wal/000042.log';
/** What must never be in a body: the path, errno codes, stack frames, error class names. */
const LEAK = /credits-secret|\/srv\/|EACCES|ENOSPC|at .+:\d+|Error\b|node_modules|\.ts\b/;

type Api = Awaited<ReturnType<typeof startOperatorApi>>;

describe('error answers', () => {
  const capture = captureLog();
  let api: Api;
  let store: LedgerStore;
  const original: Partial<LedgerStore> = {};
  const auth = { authorization: `Bearer ${API_KEY}` };
  const json = { 'content-type': 'application/json', ...auth };

  beforeAll(async () => {
    api = await startOperatorApi({}, { log: capture.log });
    store = api.app.store;
    Object.assign(original, { change: store.change, account: store.account, journal: store.journal });
    await api.call('POST', '/api/tenants/e1/funds', { amount: '50.00', currency: 'USD', idempotencyKey: 'e1-seed' });
  });
  afterEach(() => {
    Object.assign(store, original);
  });
  afterAll(async () => {
    await api.stop();
  });

  /** Every store read and write fails with `error`. */
  function storeFailsWith(error: unknown) {
    store.change = () => Promise.reject(error);
    store.account = () => Promise.reject(error);
    store.journal = () => Promise.reject(error);
  }

  function expectSafe(response: RawResponse, status: number, code: string) {
    expect(response.status).toBe(status);
    expect(response.json).toEqual({ ...(response.json as object), error: code, reference: response.headers['x-request-id'] });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.text).not.toMatch(LEAK);
  }

  const everyRoute = () =>
    [
      ['GET', '/api/tenants/e1/account', undefined],
      ['GET', '/api/tenants/e1/journal', undefined],
      ['GET', '/api/tenants/e1/journal.csv', undefined],
      ['GET', '/api/tenants/e1/insight', undefined],
      ['POST', '/api/tenants/e1/funds', JSON.stringify({ amount: '10.00', currency: 'USD', idempotencyKey: 'e1-2' })],
      ['POST', '/api/usage', JSON.stringify({ records: [record('e1', '1.00')] })],
    ] as const;

  it('answers a failure it did not expect with 500 internal and a reference; the log has the details', async () => {
    storeFailsWith(new Error(`EACCES: permission denied, open '${SECRET_PATH}'`));
    for (const [method, route, body] of everyRoute()) {
      const response = await rawRequest(api.base, method, route, json, body);
      expectSafe(response, 500, 'internal');
      expect(response.json).toEqual({ error: 'internal', reference: response.headers['x-request-id'] });
      const logged = capture.lines.find((line) => line.reference === response.json.reference);
      expect(logged, `${method} ${route}`).toMatchObject({ level: 50, err: { message: expect.stringContaining(SECRET_PATH) } });
    }
  });

  it('answers 503 store-unavailable on every route when the store cannot write', async () => {
    storeFailsWith(new StoreUnavailableError(`the write-ahead log could not be written: ENOSPC, write '${SECRET_PATH}'`));
    for (const [method, route, body] of everyRoute()) {
      const response = await rawRequest(api.base, method, route, json, body);
      expectSafe(response, 503, 'store-unavailable');
      expect(response.json).toEqual({ error: 'store-unavailable', reference: response.headers['x-request-id'] });
      expect(capture.lines.find((line) => line.reference === response.json.reference)?.reason).toContain('ENOSPC');
    }
  });

  it('hides what a thrown non-error says', async () => {
    storeFailsWith(`cannot open ${SECRET_PATH}`);
    expectSafe(await rawRequest(api.base, 'GET', '/api/tenants/e1/account', auth), 500, 'internal');
  });

  it('gives restify’s own refusals a code and a reference, not its text', async () => {
    expectSafe(await rawRequest(api.base, 'GET', '/api/no/such/route', auth), 404, 'not-found');
    expectSafe(await rawRequest(api.base, 'DELETE', '/api/usage', auth), 405, 'method-not-allowed');
    expectSafe(await rawRequest(api.base, 'POST', '/healthz'), 405, 'method-not-allowed');
  });

  it('puts a reference matching the header in every refusal', async () => {
    const refusals: Array<[RawResponse, number, string]> = [
      [await rawRequest(api.base, 'GET', '/api/tenants/e1/account'), 401, 'unauthorized'],
      [await rawRequest(api.base, 'POST', '/api/usage', json, '{"records": ['), 400, 'bad-request'],
      [await rawRequest(api.base, 'POST', '/api/usage', json, '\u0000\u00ff not json'), 400, 'bad-request'],
      [await rawRequest(api.base, 'POST', '/api/usage', { ...auth, 'content-type': 'text/plain' }, '{}'), 415, 'unsupported-media-type'],
      [await rawRequest(api.base, 'GET', '/api/tenants/..%2F..%2Fetc/account', auth), 400, 'bad-request'],
      [await rawRequest(api.base, 'GET', '/api/tenants/nobody/account', auth), 404, 'not-found'],
      [
        await rawRequest(api.base, 'POST', '/api/tenants/e1/funds', json, JSON.stringify({ amount: '0.01', currency: 'USD', idempotencyKey: 'tiny' })),
        422,
        'amount-too-small',
      ],
    ];
    for (const [response, status, code] of refusals) expectSafe(response, status, code);
  });

  it('cuts a response that fails after its head was sent, and keeps serving', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => void uncaught.push(error);
    process.on('uncaughtExceptionMonitor', onUncaught);
    try {
      // A route of this test's own: none of the app's throws once its head is out.
      api.app.server.get('/test/fails-after-head', async (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('the first part');
        throw new Error(`EIO: i/o error, read '${SECRET_PATH}'`);
      });
      const response = await fetch(`${api.base}/test/fails-after-head`);
      expect(response.status).toBe(200);
      await expect(response.text()).rejects.toThrow();
      expect(capture.lines.find((line) => line.reference === response.headers.get('x-request-id'))).toMatchObject({ level: 50 });
      expect((await rawRequest(api.base, 'GET', '/healthz')).status).toBe(200);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtExceptionMonitor', onUncaught);
    }
  });

  it('gives every request its own id, success or not', async () => {
    const a = await rawRequest(api.base, 'GET', '/api/tenants/e1/account', auth);
    const b = await rawRequest(api.base, 'GET', '/api/tenants/e1/account', auth);
    expect(a.status).toBe(200);
    expect(a.headers['x-request-id']).toBeTruthy();
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
    // A caller cannot choose its reference.
    const chosen = await rawRequest(api.base, 'GET', '/api/nowhere', { 'x-request-id': 'forged-id', 'request-id': 'forged-id' });
    expect(chosen.json.reference).not.toBe('forged-id');
  });
});
