import { afterEach, describe, expect, it } from 'vitest';
import { openPostgresLedgerStore, type PostgresLedgerStore } from '../../data/postgres/postgresLedgerStore.js';
import type { WeeklyReportContext } from '../../services/ledgerService.js';
import { ledgerFixtureOver } from '../support/ledgerFixture.js';
import { useTestDatabase } from './postgresTestDatabase.js';

const db = useTestDatabase();
const context: WeeklyReportContext = { zoneOf: async () => 'Asia/Shanghai', nameOf: async () => null };

/**
 * Several instances on one PostgreSQL database, each with its own cache of the account and its own
 * timer: the week's report is raised once, because its key (tenant and week) is written in the
 * same transaction as its alert and the database refuses a second one.
 */
describe('the weekly report on PostgreSQL', () => {
  const opened: PostgresLedgerStore[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it('is raised once per week when four instances check at the same moment, and again by none after a restart', async () => {
    const { url } = await db.createSchema();
    let now = Date.parse('2026-11-20T00:00:00Z');
    /** One process: its own pool, account cache and ledger service, on the shared database. */
    const instance = async () => {
      const store = await openPostgresLedgerStore({ url, poolSize: 2 });
      opened.push(store);
      const fixture = ledgerFixtureOver(store);
      fixture.clock.now = () => now;
      return fixture;
    };
    const instances = await Promise.all([instance(), instance(), instance(), instance()]);
    for (const tenant of ['t-a', 't-b']) {
      await instances[0]!.ledger.grantFunds(tenant, { amount: '50.00', currency: 'USD', actor: 'operator', idempotencyKey: 'seed' });
      // Every instance has the account cached before the race.
      for (const { ledger } of instances) await ledger.account(tenant);
    }

    now = Date.parse('2026-11-30T01:00:00Z');
    const outcomes = await Promise.all(instances.map(({ ledger }) => ledger.raiseDueWeeklyReports(context)));
    expect(outcomes.reduce((sum, o) => sum + o.raised, 0)).toBe(2);

    const { rows } = await db.query<{ tenant_id: string; key: string }>(
      `SELECT tenant_id, idempotency_key AS key FROM ${new URL(url).searchParams.get('options')!.split('=')[1]}.journal WHERE kind = 'weekly-report' ORDER BY tenant_id`,
    );
    expect(rows).toEqual([
      { tenant_id: 't-a', key: 'report:t-a:2026-W49' },
      { tenant_id: 't-b', key: 'report:t-b:2026-W49' },
    ]);
    const pending = (await instances[0]!.store.pendingAlerts()).filter((a) => a.alert.type === 'weekly-report');
    expect(pending.map((a) => a.alert.tenantId).sort()).toEqual(['t-a', 't-b']);

    // A fresh instance (a restart) later that week raises nothing more.
    now = Date.parse('2026-12-01T08:00:00Z');
    const restarted = await instance();
    expect(await restarted.ledger.raiseDueWeeklyReports(context)).toEqual({ raised: 0 });
  });
});
