import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weeklyReportContext } from '../../../bot/alerts/weeklyReports.js';
import { BODY_LIMITS } from '../../../bot/http/jsonBody.js';
import type { StoreHealth } from '../../../services/ports.js';
import { TestClock } from '../../support/memoryLedgerStore.js';
import { rawRequest, streamUntilAnswered, type RawResponse } from '../../security/support/rawRequest.js';
import { ApiContract } from './apiContract.js';
import { API_KEY, record, startOperatorApi } from './operatorApiServer.js';

/**
 * The real app over HTTP, each route's success and error answers checked against the OpenAPI
 * document it serves: the body against the schema for its path, method, status and media type
 * (closed shapes, so an unnamed field fails), and the request bodies that succeeded against the
 * document's request schema.
 */

type Api = Awaited<ReturnType<typeof startOperatorApi>>;

const DAY_MS = 86_400_000;

describe('operator API answers, as the document describes them', () => {
  const clock = new TestClock(Date.parse('2026-03-02T09:00:00Z'));
  let api: Api;
  let contract: ApiContract;
  let health: StoreHealth = { ok: true, reason: null };

  beforeAll(async () => {
    api = await startOperatorApi({}, { clock });
    contract = await ApiContract.load(api.base);
    // The real store under a health the test sets (as test/security/healthChecks does).
    api.app.store.health = () => health;
  });
  afterAll(async () => {
    await api.stop();
  });

  /** One request as given (the key, and JSON's content type when there is a body, unless overridden), its answer checked against the document. */
  async function described(method: string, route: string, body?: unknown, headers: Record<string, string | null> = {}): Promise<RawResponse> {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const sent = Object.entries({
      authorization: `Bearer ${API_KEY}`,
      ...(payload !== undefined && { 'content-type': 'application/json' }),
      ...headers,
    }).filter((entry): entry is [string, string] => entry[1] !== null);
    const response = await rawRequest(api.base, method, route, Object.fromEntries(sent), payload);
    expect(contract.answerProblems(method, route, response), `${method} ${route} → ${response.status} ${response.text.slice(0, 300)}`).toEqual([]);
    return response;
  }

  /** A body the document takes, sent: the route must take it too. */
  async function wellFormed(method: string, route: string, body: unknown): Promise<RawResponse> {
    expect(contract.requestProblems(method, route, body), `request of ${method} ${route}`).toEqual([]);
    const response = await described(method, route, body);
    expect(response.status, `${method} ${route} → ${response.text.slice(0, 300)}`).toBe(200);
    return response;
  }

  const grant = (tenantId: string, amount: string, idempotencyKey: string) =>
    wellFormed('POST', `/api/tenants/${tenantId}/funds`, { amount, currency: 'USD', idempotencyKey, note: 'contract' });
  const refusedGrant = (tenantId: string, amount: string, idempotencyKey: string, extra: Record<string, unknown> = {}) =>
    described('POST', `/api/tenants/${tenantId}/funds`, { amount, currency: 'USD', idempotencyKey, note: 'contract', ...extra });
  const at = (offsetMs = 0) => clock.now() + offsetMs;

  it('health: 200 while the store writes, 503 with the reason when it cannot', async () => {
    expect((await described('GET', '/healthz', undefined, { authorization: null })).status).toBe(200);
    expect((await described('GET', '/readyz', undefined, { authorization: null })).status).toBe(200);
    health = { ok: false, reason: 'the write-ahead log could not be written: ENOSPC' };
    try {
      expect((await described('GET', '/healthz', undefined, { authorization: null })).status).toBe(503);
      expect((await described('GET', '/readyz', undefined, { authorization: null })).status).toBe(503);
    } finally {
      health = { ok: true, reason: null };
    }
  });

  it('the description itself', async () => {
    expect((await described('GET', '/api/openapi.json', undefined, { authorization: null })).status).toBe(200);
  });

  it('POST /api/usage: accepted, duplicates and rejected; 400, 401, 413, 415', async () => {
    await grant('usage-t', '50.00', 'usage-seed');
    const first = record('usage-t', '1.25', {}, at());
    const ok = await described('POST', '/api/usage', {
      records: [first, first, record('usage-t', null, { duration: 125 }, at()), record('usage-t', '2', { currency: 'EUR' }, at()), { tenantId: 'usage-t' }],
    });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ accepted: 2, duplicates: 1, rejected: [{ index: 3 }, { index: 4 }] });
    const clean = [record('usage-t', '0.50', {}, at()), record('usage-t', 0.25, {}, at()), record('usage-t', null, {}, at())];
    expect((await wellFormed('POST', '/api/usage', { records: clean })).json).toEqual({ accepted: 3, duplicates: 0, rejected: [] });

    expect((await described('POST', '/api/usage', { rows: [] })).status).toBe(400);
    expect((await described('POST', '/api/usage', '{"records": [')).status).toBe(400);
    expect((await described('POST', '/api/usage', { records: [] }, { authorization: null })).status).toBe(401);
    expect((await described('POST', '/api/usage', { records: [] }, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await described('POST', '/api/usage', 'records', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await described('POST', '/api/usage', { records: [] }, { 'content-encoding': 'gzip' })).status).toBe(415);
    const tooLarge = await streamUntilAnswered(
      api.base,
      '/api/usage',
      { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json', 'content-length': BODY_LIMITS.usageBatch + 1 },
      0,
    );
    expect(tooLarge.status).toBe(413);
    expect(contract.answerProblems('POST', '/api/usage', tooLarge)).toEqual([]);
  });

  it('POST /api/tenants/{tenantId}/funds: a grant and its replay; 400, 401, 409, 413, 415, 422', async () => {
    const first = await grant('funds-t', '25.00', 'funds-1');
    expect(first.json).toMatchObject({ replayed: false, account: { balanceMinor: 2500 } });
    expect((await grant('funds-t', '25.00', 'funds-1')).json).toMatchObject({ replayed: true });
    await wellFormed('POST', '/api/tenants/funds-t/funds', { amount: 25, currency: 'USD', idempotencyKey: 'funds-number' });

    expect((await refusedGrant('funds-t', '5.00', 'funds-small')).status).toBe(422);
    expect((await refusedGrant('funds-t', '20', 'funds-eur', { currency: 'EUR' })).status).toBe(422);
    expect((await refusedGrant('funds-t', '12.345', 'funds-digits')).status).toBe(422);
    const reused = await refusedGrant('funds-t', '30.00', 'funds-1');
    expect([reused.status, reused.json.error]).toEqual([409, 'key-reused-with-different-parameters']);
    expect((await described('POST', '/api/tenants/funds-t/funds', { amount: '20' })).status).toBe(400);
    expect((await described('POST', '/api/tenants/-bad/funds', { amount: '20', currency: 'USD', idempotencyKey: 'k' })).status).toBe(400);
    expect((await described('POST', '/api/tenants/funds-t/funds', { amount: '20' }, { authorization: null })).status).toBe(401);
    expect((await described('POST', '/api/tenants/funds-t/funds', 'amount=20', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    const tooLarge = await described('POST', '/api/tenants/funds-t/funds', {
      amount: '20',
      currency: 'USD',
      idempotencyKey: 'big',
      note: 'x'.repeat(BODY_LIMITS.grant),
    });
    expect(tooLarge.status).toBe(413);
  });

  it('the document refuses the bodies the routes answer 400 to', () => {
    expect(contract.requestProblems('POST', '/api/tenants/t/funds', { amount: '20' })).not.toEqual([]);
    expect(contract.requestProblems('POST', '/api/tenants/t/funds', { amount: '-1', currency: 'USD', idempotencyKey: 'k' })).not.toEqual([]);
    expect(contract.requestProblems('POST', '/api/usage', { rows: [] })).not.toEqual([]);
    expect(contract.requestProblems('POST', '/api/usage', { records: Array.from({ length: 10_001 }, () => record('t', '1')) })).not.toEqual([]);
  });

  it('GET account, journal, journal.csv and insight: 200, 400, 401, 404', async () => {
    await grant('read-t', '40.00', 'read-seed');
    await wellFormed('POST', '/api/usage', { records: [record('read-t', '1.10', {}, at()), record('read-t', 0.07, {}, at())] });
    for (const route of ['account', 'journal', 'journal.csv', 'insight']) {
      expect((await described('GET', `/api/tenants/read-t/${route}`)).status, route).toBe(200);
      expect((await described('GET', `/api/tenants/nobody/${route}`)).status, route).toBe(404);
      expect((await described('GET', `/api/tenants/-bad/${route}`)).status, route).toBe(400);
      expect((await described('GET', `/api/tenants/read-t/${route}`, undefined, { authorization: null })).status, route).toBe(401);
    }
    const csv = await described('GET', '/api/tenants/read-t/journal.csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect((await described('GET', '/api/tenants/read-t/journal?after=1&limit=1')).json).toMatchObject({ entries: [{ id: '2' }], next: '2' });
    expect((await described('GET', '/api/tenants/read-t/journal?limit=0')).status).toBe(400);
    expect((await described('GET', '/api/tenants/read-t/journal?after=x')).status).toBe(400);
  });

  it('GET usage: grouped by user and department as hand-computed, in JSON and CSV; hostile queries are 400 and change nothing', async () => {
    const tenantId = 'usage-by-t';
    await grant(tenantId, '50.00', 'usage-by-seed');
    const call = (charge: string, startDateTime: string, extra: Record<string, unknown>) =>
      record(tenantId, charge, { startDateTime, endDateTime: null, ...extra }, at());
    await wellFormed('POST', '/api/usage', {
      records: [
        call('1.20', '2026-03-01T10:00:00Z', {
          userPrincipalName: 'Ana@Contoso.com',
          userDisplayName: 'Ana Lima',
          administrativeUnitInfos: [{ id: 'au-sales' }],
        }),
        call('0.30', '2026-03-02T08:00:00Z', { userPrincipalName: 'ana@contoso.com', department: 'au-sales' }),
        call('0.75', '2026-02-28T23:30:00Z', { userPrincipalName: 'bo@contoso.com', userDisplayName: '=HYPERLINK("http://evil","Bo")' }),
        call('0.40', '2026-03-02T08:30:00Z', { userId: null, callType: 'ucap_out' }),
        call('5.00', '2026-02-20T12:00:00Z', { userPrincipalName: 'ana@contoso.com' }),
      ],
    });
    const route = `/api/tenants/${tenantId}/usage`;
    const byUser = await described('GET', `${route}?groupBy=user&from=2026-02-28&to=2026-03-02`);
    expect(byUser.json).toEqual({
      tenantId,
      currency: 'USD',
      groupBy: 'user',
      from: '2026-02-28T00:00:00.000Z',
      to: '2026-03-03T00:00:00.000Z',
      rows: [
        { key: 'ana@contoso.com', label: 'Ana Lima', unknown: false, calls: 2, seconds: 120, amountMinor: 150, amount: '1.50' },
        { key: 'bo@contoso.com', label: '=HYPERLINK("http://evil","Bo")', unknown: false, calls: 1, seconds: 60, amountMinor: 75, amount: '0.75' },
        { key: 'unknown user', label: 'unknown user', unknown: true, calls: 1, seconds: 60, amountMinor: 40, amount: '0.40' },
      ],
      total: { calls: 4, seconds: 240, amountMinor: 265, amount: '2.65' },
      truncated: false,
    });
    const byDepartment = await described('GET', `${route}?groupBy=department&from=2026-02-28T00:00:00Z&to=2026-03-03T00:00:00Z`);
    expect(byDepartment.json.rows.map((r: { key: string; amountMinor: number }) => [r.key, r.amountMinor])).toEqual([
      ['au-sales', 150],
      ['no department', 115],
    ]);
    // Without a range: the 30 days before now, which holds all five calls.
    expect((await described('GET', `${route}?groupBy=day`)).json.total).toMatchObject({ calls: 5, amountMinor: 765 });

    const csv = await described('GET', `${route}?groupBy=user&from=2026-02-28&to=2026-03-02&format=csv`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text).toBe(
      [
        'key,label,calls,seconds,amount,currency',
        'ana@contoso.com,Ana Lima,2,120,1.50,USD',
        `bo@contoso.com,"'=HYPERLINK(""http://evil"",""Bo"")",1,60,0.75,USD`,
        'unknown user,unknown user,1,60,0.40,USD',
        '',
      ].join('\r\n'),
    );
    const accepted = await described('GET', `${route}?groupBy=user&from=2026-02-28&to=2026-03-02`, undefined, { accept: 'text/csv, application/json;q=0.5' });
    expect(accepted.text).toBe(csv.text);
    const jsonAsked = await described('GET', `${route}?groupBy=user&format=json`, undefined, { accept: 'text/csv' });
    expect(jsonAsked.headers['content-type']).toMatch(/^application\/json/);

    const journalBefore = (await described('GET', `/api/tenants/${tenantId}/journal?limit=1000`)).text;
    const hostile = [
      'groupBy=country',
      'groupBy=user&groupBy=day',
      'from=2026-02-30',
      'from=yesterday',
      'to=2026-13-01',
      'from=2026-03-02&to=2026-03-01',
      'from=2026-03-01T00:00:00Z&to=2026-03-01T00:00:00Z',
      'from=2025-01-01&to=2026-03-01',
      'from=0001-01-01T00:00:00Z&to=9999-12-31T00:00:00Z',
      'format=xml',
    ];
    for (const q of hostile) {
      const refused = await described('GET', `${route}?${q}`);
      expect([q, refused.status, refused.json.error]).toEqual([q, 400, 'bad-request']);
      expect(refused.json.message, q).toEqual(expect.any(String));
    }
    expect((await described('GET', `${route}?from=2026-03-02&to=2026-03-01`)).json.message).toBe('from must be before to');
    expect((await described('GET', `${route}?from=2025-01-01&to=2026-03-01`)).json.message).toMatch(/at most 92 days/);
    expect((await described('GET', `/api/tenants/${tenantId}/journal?limit=1000`)).text).toBe(journalBefore);
    expect((await described('GET', '/api/tenants/nobody/usage')).status).toBe(404);
    expect((await described('GET', '/api/tenants/-bad/usage')).status).toBe(400);
    expect((await described('GET', route, undefined, { authorization: null })).status).toBe(401);
  });

  it('POST sync without Microsoft Graph: 503, and 400, 401', async () => {
    const off = await described('POST', '/api/tenants/sync-t/sync');
    expect(off.status).toBe(503);
    expect(off.json.error).toBe('graph-not-configured');
    expect((await described('POST', '/api/tenants/-bad/sync')).status).toBe(400);
    expect((await described('POST', '/api/tenants/sync-t/sync', undefined, { authorization: null })).status).toBe(401);
  });

  it('the journal shows every kind of entry the document names, each as described', async () => {
    const tenantId = 'kinds-t';
    const { ledger, gateway } = api.app;
    const ok = <T extends { ok: boolean }>(result: T) => expect(result.ok, JSON.stringify(result)).toBe(true);
    await grant(tenantId, '25.00', 'kinds-seed');
    ok(await ledger.setLowBalanceAlert(tenantId, '5', 'admin-1'));
    ok(await ledger.setAutoRecharge(tenantId, { enabled: true, trigger: '20', amount: '50' }, 'admin-1'));
    // Below the trigger: the sandbox's card pays a recharge.
    await wellFormed('POST', '/api/usage', { records: [record(tenantId, '10.00', {}, at())] });
    await ledger.idle();
    expect((await described('GET', `/api/tenants/${tenantId}/account`)).json).toMatchObject({
      balanceMinor: 6500,
      lots: [{ source: 'manual' }, { source: 'auto-recharge' }],
    });
    // Confirmation cards: one cancelled, one paid.
    ok(await ledger.offerPurchase(tenantId, { offerId: 'offer-cancelled', amount: '30', offeredTo: 'admin-1' }));
    ok(await ledger.cancelPurchase(tenantId, 'offer-cancelled', 'admin-1'));
    ok(await ledger.offerPurchase(tenantId, { offerId: 'offer-paid', amount: '30', offeredTo: 'admin-1' }));
    ok(await ledger.confirmPurchase(tenantId, 'offer-paid', 'admin-1'));
    // A declining card: a purchase and the next recharge fail.
    await gateway.chooseTestCard(tenantId, 'mastercard-decline');
    await ledger.paymentMethodChanged(tenantId, 'Mastercard ending 0002', 'admin-1');
    ok(await ledger.offerPurchase(tenantId, { offerId: 'offer-declined', amount: '30', offeredTo: 'admin-1' }));
    expect((await ledger.confirmPurchase(tenantId, 'offer-declined', 'admin-1')).ok).toBe(false);
    await wellFormed('POST', '/api/usage', { records: [record(tenantId, '80.00', {}, at())] });
    await ledger.idle();
    const retrying = await described('GET', `/api/tenants/${tenantId}/account`);
    expect(retrying.json.autoRecharge).toMatchObject({ enabled: true, status: 'retrying', consecutiveFailures: 1, nextRetryAt: expect.any(String) });
    // A month before the lots expire, and after.
    clock.advance(365 * DAY_MS - 29 * DAY_MS);
    await ledger.sweep();
    clock.advance(30 * DAY_MS);
    await ledger.sweep();
    await ledger.idle();
    expect((await described('GET', `/api/tenants/${tenantId}/account`)).json).toMatchObject({ lots: [], status: 'suspended' });
    // Spend controls: a paying card recharges once this month; the cap of one pauses the next, and the day's spend passes its alert.
    await gateway.chooseTestCard(tenantId, 'visa-success');
    await ledger.paymentMethodChanged(tenantId, 'Visa ending 4242', 'admin-1');
    await ledger.idle();
    ok(await ledger.setSpendControls(tenantId, { monthlyRechargeCount: 1, dailySpendAlert: '10' }, 'admin-1'));
    await wellFormed('POST', '/api/usage', { records: [record(tenantId, '45.00', {}, at())] });
    await ledger.idle();
    expect((await described('GET', `/api/tenants/${tenantId}/account`)).json).toMatchObject({
      autoRecharge: { status: 'limited-this-month' },
      spendControls: { monthlyRechargeMaxCount: 1, dailySpendAlert: '10.00', thisMonth: { recharges: 1, addedMinor: 5000 } },
    });
    // The weekly report, due now: scheduled for this weekday and hour (UTC).
    const now = new Date(clock.now());
    await ledger.setWeeklyReportSchedule(tenantId, { day: now.getUTCDay() || 7, hour: now.getUTCHours(), timeZone: 'UTC' }, 'admin-1');
    expect(await ledger.raiseDueWeeklyReports(weeklyReportContext(api.app.conversations))).toEqual({ raised: 1 });

    const journal = await described('GET', `/api/tenants/${tenantId}/journal?limit=1000`);
    const kinds = new Set(journal.json.entries.map((e: { kind: string }) => e.kind));
    expect([...kinds].sort()).toEqual([...contract.document.components.schemas.JournalEntry.properties.kind.enum].sort());
    expect((await described('GET', `/api/tenants/${tenantId}/insight`)).status).toBe(200);
    expect((await described('GET', `/api/tenants/${tenantId}/journal.csv`)).status).toBe(200);
  });
});

describe('operator API answers while the API is off, as the document describes them', () => {
  it('503 on every operator route', async () => {
    const api = await startOperatorApi({ OPERATOR_API_KEY: '' });
    try {
      const contract = await ApiContract.load(api.base);
      const routes = [
        ['POST', '/api/usage'],
        ['GET', '/api/tenants/t/account'],
        ['POST', '/api/tenants/t/funds'],
        ['GET', '/api/tenants/t/journal'],
        ['GET', '/api/tenants/t/journal.csv'],
        ['GET', '/api/tenants/t/insight'],
        ['GET', '/api/tenants/t/usage'],
        ['POST', '/api/tenants/t/sync'],
      ] as const;
      for (const [method, route] of routes) {
        const response = await rawRequest(api.base, method, route);
        expect(response.status, route).toBe(503);
        expect(contract.answerProblems(method, route, response), route).toEqual([]);
      }
    } finally {
      await api.stop();
    }
  });
});
