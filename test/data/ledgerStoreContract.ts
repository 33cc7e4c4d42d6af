import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StoredAlert } from '../../services/alerts.js';
import { invariantViolation, type Account } from '../../services/ledger/account.js';
import { toSnapshot } from '../../services/ledger/accountSnapshot.js';
import type { JournalEntry } from '../../services/ledger/journal.js';
import type { LedgerStore } from '../../services/ports.js';
import { addFunds, recordUsage, usageBatch, wholeJournal } from './ledgerFixtures.js';

export interface LedgerStoreContractOptions<S extends LedgerStore> {
  /** Makes an empty place for a store (a folder, a database schema). Default: a temporary folder. */
  createPlace?: () => Promise<string>;
  removePlace?: (place: string) => Promise<void>;
  /** Moves what the store holds in memory to its long-term form (a checkpoint), if it has one. */
  settle?: (store: S) => Promise<void>;
}

/**
 * The behaviour every LedgerStore must have, as a suite: run it for each implementation with a
 * function that opens (or reopens) the store kept at a place.
 */
export function describeLedgerStoreContract<S extends LedgerStore>(
  name: string,
  openStore: (place: string) => Promise<S>,
  options: LedgerStoreContractOptions<S> = {},
): void {
  const createPlace = options.createPlace ?? (() => mkdtemp(path.join(os.tmpdir(), 'ledger-contract-')));
  const removePlace = options.removePlace ?? ((place: string) => rm(place, { recursive: true, force: true }));
  const settle = options.settle ?? (async () => undefined);

  describe(`LedgerStore contract: ${name}`, () => {
    let place: string;
    const openStores = new Set<S>();

    const open = async (): Promise<S> => {
      const store = await openStore(place);
      openStores.add(store);
      return store;
    };
    const reopen = async (store: S): Promise<S> => {
      await store.close();
      openStores.delete(store);
      return open();
    };

    beforeEach(async () => {
      place = await createPlace();
    });
    afterEach(async () => {
      for (const store of openStores) await store.close();
      openStores.clear();
      await removePlace(place);
    });

    it('serialises 200 concurrent changes to one tenant: none is lost, each decide sees the ones before', async () => {
      const store = await open();
      // 150 distinct keys among 200 calls: a repeat must see its first call even before it is durable.
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => store.change('t1', addFunds('t1', 1_000 + (i % 150), `k${i % 150}`))));

      const expected = Array.from({ length: 150 }, (_, i) => 1_000 + i).reduce((a, b) => a + b, 0);
      const account = (await store.account('t1'))!;
      expect(account.balanceMinor).toBe(expected);
      expect(account.entryCount).toBe(151);
      expect(account.lots).toHaveLength(150);
      expect(new Set(results).size).toBe(150);
      expect(results.slice(150)).toEqual(results.slice(0, 50));
      expectConsistent(account, await wholeJournal(store, 't1'));
    });

    it('runs tenants in parallel, each serialised on its own', async () => {
      const store = await open();
      const tenants = Array.from({ length: 8 }, (_, i) => `tenant-${i}`);
      await Promise.all(
        tenants.flatMap((tenant) =>
          Array.from({ length: 30 }, (_, i) =>
            i % 3 === 2
              ? store.change(tenant, recordUsage(tenant, [{ recordId: `${tenant}-u${i}`, chargeMinor: 150 }]))
              : store.change(tenant, addFunds(tenant, 500, `${tenant}-f${i}`)),
          ),
        ),
      );
      expect((await store.tenantIds()).sort()).toEqual([...tenants].sort());
      for (const tenant of tenants) {
        const account = (await store.account(tenant))!;
        expect(account.balanceMinor).toBe(20 * 500 - 10 * 150);
        expect(account.entryCount).toBe(31);
        expectConsistent(account, await wholeJournal(store, tenant));
      }
    });

    it('writes nothing when decide throws, and rejects with its error', async () => {
      let store = await open();
      await store.change('t1', addFunds('t1', 5_000, 'first'));
      const refusal = new Error('amount too small');
      await expect(
        store.change('t1', () => {
          throw refusal;
        }),
      ).rejects.toBe(refusal);
      await expect(
        store.change('new-tenant', () => {
          throw refusal;
        }),
      ).rejects.toBe(refusal);

      // The store goes on working after a refusal.
      await store.change('t1', addFunds('t1', 1_000, 'second'));
      store = await reopen(store);
      expect(await store.tenantIds()).toEqual(['t1']);
      expect(await store.account('new-tenant')).toBeUndefined();
      expect((await store.account('t1'))!.entryCount).toBe(3);
      expect((await wholeJournal(store, 't1')).map((e) => e.idempotencyKey)).toEqual([null, 'first', 'second']);
    });

    it('writes nothing for a result-only decide, which still sees the latest account', async () => {
      let store = await open();
      expect(await store.change('nobody', () => ({ result: 'nothing to do' }))).toBe('nothing to do');
      expect(await store.tenantIds()).toEqual([]);

      const pending = store.change('t1', addFunds('t1', 2_500, 'a'));
      const seen = await store.change('t1', (account) => ({ result: account?.balanceMinor }));
      expect(seen).toBe(2_500);
      await pending;
      // A replayed key is a result-only change returning the first outcome.
      expect(await store.change('t1', addFunds('t1', 2_500, 'a'))).toBe('2');

      store = await reopen(store);
      expect(await store.tenantIds()).toEqual(['t1']);
      expect((await store.account('t1'))!.entryCount).toBe(2);
      expect(await store.journal('t1', 0, 100)).toHaveLength(2);
    });

    it('pages the journal across segment boundaries and the newest, unsettled entries', async () => {
      let store = await open();
      const t = 'pager';
      await store.change(t, addFunds(t, 100_000_000, 'seed'));
      for (let b = 0; b < 11; b++) await store.change(t, recordUsage(t, usageBatch(`b${b}`, 1_000)));
      await settle(store); // entries 1..11,002 settled; what follows stays new
      await store.change(t, recordUsage(t, usageBatch('b11', 1_000)));
      for (let i = 0; i < 5; i++) await store.change(t, addFunds(t, 1_000, `late-${i}`));
      const total = 2 + 12_000 + 5;

      const all = await wholeJournal(store, t, 777);
      expect(all.map((e) => e.id)).toEqual(Array.from({ length: total }, (_, i) => String(i + 1)));
      expectConsistent((await store.account(t))!, all);

      const ids = async (after: number, limit: number) => (await store.journal(t, after, limit)).map((e) => Number(e.id));
      expect(await ids(9_999, 3)).toEqual([10_000, 10_001, 10_002]);
      expect(await ids(9_998, 1)).toEqual([9_999]);
      expect(await ids(11_000, 5)).toEqual([11_001, 11_002, 11_003, 11_004, 11_005]);
      expect(await ids(0, 2)).toEqual([1, 2]);
      expect(await ids(total - 2, 10)).toEqual([total - 1, total]);
      expect(await ids(total, 10)).toEqual([]);
      expect(await ids(5, 0)).toEqual([]);
      expect(await store.journal('unknown', 0, 10)).toEqual([]);

      store = await reopen(store);
      expect(await wholeJournal(store, t, 4_096)).toEqual(all);
    });

    it('finds the latest entries of some kinds in a stretch of the journal, past the calls between them, settled or not', async () => {
      let store = await open();
      const t = 'latest';
      await store.change(t, addFunds(t, 100_000, 'f0'));
      await store.change(t, recordUsage(t, usageBatch('u0', 300)));
      await store.change(t, addFunds(t, 2_000, 'f1'));
      await store.change(t, recordUsage(t, usageBatch('u1', 300)));
      await settle(store);
      await store.change(t, addFunds(t, 3_000, 'f2'));
      await store.change(t, recordUsage(t, usageBatch('u2', 50)));
      await store.change(t, addFunds(t, 4_000, 'f3'));
      const all = await wholeJournal(store, t);
      const ids = (entries: JournalEntry[]) => entries.map((e) => Number(e.id));
      const expected = (kinds: JournalEntry['kind'][], from: number, before: number, limit: number) =>
        ids(
          all
            .filter((e) => kinds.includes(e.kind) && Number(e.id) >= from && Number(e.id) < before)
            .reverse()
            .slice(0, limit),
        );
      const queries: Array<[JournalEntry['kind'][], number, number, number]> = [
        [['funds-added'], 1, all.length + 1, 10],
        [['funds-added'], 1, all.length + 1, 2],
        [['funds-added', 'account-opened'], 1, 400, 10],
        [['funds-added'], 303, 655, 10],
        [['funds-added'], 304, 655, 10],
        [['usage'], 1, all.length, 3],
        [['funds-added', 'expired'], all.length + 1, all.length + 1, 10],
        [['funds-added'], 1, all.length + 1, 0],
      ];
      const answers = async () => Promise.all(queries.map(([kinds, from, before, limit]) => store.latestEntries(t, { kinds, from, before, limit })));
      expect(expected(['funds-added'], 1, all.length + 1, 10)).toEqual([all.length, all.length - 51, 303, 2]);
      const found = await answers();
      expect(found.map(ids)).toEqual(queries.map((query) => expected(...query)));
      expect(found[0]).toEqual(all.filter((e) => e.kind === 'funds-added').reverse());
      expect(await store.latestEntries('unknown', { kinds: ['funds-added'], from: 1, before: 10, limit: 10 })).toEqual([]);

      store = await reopen(store);
      expect(await answers()).toEqual(found);
    });

    it('keeps accounts, journals, tenants and alerts across close and reopen', async () => {
      let store = await open();
      const tenants = ['00000000-0000-0000-0000-000000000001', 'local', 'Contoso Ltd/ü'];
      for (const [i, tenant] of tenants.entries()) {
        await store.change(tenant, addFunds(tenant, 3_000 + i, `${tenant}-f`));
        await store.change(tenant, recordUsage(tenant, usageBatch(`${tenant}-u`, 3, 900)));
      }
      const before = await describeStore(store);
      expect(before.alerts.length).toBeGreaterThan(0);

      store = await reopen(store);
      expect(await describeStore(store)).toEqual(before);
      // The reopened store goes on numbering where it left off.
      await store.change('local', addFunds('local', 1_000, 'after-reopen'));
      expect((await store.journal('local', 5, 10)).map((e) => e.id)).toEqual(['6']);
    });

    it('hands alerts to listeners once durable and keeps them pending until acknowledged', async () => {
      let store = await open();
      const delivered: StoredAlert[] = [];
      const pendingWhenDelivered: Array<Promise<StoredAlert[]>> = [];
      store.onAlerts((alerts) => {
        delivered.push(...alerts);
        pendingWhenDelivered.push(store.pendingAlerts());
      });
      await store.change('t1', addFunds('t1', 5_000, 'f1'));
      await store.change('t1', recordUsage('t1', [{ recordId: 'u1', chargeMinor: 4_500 }])); // below 10.00
      await store.change('t1', recordUsage('t1', [{ recordId: 'u2', chargeMinor: 600 }])); // below zero

      await vi.waitFor(() => expect(delivered.map((s) => s.alert.type)).toEqual(['low-balance', 'suspended']));
      const [low, suspended] = delivered as [StoredAlert, StoredAlert];
      expect(low.id).not.toBe(suspended.id);
      expect(low.alert).toMatchObject({ tenantId: 't1', balanceMinor: 500, thresholdMinor: 1_000 });
      for (const [i, pending] of (await Promise.all(pendingWhenDelivered)).entries()) {
        expect(pending.map((s) => s.id)).toContain(delivered[i]!.id);
      }
      expect(await store.pendingAlerts()).toEqual([low, suspended]);

      await store.acknowledgeAlert(low.id);
      await store.acknowledgeAlert('no-such-alert');
      expect(await store.pendingAlerts()).toEqual([suspended]);

      store = await reopen(store);
      expect(await store.pendingAlerts()).toEqual([suspended]);
      await store.acknowledgeAlert(suspended.id);
      store = await reopen(store);
      expect(await store.pendingAlerts()).toEqual([]);

      // New alerts get ids never used before.
      await store.change('t1', addFunds('t1', 10_000, 'f2'));
      await store.change('t1', recordUsage('t1', [{ recordId: 'u3', chargeMinor: 9_000 }]));
      const fresh = await store.pendingAlerts();
      expect(fresh.map((s) => s.alert.type)).toEqual(['resumed', 'low-balance']);
      expect(new Set([low.id, suspended.id, ...fresh.map((s) => s.id)]).size).toBe(4);
    });

    it('refuses changes once closed', async () => {
      const store = await open();
      await store.close();
      openStores.delete(store);
      await expect(store.change('t1', addFunds('t1', 1_000, 'late'))).rejects.toThrow(/closed/);
    });
  });
}

/** The ledger's invariant, and the journal agreeing with the account entry by entry. */
export function expectConsistent(account: Account, journal: readonly JournalEntry[]): void {
  expect(invariantViolation(account)).toBeNull();
  expect(journal.map((e) => e.id)).toEqual(Array.from({ length: account.entryCount }, (_, i) => String(i + 1)));
  let balance = 0;
  for (const entry of journal) {
    balance += entry.amountMinor;
    expect(entry.balanceAfterMinor).toBe(balance);
  }
  expect(balance).toBe(account.balanceMinor);
}

/** Everything a store shows, in a form that compares equal when the content is the same. */
async function describeStore(store: LedgerStore) {
  const tenants = (await store.tenantIds()).sort();
  const accounts = await Promise.all(tenants.map(async (tenant) => comparableAccount((await store.account(tenant))!)));
  const journals = await Promise.all(tenants.map((tenant) => wholeJournal(store, tenant)));
  return { tenants, accounts, journals, alerts: await store.pendingAlerts() };
}

/** An account's content; the usage keys' table layout may differ after a rebuild, their number may not. */
export function comparableAccount(account: Account) {
  const { keys, ...rest } = toSnapshot(account);
  return { ...rest, operationKeys: keys.operations, usageKeyCount: account.keys.usageCount };
}
