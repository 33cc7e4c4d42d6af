import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, record, startOperatorApi } from './operatorApiServer.js';

type Api = Awaited<ReturnType<typeof startOperatorApi>>;

describe('operator API over HTTP', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startOperatorApi();
  });
  afterAll(async () => {
    await api.stop();
  });

  const fund = (tenantId: string, amount: string | number, key: string, currency = 'USD') =>
    api.call('POST', `/api/tenants/${tenantId}/funds`, { amount, currency, idempotencyKey: key, note: 'test' });

  it('answers /healthz without a key', async () => {
    const response = await fetch(`${api.base}/healthz`);
    expect(response.status).toBe(200);
  });

  it('refuses missing and wrong keys with 401 and changes nothing', async () => {
    const body = { records: [record('auth-t', '1.00')] };
    expect((await api.call('POST', '/api/usage', body, { authorization: '' })).status).toBe(401);
    expect((await api.call('POST', '/api/usage', body, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await api.call('POST', '/api/usage', body, { authorization: `Basic ${API_KEY}` })).status).toBe(401);
    expect((await api.call('GET', '/api/tenants/auth-t/account', undefined, { authorization: `Bearer ${API_KEY}x` })).status).toBe(401);
    expect((await api.call('GET', '/api/tenants/auth-t/account')).status).toBe(404);
  });

  it('answers 400 with a reason for malformed bodies and writes nothing', async () => {
    const bad = [
      '{"records": [',
      'not json',
      JSON.stringify({ records: 'x' }),
      JSON.stringify({ rows: [] }),
      JSON.stringify([record('bad-t', '1.00')]),
      JSON.stringify({ records: Array.from({ length: 10_001 }, () => ({})) }),
    ];
    for (const body of bad) {
      const response = await api.call('POST', '/api/usage', body);
      expect(response.status, body.slice(0, 40)).toBe(400);
      expect(JSON.stringify(response.body)).toMatch(/message/);
    }
    expect((await api.call('GET', '/api/tenants/bad-t/account')).status).toBe(404);
  });

  it('refuses an oversized body with 413', async () => {
    const huge = JSON.stringify({ records: [record('big-t', '1.00', { destinationName: 'x'.repeat(17 * 1024 * 1024) })] });
    const response = await fetch(`${api.base}/api/usage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: huge,
    }).catch((error) => ({ status: 413, error }));
    expect(response.status).toBe(413);
    expect((await api.call('GET', '/api/tenants/big-t/account')).status).toBe(404);
  });

  it('rejects bad records one by one and accepts the rest', async () => {
    await fund('mix-t', '100.00', 'mix-seed');
    const records = [
      record('mix-t', '1.25'),
      record('mix-t', '-1.00'),
      { ...record('mix-t', '1.00'), startDateTime: 'yesterday' },
      record('mix-t', '2.00', { currency: 'EUR' }),
      record('mix-t', 0.12),
      { tenantId: 'mix-t' },
      record('mix-t', '3', { currency: 'ZZZ' }),
      record('mix-t', '1.00', { startDateTime: new Date(Date.now() - 100 * 86_400_000).toISOString() }),
      record('mix-t', null, { duration: 125 }),
      record('../etc', '1.00'),
    ];
    const response = await api.call('POST', '/api/usage', { records });
    expect(response.status).toBe(200);
    expect(response.body.accepted).toBe(3);
    expect(response.body.duplicates).toBe(0);
    expect(response.body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 2, 3, 5, 6, 7, 9]);
    expect(response.body.rejected.find((r: { index: number }) => r.index === 3).error).toMatch(/EUR/);
    const account = await api.call('GET', '/api/tenants/mix-t/account');
    // 100.00 − 1.25 − 0.12 − 3 started minutes at 0.019 (0.057 → 0.06)
    expect(account.body).toMatchObject({ balance: '98.57', balanceMinor: 9857, currency: 'USD', status: 'active' });
  });

  it('counts duplicates and charges each record once', async () => {
    await fund('dup-t', '50', 'dup-seed');
    const records = [record('dup-t', '1.00'), record('dup-t', '2.00')];
    const first = await api.call('POST', '/api/usage', { records: [...records, records[0]] });
    expect(first.body).toEqual({ accepted: 2, duplicates: 1, rejected: [] });
    const again = await api.call('POST', '/api/usage', { records });
    expect(again.body).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
    expect((await api.call('GET', '/api/tenants/dup-t/account')).body.balanceMinor).toBe(4700);
  });

  it('keeps 200 concurrent requests on one tenant exact to the cent', async () => {
    await fund('busy-t', '100.00', 'busy-seed');
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => api.call('POST', '/api/usage', { records: [record('busy-t', `0.${String(i % 10).padStart(2, '0')}`)] })),
    );
    expect(responses.every((r) => r.status === 200 && r.body.accepted === 1)).toBe(true);
    // Σ of 0.00 … 0.09 twenty times = 0.45 × 20 = 9.00
    const account = await api.call('GET', '/api/tenants/busy-t/account');
    expect(account.body.balanceMinor).toBe(10_000 - 900);
    const journal = await api.call('GET', '/api/tenants/busy-t/journal?limit=1000');
    expect(journal.body.entries).toHaveLength(202);
    expect(journal.body.entries.reduce((s: number, e: { amountMinor: number }) => s + e.amountMinor, 0)).toBe(9100);
  });

  it('grants funds idempotently with the operator as actor, within the limits', async () => {
    const first = await fund('grant-t', '25.00', 'grant-1');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ amountMinor: 2500, balanceAfterMinor: 2500, replayed: false });
    const replay = await fund('grant-t', '25.00', 'grant-1');
    expect(replay.body).toMatchObject({ entryId: first.body.entryId, replayed: true });
    // Reused with another amount: refused, never a silent replay (Stripe's rule).
    const reused = await fund('grant-t', '30.00', 'grant-1');
    expect(reused.status).toBe(409);
    expect(reused.body).toMatchObject({ error: 'key-reused-with-different-parameters', message: expect.stringContaining('25.00 USD') });
    expect((await fund('grant-t', '5.00', 'grant-2')).status).toBe(422);
    expect((await fund('grant-t', '10000.01', 'grant-3')).status).toBe(422);
    expect((await fund('grant-t', '12.345', 'grant-4')).status).toBe(422);
    expect((await fund('grant-t', '20', 'grant-5', 'EUR')).status).toBe(422);
    expect((await api.call('POST', '/api/tenants/grant-t/funds', { amount: '20' })).status).toBe(400);
    const account = await api.call('GET', '/api/tenants/grant-t/account');
    expect(account.body).toMatchObject({ balance: '25.00', lots: [expect.objectContaining({ originalMinor: 2500, remainingMinor: 2500, source: 'manual' })] });
    const journal = await api.call('GET', '/api/tenants/grant-t/journal');
    expect(journal.body.entries.at(-1)).toMatchObject({ kind: 'funds-added', actor: 'operator', idempotencyKey: 'grant:grant-1', amountMinor: 2500 });
  });

  it('pages the journal oldest first', async () => {
    await fund('page-t', '50', 'page-seed');
    await api.call('POST', '/api/usage', { records: Array.from({ length: 7 }, () => record('page-t', '1')) });
    const first = await api.call('GET', '/api/tenants/page-t/journal?limit=4');
    expect(first.body.entries.map((e: { id: string }) => e.id)).toEqual(['1', '2', '3', '4']);
    const second = await api.call('GET', `/api/tenants/page-t/journal?after=${first.body.next}&limit=4`);
    expect(second.body.entries.map((e: { id: string }) => e.id)).toEqual(['5', '6', '7', '8']);
    const last = await api.call('GET', `/api/tenants/page-t/journal?after=${second.body.next}&limit=4`);
    expect(last.body.entries.map((e: { id: string }) => e.id)).toEqual(['9']);
    expect(last.body.next).toBeNull();
    expect((await api.call('GET', '/api/tenants/page-t/journal?limit=0')).status).toBe(400);
    expect((await api.call('GET', '/api/tenants/nobody/journal')).status).toBe(404);
  });
});

describe('operator API without a key configured', () => {
  it('answers 503 and says why', async () => {
    const api = await startOperatorApi({ OPERATOR_API_KEY: '' });
    try {
      const response = await api.call('GET', '/api/tenants/x/account');
      expect(response.status).toBe(503);
      expect(response.body.message).toMatch(/OPERATOR_API_KEY/);
    } finally {
      await api.stop();
    }
  });
});

describe('operator API across a restart', () => {
  it('keeps every acknowledged record', async () => {
    const api = await startOperatorApi();
    const records = Array.from({ length: 50 }, () => record('restart-t', '0.37'));
    await api.call('POST', '/api/tenants/restart-t/funds', { amount: '40.00', currency: 'USD', idempotencyKey: 'r-seed' });
    expect((await api.call('POST', '/api/usage', { records })).body.accepted).toBe(50);
    await api.stop({ keepData: true });
    const again = await startOperatorApi({}, { dataDir: api.dataDir });
    try {
      expect((await again.call('GET', '/api/tenants/restart-t/account')).body.balanceMinor).toBe(4000 - 50 * 37);
      expect((await again.call('POST', '/api/usage', { records })).body).toMatchObject({ accepted: 0, duplicates: 50 });
    } finally {
      await again.stop();
    }
  });
});

describe('operator API exports', () => {
  it('streams the journal as CSV with exact amounts and defused formulas', async () => {
    const api = await startOperatorApi();
    try {
      await api.call('POST', '/api/tenants/csv-t/funds', { amount: '20.00', currency: 'USD', idempotencyKey: 'csv-seed', note: '=HYPERLINK("x")' });
      const caller = { userPrincipalName: 'ana@contoso.com', userDisplayName: '@SUM(A1:A9)', department: '+au-sales' };
      await api.call('POST', '/api/usage', { records: [record('csv-t', '1.10'), record('csv-t', 0.07, caller)] });
      const response = await fetch(`${api.base}/api/tenants/csv-t/journal.csv`, { headers: { authorization: `Bearer ${API_KEY}` } });
      expect(response.headers.get('content-type')).toMatch(/text\/csv/);
      const lines = (await response.text()).trim().split('\r\n');
      expect(lines).toHaveLength(5);
      expect(lines[0]).toMatch(/^id,tenantId,at,kind,amount,balanceAfter/);
      expect(lines[2]).toContain(',funds-added,20.00,20.00,USD,operator,grant:csv-seed,');
      expect(lines[2]).toContain(`"'=HYPERLINK(""x"")"`);
      expect(lines[4]).toContain(',usage,-0.07,18.83,USD,system,');
      // Who called and their department close the line, formulas defused.
      expect(lines[0]).toMatch(/,note,userPrincipalName,userDisplayName,department$/);
      expect(lines[4]).toMatch(/,ana@contoso\.com,'@SUM\(A1:A9\),'\+au-sales$/);
      expect(lines[3]).toMatch(/,,,$/);
      const insight = await api.call('GET', '/api/tenants/csv-t/insight');
      expect(insight.body.breakdown.total).toMatchObject({ calls: 2, minor: 117 });
    } finally {
      await api.stop();
    }
  });
});
