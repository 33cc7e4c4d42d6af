import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLowdbLedgerStore, type LowdbLedgerStore } from '../../data/lowdbLedgerStore.js';
import { comparableAccount, expectConsistent } from './ledgerStoreContract.js';
import { addFunds, recordUsage, usageBatch, wholeJournal } from './ledgerFixtures.js';
import { useTempFolders } from './tempFolders.js';
import { useTestDisk } from './testDisk.js';

const QUIET = { checkpointIntervalMs: 600_000, recoveryIntervalMs: 600_000, reportError: () => undefined };

async function contentOf(store: LowdbLedgerStore) {
  const tenants = (await store.tenantIds()).sort();
  return {
    tenants,
    accounts: await Promise.all(tenants.map(async (t) => comparableAccount((await store.account(t))!))),
    journals: await Promise.all(tenants.map((t) => wholeJournal(store, t))),
    alerts: await store.pendingAlerts(),
  };
}

describe('checkpoints', () => {
  const tempFolder = useTempFolders('ledger-checkpoint-');
  const takeDisk = useTestDisk();

  it('fsyncs every journal and usage key file before any account document is put in place, the accounts folder once, and the marker last', async () => {
    const dir = await tempFolder();
    const store = await openLowdbLedgerStore({ dir, ...QUIET });
    const tenants = Array.from({ length: 50 }, (_, i) => `t${i}`);
    await Promise.all(tenants.map((t) => store.change(t, addFunds(t, 10_000, `f-${t}`))));
    await store.checkpoint();
    await Promise.all(tenants.map((t) => store.change(t, recordUsage(t, usageBatch(`u-${t}`, 3)))));
    await Promise.all(['new-1', 'new-2'].map((t) => store.change(t, addFunds(t, 10_000, `f-${t}`))));

    const disk = await takeDisk();
    const calls = disk.record();
    await store.checkpoint();
    const index = (test: (call: { method: string; file: string }) => boolean) => calls.flatMap((call, i) => (test(call) ? [i] : []));
    const accountsFolder = path.join(dir, 'accounts');
    const dataSyncs = index(({ method, file }) => method.endsWith('sync') && file.startsWith(path.join(dir, 'journal')));
    const documentSyncs = index(({ method, file }) => method.endsWith('sync') && file.startsWith(`${accountsFolder}/`));
    const accountsFolderSyncs = index(({ method, file }) => method === 'sync' && file === accountsFolder);
    const markerWrites = index(({ file }) => file.startsWith(path.join(dir, 'checkpoint.json')));
    // 52 journal files, 50 key files, the 2 new tenants' folders and journal/ itself.
    expect(dataSyncs.length).toBeGreaterThanOrEqual(52 + 50 + 3);
    expect(documentSyncs).toHaveLength(52);
    // One fsync of the accounts folder for all 52 renamed documents, after every data fsync, before the marker.
    expect(accountsFolderSyncs).toHaveLength(1);
    expect(Math.max(...dataSyncs, ...documentSyncs)).toBeLessThan(accountsFolderSyncs[0]!);
    expect(accountsFolderSyncs[0]!).toBeLessThan(Math.min(...markerWrites));
    disk.heal();

    const expected = await contentOf(store);
    await store.close();
    const reopened = await openLowdbLedgerStore({ dir, ...QUIET });
    expect(reopened.recovery.transactionsReplayed).toBe(0);
    expect(await contentOf(reopened)).toEqual(expected);
    await reopened.close();
  });

  it('recovers every acknowledged change exactly once whichever write or fsync of a checkpoint was its last', { timeout: 120_000 }, async () => {
    const disk = await takeDisk();
    let completed = false;
    for (let step = 0; !completed; step++) {
      const dir = await tempFolder();
      const store = await openLowdbLedgerStore({ dir, ...QUIET });
      for (const t of ['a', 'b', 'c']) await store.change(t, addFunds(t, 10_000, `f-${t}`));
      await store.checkpoint();
      // Changed tenants, a tenant whose folder is made now, usage keys to append, an alert.
      await store.change('a', recordUsage('a', usageBatch('ua', 4)));
      await store.change('b', recordUsage('b', [{ recordId: 'big', chargeMinor: 9_500 }]));
      await store.change('d', addFunds('d', 10_000, 'f-d'));
      await store.change('d', recordUsage('d', usageBatch('ud', 2)));
      const expected = await contentOf(store);

      disk.failAfter(step);
      completed = await store.checkpoint().then(
        () => true,
        () => false,
      );
      disk.heal();
      await store.close();

      const recovered = await openLowdbLedgerStore({ dir, ...QUIET });
      expect(await contentOf(recovered), `after write or fsync ${step + 1} failed`).toEqual(expected);
      for (const t of expected.tenants) expectConsistent((await recovered.account(t))!, await wholeJournal(recovered, t));
      // The folder takes the next checkpoint and opens the same again.
      await recovered.change('d', addFunds('d', 1_000, 'after'));
      await recovered.checkpoint();
      await recovered.close();
      const again = await openLowdbLedgerStore({ dir, ...QUIET });
      expect((await again.account('d'))!.balanceMinor).toBe(expected.accounts[3]!.balanceMinor + 1_000);
      expect(await wholeJournal(again, 'a')).toEqual(expected.journals[0]);
      await again.close();
    }
  });
});
