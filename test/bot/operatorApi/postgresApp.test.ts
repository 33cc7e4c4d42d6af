import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { TestClock } from '../../support/memoryLedgerStore.js';
import { useTestDatabase } from '../../data/postgresTestDatabase.js';
import { startTcpProxy } from '../../data/tcpProxy.js';
import { API_KEY, record, startOperatorApi } from './operatorApiServer.js';

type Api = Awaited<ReturnType<typeof startOperatorApi>>;

const db = useTestDatabase();

describe('the app with DATABASE_URL, over HTTP', () => {
  const clock = new TestClock(Date.now());
  let embedded: Api;
  let postgres: Api;
  // Started before each test's body rather than in beforeAll: without PostgreSQL each test fails, none is skipped.
  let started: Promise<void> | undefined;
  beforeEach(async () => {
    started ??= (async () => {
      embedded = await startOperatorApi({}, { clock });
      postgres = await startOperatorApi({ DATABASE_URL: db.url }, { clock });
    })();
    await started;
  });
  afterAll(async () => {
    await embedded?.stop();
    await postgres?.stop();
  });

  /** Sends the same request to both apps and expects the same answer (but for an error's random reference); returns PostgreSQL's. */
  const both = async (method: string, route: string, body?: unknown) => {
    const [fromEmbedded, fromPostgres] = await Promise.all([embedded.call(method, route, body), postgres.call(method, route, body)]);
    const withoutReference = ({ status, body }: { status: number; body: any }) => ({ status, body: body?.reference ? { ...body, reference: 'any' } : body });
    expect(withoutReference(fromPostgres), `${method} ${route}`).toEqual(withoutReference(fromEmbedded));
    return fromPostgres;
  };

  it('says it runs on PostgreSQL, without the password', () => {
    expect(postgres.app.storeDescription).toMatch(/^PostgreSQL .*\/ccbot_test_/);
    expect(embedded.app.storeDescription).toMatch(/^embedded/);
  });

  it('answers usage, funds, account, journal and insight requests as the embedded store does', async () => {
    const now = clock.now();
    const fund = (key: string, amount: string) => both('POST', '/api/tenants/same-t/funds', { amount, currency: 'USD', idempotencyKey: key, note: 'test' });
    expect((await fund('seed', '100.00')).status).toBe(200);
    expect((await fund('seed', '100.00')).body).toMatchObject({ replayed: true });
    expect((await fund('small', '5.00')).status).toBe(422);

    const records = [
      record('same-t', '1.25', { userPrincipalName: 'Ana@Contoso.com', userDisplayName: 'Ana Lima', department: 'au-sales' }, now),
      record('same-t', '-1.00', {}, now),
      record('same-t', '2.00', { currency: 'EUR' }, now),
      record('same-t', null, { duration: 125 }, now),
      record('same-t', '0.40', { destinationContext: 'International', destinationName: 'Japan' }, now),
      record('other-t', '3.00', {}, now),
    ];
    const first = await both('POST', '/api/usage', { records: [...records, records[0]] });
    expect(first.body).toMatchObject({ accepted: 4, duplicates: 1 });
    expect((await both('POST', '/api/usage', { records })).body).toMatchObject({ accepted: 0, duplicates: 4 });

    await both('GET', '/api/tenants/same-t/account');
    await both('GET', '/api/tenants/other-t/account');
    expect((await both('GET', '/api/tenants/nobody/account')).status).toBe(404);
    const page = await both('GET', '/api/tenants/same-t/journal?limit=3');
    await both('GET', `/api/tenants/same-t/journal?after=${page.body.next}&limit=10`);
    await both('GET', '/api/tenants/same-t/insight');
    const byUser = await both('GET', '/api/tenants/same-t/usage?groupBy=user');
    expect(byUser.body.rows[0]).toMatchObject({ key: 'ana@contoso.com', label: 'Ana Lima', amountMinor: 125 });
    const byDepartment = await both('GET', '/api/tenants/same-t/usage?groupBy=department');
    expect(byDepartment.body.rows.map((r: { key: string }) => r.key).sort()).toEqual(['au-sales', 'no department']);
    const csv = await Promise.all(
      [embedded, postgres].map(async (api) =>
        (await fetch(`${api.base}/api/tenants/same-t/journal.csv`, { headers: { authorization: `Bearer ${API_KEY}` } })).text(),
      ),
    );
    expect(csv[1]).toBe(csv[0]);
  });

  it('keeps concurrent requests on one tenant exact to the cent', async () => {
    await both('POST', '/api/tenants/busy-t/funds', { amount: '100.00', currency: 'USD', idempotencyKey: 'busy-seed' });
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        postgres.call('POST', '/api/usage', { records: [record('busy-t', `0.${String(i % 10).padStart(2, '0')}`, {}, clock.now())] }),
      ),
    );
    expect(responses.every((response) => response.status === 200 && response.body.accepted === 1)).toBe(true);
    const account = await postgres.call('GET', '/api/tenants/busy-t/account');
    expect(account.body.balanceMinor).toBe(10_000 - 450);
  });

  it('answers 503 store-unavailable while the database does not answer, and serves again once it does', async () => {
    const target = new URL(db.url);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const proxied = new URL(db.url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    const app = await startOperatorApi({ DATABASE_URL: proxied.toString() }, { clock });
    try {
      const fund = () => app.call('POST', '/api/tenants/outage-t/funds', { amount: '20.00', currency: 'USD', idempotencyKey: 'outage-seed' });
      expect((await fund()).status).toBe(200);
      await proxy.cut();
      expect(await app.call('POST', '/api/usage', { records: [record('outage-t', '1.00', {}, clock.now())] })).toMatchObject({
        status: 503,
        body: { error: 'store-unavailable' },
      });
      expect((await fetch(`${app.base}/readyz`)).status).toBe(503);
      await proxy.restore();
      await vi.waitFor(async () => expect((await fetch(`${app.base}/readyz`)).status).toBe(200), { timeout: 10_000 });
      expect((await fund()).body).toMatchObject({ replayed: true });
      expect((await app.call('GET', '/api/tenants/outage-t/account')).body.balanceMinor).toBe(2_000);
    } finally {
      await app.stop();
      await proxy.stop();
    }
  });

  it('keeps the ledger in the database: a new instance with another data folder sees it all', async () => {
    const records = Array.from({ length: 20 }, () => record('kept-t', '0.37', {}, clock.now()));
    await postgres.call('POST', '/api/tenants/kept-t/funds', { amount: '40.00', currency: 'USD', idempotencyKey: 'kept-seed' });
    expect((await postgres.call('POST', '/api/usage', { records })).body.accepted).toBe(20);
    const second = await startOperatorApi({ DATABASE_URL: db.url }, { clock });
    try {
      expect(second.dataDir).not.toBe(postgres.dataDir);
      expect((await second.call('GET', '/api/tenants/kept-t/account')).body.balanceMinor).toBe(4_000 - 20 * 37);
      expect((await second.call('POST', '/api/usage', { records })).body).toMatchObject({ accepted: 0, duplicates: 20 });
    } finally {
      await second.stop();
    }
  });
});
