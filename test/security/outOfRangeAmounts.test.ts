import { afterEach, describe, expect, it } from 'vitest';
import { NEW_DESTINATION_ALERTS_PER_HOUR } from '../../services/insight/newDestinations.js';
import { MAX_CATEGORIES_PER_DAY } from '../../services/insight/usageStats.js';
import { record, startOperatorApi } from '../bot/operatorApi/operatorApiServer.js';
import { cardText } from '../cards/validateCard.js';
import { startBot } from '../e2e/support/botHarness.js';
import { startFakeConnector, waitFor } from '../e2e/support/fakeConnector.js';

/**
 * Amounts and volumes chosen to break exact arithmetic or the per-tenant statistics (issue 8,
 * findings 10 and 13), sent over HTTP to the started app: each out-of-range record is refused on
 * its own, the ledger stays exact, and a flood of destinations raises a bounded number of alerts.
 */
describe('out-of-range amounts', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function api(env: Record<string, string> = {}) {
    const started = await startOperatorApi(env);
    cleanup.push(() => started.stop());
    return started;
  }

  /** The account's balance, checked against its lots and against the whole journal. */
  async function exactBalance(call: Awaited<ReturnType<typeof api>>['call'], tenantId: string): Promise<number> {
    const account = (await call('GET', `/api/tenants/${tenantId}/account`)).body;
    const entries: Array<{ amountMinor: number; balanceAfterMinor: number }> = [];
    for (let after = 0; ; after += 1000) {
      const page = (await call('GET', `/api/tenants/${tenantId}/journal?after=${after}&limit=1000`)).body.entries;
      entries.push(...page);
      if (page.length < 1000) break;
    }
    let sum = 0;
    for (const e of entries) {
      sum += e.amountMinor;
      expect(Number.isSafeInteger(sum)).toBe(true);
      expect(e.balanceAfterMinor).toBe(sum);
    }
    const lots = account.lots.reduce((total: number, lot: { remainingMinor: number }) => total + lot.remainingMinor, 0);
    expect(account.balanceMinor).toBe(sum);
    // Σ lots − debt: a debt exists only once the lots are used up.
    expect(lots).toBe(Math.max(account.balanceMinor, 0));
    return account.balanceMinor;
  }

  it('refuses charges above MAX_USAGE_CHARGE record by record, answers 200, and keeps the ledger exact', async () => {
    const { call } = await api();
    const tenant = 'range-t';
    const intl = { destinationContext: 'International', destinationName: 'Somalia' };
    const records = [
      record(tenant, '1.00'),
      record(tenant, '90071992547409.91'),
      record(tenant, 90071992547409.91),
      record(tenant, '10000.01'),
      record(tenant, '10000.00'),
      // Priced from the rate table: 31 days at 0.25 a minute.
      record(tenant, null, { ...intl, duration: 31 * 86_400 }),
      record(tenant, null, { ...intl, duration: 31 * 86_400 + 1 }),
      record(tenant, 1e300),
      record(tenant, null, { ...intl, duration: 600 }),
    ];
    const first = await call('POST', '/api/usage', { records });
    expect(first.status).toBe(200);
    expect(first.body.accepted).toBe(3);
    expect(first.body.rejected).toEqual([
      { index: 1, error: 'charge "90071992547409.91" is above the maximum usage charge of 10000.00 USD' },
      // A JSON number that large has no cents left: it arrives as 90071992547409.9.
      { index: 2, error: 'charge "90071992547409.9" is above the maximum usage charge of 10000.00 USD' },
      { index: 3, error: 'charge "10000.01" is above the maximum usage charge of 10000.00 USD' },
      { index: 5, error: 'the rate table prices this call at 11160.02 USD, above the maximum usage charge of 10000.00 USD' },
      { index: 6, error: expect.stringContaining('duration') },
      { index: 7, error: expect.stringMatching(/^charge "1\d{300}" is above the maximum usage charge of 10000\.00 USD$/) },
    ]);
    expect(await exactBalance(call, tenant)).toBe(-(100 + 1_000_000 + 252));
    // Sent again: the accepted ones are duplicates, the refused ones refused again, nothing moves.
    const again = await call('POST', '/api/usage', { records });
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 3 });
    expect(again.body.rejected).toHaveLength(6);
    expect(await exactBalance(call, tenant)).toBe(-(100 + 1_000_000 + 252));
  });

  it('stops a run of the largest charges at the range bound, and refuses funds past it, with a reason', async () => {
    const { call } = await api({ MAX_USAGE_CHARGE: '999999999.00', MAX_ADDITION: '999999999.00' });
    const records = Array.from({ length: 101 }, () => record('debt-t', '999999999.00'));
    const usage = await call('POST', '/api/usage', { records: [...records, record('debt-t', '0.01')] });
    expect(usage.status).toBe(200);
    expect(usage.body.accepted).toBe(101);
    expect(usage.body.rejected).toEqual([
      { index: 100, error: expect.stringContaining('would take the balance or a usage total beyond ±100000000000.00 USD') },
    ]);
    expect(await exactBalance(call, 'debt-t')).toBe(-(100 * 99_999_999_900 + 1));

    for (let i = 0; i < 100; i++) {
      const grant = await call('POST', '/api/tenants/credit-t/funds', { amount: '999999999.00', currency: 'USD', idempotencyKey: `grant-${i}` });
      expect(grant.status).toBe(200);
    }
    const over = await call('POST', '/api/tenants/credit-t/funds', { amount: '999999999.00', currency: 'USD', idempotencyKey: 'grant-over' });
    expect(over.status).toBe(422);
    expect(over.body.error).toBe('balance-out-of-range');
    expect(await exactBalance(call, 'credit-t')).toBe(100 * 99_999_999_900);
  });

  it('a flood of unique destinations raises a bounded number of alerts and keeps the statistics bounded', async () => {
    const connector = await startFakeConnector();
    const bot = await startBot(connector);
    cleanup.push(
      () => connector.close(),
      () => bot.stop(),
    );
    const tenant = 'flood-t';
    const admin = bot.teams(tenant, { id: '29:admin', aadObjectId: 'aad-admin', name: 'Admin' });
    await admin.install();
    const now = bot.clock.now();
    expect(
      (await bot.operator('POST', '/api/usage', { records: [record(tenant, '0.01', { destinationContext: 'International', destinationName: 'Japan' }, now)] }))
        .body.accepted,
    ).toBe(1);

    for (let batch = 0; batch < 4; batch++) {
      const records = Array.from({ length: 10_000 }, (_, i) =>
        record(tenant, '0.01', { destinationContext: 'International', destinationName: `Flood ${batch}-${i}` }, now),
      );
      const answer = await bot.operator('POST', '/api/usage', { records });
      expect(answer.status).toBe(200);
      expect(answer.body.accepted).toBe(10_000);
    }
    await bot.app.alerts.idle();
    // The same hour's spend also crosses the spike line: that alert is not about destinations.
    const unusual = () => connector.cardsIn(admin.conversationId).filter((c) => /not called before/.test(cardText(c.card)));
    await waitFor('the first alert', () => unusual().length > 0);
    await bot.app.alerts.idle();
    const cards = unusual();
    expect(cards).toHaveLength(NEW_DESTINATION_ALERTS_PER_HOUR);
    expect(cardText(cards[0]!.card)).toContain('Calls were made to Flood 0-0, Flood 0-1, Flood 0-2, Flood 0-3, Flood 0-4 and 9,995 more destinations');
    expect(cardText(cards.at(-1)!.card)).toContain('New destinations will not raise another alert until');

    const insight = (await bot.operator('GET', `/api/tenants/${tenant}/insight`)).body;
    expect(insight.breakdown.total.calls).toBe(40_001);
    expect(insight.breakdown.rows.length).toBeLessThanOrEqual(MAX_CATEGORIES_PER_DAY + 1);
  }, 120_000);
});
