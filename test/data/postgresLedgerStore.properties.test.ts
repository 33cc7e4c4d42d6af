import { describe, expect, it } from 'vitest';
import type { Account } from '../../services/ledger/account.js';
import { openPostgresLedgerStore } from '../../data/postgres/postgresLedgerStore.js';
import { ledgerFixtureOver } from '../support/ledgerFixture.js';
import { checkLedgerProperties } from '../services/ledger/ledgerProperties.js';
import { comparableAccount } from './ledgerStoreContract.js';
import { useTestDatabase } from './postgresTestDatabase.js';

const db = useTestDatabase();

/** An account's content but for how many usage keys it holds: a cold process may hold pruned ones again (those of entries after its snapshot). */
const content = (account: Account | undefined) => account && { ...comparableAccount(account), usageKeyCount: undefined };

describe('ledger properties on PostgreSQL', () => {
  it('random interleavings (run concurrently in small groups) keep every invariant, and a cold process loads the same account', async () => {
    // Each run gets a schema of its own (the sweep visits every tenant of the store); snapshots are frequent.
    await checkLedgerProperties(async () => {
      const { schema, url } = await db.createSchema();
      const store = await openPostgresLedgerStore({ url, poolSize: 4, snapshotEveryEntries: 8 });
      const close = async () => {
        const cold = await openPostgresLedgerStore({ url, poolSize: 1, migrate: false });
        try {
          expect(content(await cold.account('t'))).toEqual(content(await store.account('t')));
        } finally {
          await cold.close();
          await store.close();
          await db.dropSchema(schema);
        }
      };
      return { ...ledgerFixtureOver(store), tenantId: 't', close };
    }, 25);
  }, 300_000);
});
