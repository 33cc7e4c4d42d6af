import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { record, startOperatorApi } from './operatorApiServer.js';

type Api = Awaited<ReturnType<typeof startOperatorApi>>;

/** Records that are almost right: each field may be swapped for junk of any JSON type. */
const junkValue = fc.oneof(
  fc.jsonValue(),
  fc.string(),
  fc.double(),
  fc.constantFrom('', '-1', '1e9', '0.001', 'NaN', '١٢', '12,5', ' 7 ', '2026-02-30T00:00:00Z'),
);
const almostRecord = fc
  .record({
    field: fc.constantFrom('id', 'tenantId', 'startDateTime', 'duration', 'charge', 'currency', 'callType', 'destinationName'),
    value: junkValue,
    charge: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ field, value, charge }) => ({ ...record('junk-t', `0.${String(charge).padStart(3, '0').slice(0, 2)}`), [field]: value }));

describe('operator API under junk', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startOperatorApi();
    await api.call('POST', '/api/tenants/junk-t/funds', { amount: '1000.00', currency: 'USD', idempotencyKey: 'junk-seed' });
  });
  afterAll(async () => {
    await api.stop();
  });

  it('never answers 5xx, answers each record, and keeps the balance equal to its journal', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(almostRecord, junkValue), { maxLength: 20 }), async (records) => {
        const response = await api.call('POST', '/api/usage', { records });
        expect(response.status).toBe(200);
        const { accepted, duplicates, rejected } = response.body as { accepted: number; duplicates: number; rejected: unknown[] };
        expect(accepted + duplicates + rejected.length).toBe(records.length);
      }),
      { numRuns: 60 },
    );
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (body) => {
        const response = await api.call('POST', '/api/usage', body);
        expect([200, 400]).toContain(response.status);
        const funds = await api.call('POST', '/api/tenants/junk-t/funds', body);
        expect([400, 422]).toContain(funds.status);
      }),
      { numRuns: 60 },
    );
    const account = (await api.call('GET', '/api/tenants/junk-t/account')).body;
    const journal = (await api.call('GET', '/api/tenants/junk-t/journal?limit=1000')).body.entries as Array<{ amountMinor: number }>;
    expect(account.balanceMinor).toBe(journal.reduce((s, e) => s + e.amountMinor, 0));
  });
});
