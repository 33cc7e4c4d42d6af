import { describe, expect, it } from 'vitest';
import { openLowdbLedgerStore } from '../../data/lowdbLedgerStore.js';
import { openPostgresLedgerStore } from '../../data/postgres/postgresLedgerStore.js';
import type { JournalEntry } from '../../services/ledger/journal.js';
import { LedgerService } from '../../services/ledgerService.js';
import type { LedgerStore } from '../../services/ports.js';
import { pricer } from '../../services/rates.js';
import { ledgerFixtureOver, POLICY, RATES, usage } from '../support/ledgerFixture.js';
import { comparableAccount } from './ledgerStoreContract.js';
import { useTestDatabase } from './postgresTestDatabase.js';
import { useTempFolders } from './tempFolders.js';

const database = useTestDatabase();
const tempFolder = useTempFolders('spend-controls-');

async function journalOf(store: LedgerStore, tenantId: string): Promise<JournalEntry[]> {
  return store.journal(tenantId, 0, 100_000);
}

const rechargesIn = (entries: JournalEntry[]) => entries.filter((e) => e.detail.kind === 'funds-added' && e.detail.source === 'auto-recharge');

/**
 * Each store: two ledger services over it (two instances, for PostgreSQL two pools) drive 40
 * concurrent usage batches past a cap of 3 recharges a month; then a reopened store holds the
 * same caps, tally and pause.
 */
const STORES: Array<{
  name: string;
  open: () => Promise<{ first: LedgerStore; second: () => Promise<LedgerStore>; reopen: () => Promise<LedgerStore>; close: () => Promise<void> }>;
}> = [
  {
    name: 'embedded (lowdb)',
    open: async () => {
      const dir = await tempFolder();
      let store = await openLowdbLedgerStore({ dir, checkpointIntervalMs: 600_000 });
      return {
        first: store,
        // One folder has one writer: the second "instance" is the same store.
        second: async () => store,
        reopen: async () => {
          await store.close();
          store = await openLowdbLedgerStore({ dir, checkpointIntervalMs: 600_000 });
          return store;
        },
        close: () => store.close(),
      };
    },
  },
  {
    name: 'PostgreSQL',
    open: async () => {
      const { schema, url } = await database.createSchema();
      const stores: LedgerStore[] = [await openPostgresLedgerStore({ url, poolSize: 4, snapshotEveryEntries: 16 })];
      return {
        first: stores[0]!,
        second: async () => {
          const other = await openPostgresLedgerStore({ url, poolSize: 4, migrate: false });
          stores.push(other);
          return other;
        },
        reopen: async () => {
          const cold = await openPostgresLedgerStore({ url, poolSize: 1, migrate: false });
          stores.push(cold);
          return cold;
        },
        close: async () => {
          for (const store of stores) await store.close();
          await database.dropSchema(schema);
        },
      };
    },
  },
];

describe.each(STORES)('spend controls on the $name store', ({ open }) => {
  it('never one recharge too many under concurrent usage from two instances, and the caps and tally survive a reopen', async () => {
    const place = await open();
    try {
      const fixture = ledgerFixtureOver(place.first);
      const { clock, gateway } = fixture;
      const other = new LedgerService({ store: await place.second(), gateway, clock, policy: POLICY, price: pricer(RATES) });
      const instances = [fixture.ledger, other];
      await fixture.ledger.grantFunds('t1', { amount: '30', currency: 'USD', idempotencyKey: 'seed', actor: 'operator' });
      expect(await fixture.ledger.setAutoRecharge('t1', { enabled: true, trigger: '20', amount: '50' }, 'admin')).toMatchObject({ ok: true });
      expect(await other.setSpendControls('t1', { monthlyRechargeCount: 3, dailySpendAlert: '100', timeZone: 'Asia/Shanghai' }, 'admin')).toMatchObject({
        ok: true,
      });

      // Every batch takes the balance below the trigger whatever the recharges did meanwhile.
      for (let round = 0; round < 4; round++) {
        await Promise.all(Array.from({ length: 10 }, (_, i) => instances[i % 2]!.ingestUsage([usage('t1', '45.00', clock)])));
        await Promise.all(instances.map((ledger) => ledger.idle()));
      }
      const entries = await journalOf(place.first, 't1');
      expect(rechargesIn(entries)).toHaveLength(3);
      expect(entries.filter((e) => e.kind === 'auto-recharge-started')).toHaveLength(3);
      expect(entries.filter((e) => e.kind === 'auto-recharge-limited')).toHaveLength(1);
      expect(entries.filter((e) => e.kind === 'daily-spend-exceeded')).toHaveLength(1);
      const account = (await place.first.account('t1'))!;
      expect(account.recharge.monthly).toEqual({ month: '2026-01', recharges: 3, addedMinor: 15_000 });
      expect(account.recharge.limitedMonth).toBe('2026-01');
      expect(account.dailySpendAlertedDay).toBe('2026-01-15');

      const reopened = await place.reopen();
      expect(comparableAccount((await reopened.account('t1'))!)).toEqual(comparableAccount(account));
      expect((await reopened.account('t1'))!.spendControls).toEqual({
        monthlyRechargeMaxMinor: null,
        monthlyRechargeMaxCount: 3,
        dailySpendAlertMinor: 10_000,
        timeZone: 'Asia/Shanghai',
      });
    } finally {
      await place.close();
    }
  }, 60_000);
});
