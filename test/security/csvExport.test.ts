import http from 'node:http';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerStore } from '../../services/ports.js';
import { captureLog } from '../support/captureLog.js';
import { API_KEY, record, startOperatorApi } from '../bot/operatorApi/operatorApiServer.js';

/**
 * Threat: the journal export (`GET /api/tenants/{id}/journal.csv`) used to crash the process when a
 * journal read failed after the head was sent, and wrote the whole journal into memory for a
 * client that reads slowly or not at all. Now a broken export is cut and logged, the next request is
 * served, the export goes at the client's pace, and a client that leaves stops it.
 */

type Api = Awaited<ReturnType<typeof startOperatorApi>>;

const BIG_TENANT = 'csv-big';
const BIG_ENTRIES = 100_000;
const PAGE = 1000;
const auth = { authorization: `Bearer ${API_KEY}` };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('journal CSV export', () => {
  const capture = captureLog();
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => void uncaught.push(error);
  let api: Api;
  let store: LedgerStore;
  let readJournal: LedgerStore['journal'];
  /** Journal pages the export has read, per tenant. */
  const pagesRead = new Map<string, number>();
  /** The server's side of the last CSV download. */
  let serverSide: ServerResponse | null = null;

  beforeAll(async () => {
    process.on('uncaughtExceptionMonitor', onUncaught);
    api = await startOperatorApi({}, { log: capture.log });
    store = api.app.store;
    readJournal = store.journal.bind(store);
    store.journal = (tenantId, after, limit) => {
      pagesRead.set(tenantId, (pagesRead.get(tenantId) ?? 0) + 1);
      return readJournal(tenantId, after, limit);
    };
    api.app.server.server.on('request', (req: http.IncomingMessage, res: ServerResponse) => {
      if (req.url?.endsWith('journal.csv')) serverSide = res;
    });
    for (const tenantId of [BIG_TENANT, 'csv-broken']) {
      await api.call('POST', `/api/tenants/${tenantId}/funds`, { amount: '10000.00', currency: 'USD', idempotencyKey: `${tenantId}-seed` });
    }
    await api.call('POST', '/api/usage', { records: Array.from({ length: 2 * PAGE + 500 }, () => record('csv-broken', '0.01')) });
    for (let batch = 0; batch < BIG_ENTRIES / 10_000; batch++) {
      const response = await api.call('POST', '/api/usage', { records: Array.from({ length: 10_000 }, () => record(BIG_TENANT, '0.01')) });
      expect(response.body.accepted).toBe(10_000);
    }
  }, 120_000);
  afterAll(async () => {
    process.off('uncaughtExceptionMonitor', onUncaught);
    await api.stop();
  });

  /** Waits until the export has stopped reading pages of `tenantId`, and says how many it read. */
  async function pagesOnceSettled(tenantId: string): Promise<number> {
    for (let last = -1; ; await sleep(300)) {
      const now = pagesRead.get(tenantId) ?? 0;
      if (now === last) return now;
      last = now;
    }
  }

  it('cuts an export whose journal read fails after the head, logs it, and keeps serving', async () => {
    const original = store.journal;
    store.journal = (tenantId, after, limit) =>
      after >= PAGE ? Promise.reject(new Error("EIO: i/o error, read '/srv/data/journal/csv-broken/2.jsonl'")) : original(tenantId, after, limit);
    try {
      const response = await fetch(`${api.base}/api/tenants/csv-broken/journal.csv`, { headers: auth });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/text\/csv/);
      // The client sees a broken transfer, never a short file that looks complete.
      await expect(response.text()).rejects.toThrow();
      const reference = response.headers.get('x-request-id');
      expect(capture.lines.find((line) => line.reference === reference)).toMatchObject({ level: 50, err: { message: expect.stringContaining('EIO') } });
    } finally {
      store.journal = original;
    }
    expect(uncaught).toEqual([]);
    expect((await api.call('GET', '/healthz')).status).toBe(200);
    const entries = (await api.call('GET', '/api/tenants/csv-broken/account')).body.journalEntries as number;
    expect(entries).toBeGreaterThan(2 * PAGE);
    const whole = await fetch(`${api.base}/api/tenants/csv-broken/journal.csv`, { headers: auth });
    expect((await whole.text()).trim().split('\r\n')).toHaveLength(1 + entries);
  });

  it('holds a paused download to a bounded buffer and finishes it when the client reads again', async () => {
    pagesRead.delete(BIG_TENANT);
    const response = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http.get(`${api.base}/api/tenants/${BIG_TENANT}/journal.csv`, { headers: auth, agent: false }, resolve).on('error', reject),
    );
    // Not reading: the response stays paused until a 'data' listener is added.
    const pagesWhilePaused = await pagesOnceSettled(BIG_TENANT);
    const buffered = serverSide!.writableLength;
    const totalPages = Math.ceil(BIG_ENTRIES / PAGE) + 1;
    // The socket's own buffers take a few MiB (35 pages of 101 here); without backpressure it read them all.
    expect(pagesWhilePaused).toBeLessThan(totalPages * 0.8);
    expect(buffered).toBeLessThan(1024 * 1024);

    let bytes = 0;
    let lines = 0;
    response.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      for (const byte of chunk) if (byte === 0x0a) lines++;
    });
    await new Promise((resolve) => response.on('end', resolve));
    // Far more than any buffer it held: the export was really paced, not just small.
    expect(bytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(lines).toBe(1 + (await api.call('GET', `/api/tenants/${BIG_TENANT}/account`)).body.journalEntries);
  });

  it('stops reading the journal when the client leaves', async () => {
    pagesRead.delete(BIG_TENANT);
    await new Promise<void>((resolve, reject) => {
      const request = http.get(`${api.base}/api/tenants/${BIG_TENANT}/journal.csv`, { headers: auth, agent: false }, (response) => {
        response.once('data', () => {
          request.destroy();
          resolve();
        });
      });
      request.on('error', (error) => (request.destroyed ? undefined : reject(error)));
    });
    const pages = await pagesOnceSettled(BIG_TENANT);
    expect(pages).toBeLessThan(Math.ceil(BIG_ENTRIES / PAGE) / 2);
    expect(serverSide!.destroyed).toBe(true);
    expect(uncaught).toEqual([]);
    expect((await api.call('GET', `/api/tenants/${BIG_TENANT}/account`)).status).toBe(200);
  });
});
