import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { openLowdbLedgerStore, type LowdbLedgerStore } from '../../data/lowdbLedgerStore.js';
import { StoreUnavailableError } from '../../services/ports.js';
import { expectConsistent } from './ledgerStoreContract.js';
import { addFunds, recordUsage, wholeJournal } from './ledgerFixtures.js';
import { useTempFolders } from './tempFolders.js';
import { useTestDisk } from './testDisk.js';

const QUIET = { checkpointIntervalMs: 600_000 };

function walText(dir: string): string {
  return readdirSync(path.join(dir, 'wal'))
    .filter((name) => name.endsWith('.log'))
    .map((name) => readFileSync(path.join(dir, 'wal', name), 'utf8'))
    .join('');
}

/** Every way to read or write the store: each must refuse while it is down. */
async function expectEveryCallRefused(store: LowdbLedgerStore, alertId: string): Promise<void> {
  const calls = {
    change: () => store.change('t1', addFunds('t1', 100, 'refused')),
    account: () => store.account('t1'),
    journal: () => store.journal('t1', 0, 10),
    tenantIds: () => store.tenantIds(),
    pendingAlerts: () => store.pendingAlerts(),
    acknowledgeAlert: () => store.acknowledgeAlert(alertId),
    checkpoint: () => store.checkpoint(),
  };
  for (const [name, call] of Object.entries(calls)) {
    await expect(call(), name).rejects.toBeInstanceOf(StoreUnavailableError);
  }
}

/** Each idempotency key of a tenant's journal, with how often it occurs. */
async function keyCounts(store: LowdbLedgerStore, tenant: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const entry of await wholeJournal(store, tenant)) {
    if (entry.idempotencyKey !== null) counts.set(entry.idempotencyKey, (counts.get(entry.idempotencyKey) ?? 0) + 1);
  }
  return counts;
}

describe('fail-stop after a failed write', () => {
  const tempFolder = useTempFolders();
  const takeDisk = useTestDisk();

  it('refuses every call while the WAL cannot be fsynced, recovers by itself once it can, and keeps each acknowledged change once', async () => {
    const dir = await tempFolder();
    const reported: unknown[] = [];
    const store = await openLowdbLedgerStore({ dir, ...QUIET, recoveryIntervalMs: 30, reportError: (error) => reported.push(error) });
    const heard: string[] = [];
    store.onAlerts((alerts) => heard.push(...alerts.map(({ id }) => id)));
    const acknowledged: string[] = [];
    for (let i = 0; i < 9; i++) {
      await store.change(`t${i % 3}`, addFunds(`t${i % 3}`, 5_000, `before-${i}`));
      acknowledged.push(`before-${i}`);
    }
    await store.change('alerting', addFunds('alerting', 2_000, 'f'));
    await store.change('alerting', recordUsage('alerting', [{ recordId: 'u1', chargeMinor: 1_500 }]));
    const [pending] = await store.pendingAlerts();
    expect(pending!.alert.type).toBe('low-balance');

    const disk = await takeDisk();
    disk.fail('EIO', ['datasync']);
    const during = await Promise.allSettled([
      ...Array.from({ length: 6 }, (_, i) => store.change('t1', addFunds('t1', 100, `during-${i}`))),
      store.change('other', addFunds('other', 2_000, 'o-f')).then(() => store.change('other', recordUsage('other', [{ recordId: 'o1', chargeMinor: 1_500 }]))),
    ]);
    for (const outcome of during) expect(outcome.status === 'rejected' && outcome.reason).toBeInstanceOf(StoreUnavailableError);
    expect(store.health()).toEqual({ ok: false, reason: 'the write-ahead log could not be written (EIO)' });
    expect(reported).toEqual([expect.objectContaining({ code: 'EIO' })]);
    await expectEveryCallRefused(store, pending!.id);

    // Recovery is tried every 30 ms, and refused while the disk still fails.
    await sleep(200);
    expect(store.health().ok).toBe(false);
    expect(store.stats.recoveries).toBe(0);

    disk.heal();
    await vi.waitFor(() => expect(store.health()).toEqual({ ok: true, reason: null }));
    expect(store.stats.recoveries).toBe(1);

    // The refused changes may or may not have reached the disk before the fsync failed: a retry applies each once.
    for (let i = 0; i < 6; i++) await store.change('t1', addFunds('t1', 100, `during-${i}`));
    const t1 = await keyCounts(store, 't1');
    for (const key of [...acknowledged.filter((_, i) => i % 3 === 1), ...Array.from({ length: 6 }, (_, i) => `during-${i}`)]) expect(t1.get(key), key).toBe(1);
    for (const tenant of ['t0', 't1', 't2', 'alerting']) expectConsistent((await store.account(tenant))!, await wholeJournal(store, tenant));
    expect((await store.account('t0'))!.balanceMinor).toBe(15_000);

    // Alerts: the one pending before is still pending, and any raised by a refused change that
    // reached the disk anyway was handed to the listeners once it was known to be durable.
    const pendingNow = (await store.pendingAlerts()).map(({ id }) => id);
    expect(pendingNow[0]).toBe(pending!.id);
    for (const id of pendingNow.slice(1)) expect(heard).toContain(id);
    expect(new Set(heard).size).toBe(heard.length);

    // The acknowledgement refused while down is taken now, once.
    await store.acknowledgeAlert(pending!.id);
    await store.acknowledgeAlert(pending!.id);
    expect(walText(dir).split(`"ack":"${pending!.id}"`)).toHaveLength(2);
    expect((await store.pendingAlerts()).map(({ id }) => id)).not.toContain(pending!.id);
    const balances = await Promise.all(['t0', 't1', 't2', 'alerting'].map(async (tenant) => (await store.account(tenant))!.balanceMinor));
    await store.close();

    const reopened = await openLowdbLedgerStore({ dir, ...QUIET });
    expect(await Promise.all(['t0', 't1', 't2', 'alerting'].map(async (tenant) => (await reopened.account(tenant))!.balanceMinor))).toEqual(balances);
    expect((await reopened.pendingAlerts()).map(({ id }) => id)).not.toContain(pending!.id);
    for (const [key, count] of await keyCounts(reopened, 't1')) expect(count, key).toBe(1);
    await reopened.close();
  });

  it('marks itself unavailable when a background checkpoint fails, and recovers the same way', async () => {
    const dir = await tempFolder();
    const store = await openLowdbLedgerStore({ dir, checkpointIntervalMs: 20, recoveryIntervalMs: 30, reportError: () => undefined });
    await store.change('t', addFunds('t', 5_000, 'a'));
    await vi.waitFor(() => expect(store.stats.checkpoints).toBeGreaterThanOrEqual(1));

    const disk = await takeDisk();
    const written = store.change('t', addFunds('t', 5_000, 'b'));
    await written; // durable in the WAL: the next checkpoint has something to write, and cannot
    disk.fail('ENOSPC', ['write', 'writeFile']);
    await vi.waitFor(() => expect(store.health()).toEqual({ ok: false, reason: 'a checkpoint could not be written (ENOSPC)' }));
    await expectEveryCallRefused(store, 'none');

    disk.heal();
    await vi.waitFor(() => expect(store.health().ok).toBe(true));
    expect((await store.account('t'))!.balanceMinor).toBe(10_000);
    expect([...(await keyCounts(store, 't')).values()]).toEqual([1, 1]);
    await store.change('t', addFunds('t', 5_000, 'c'));
    await store.close();
  });

  it('closes while unavailable, releasing the folder; the next start recovers from disk', async () => {
    const dir = await tempFolder();
    const store = await openLowdbLedgerStore({ dir, ...QUIET, recoveryIntervalMs: 20, reportError: () => undefined });
    await store.change('t', addFunds('t', 1_000, 'a'));
    const disk = await takeDisk();
    disk.fail('ENOSPC');
    await expect(store.change('t', addFunds('t', 1_000, 'b'))).rejects.toBeInstanceOf(StoreUnavailableError);
    await sleep(60); // a recovery attempt or two, refused by the disk
    await store.close();
    expect(readdirSync(dir)).not.toContain('LOCK');
    disk.heal();
    const reopened = await openLowdbLedgerStore({ dir, ...QUIET });
    expect((await reopened.account('t'))!.balanceMinor).toBe(1_000);
    await reopened.close();
  });

  it('answers a read of a tenant with a change in flight only once that change is durable, and refuses it if the write fails', async () => {
    const dir = await tempFolder();
    const store = await openLowdbLedgerStore({ dir, ...QUIET, recoveryIntervalMs: 60_000, reportError: () => undefined });
    await store.change('t', addFunds('t', 1_000, 'a'));
    const disk = await takeDisk();

    const release = disk.holdFsyncs();
    const order: string[] = [];
    const changed = store.change('t', addFunds('t', 500, 'b')).then(() => order.push('change durable'));
    const read = store.account('t').then((account) => order.push(`read ${account!.balanceMinor}`));
    const journal = store.journal('t', 0, 10).then((entries) => order.push(`journal ${entries.length}`));
    void store.account('quiet').then(() => order.push('other tenant'));
    await sleep(50);
    expect(order).toEqual(['other tenant']);
    release();
    await Promise.all([changed, read, journal]);
    expect(order).toEqual(['other tenant', 'change durable', 'read 1500', 'journal 3']);

    // A balance that never reaches the disk is never shown.
    await sleep(10); // changes called while a read waited have run
    disk.fail('EIO', ['datasync']);
    const lost = store.change('t', addFunds('t', 700, 'c'));
    const readDuringLoss = store.account('t');
    await expect(lost).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(readDuringLoss).rejects.toBeInstanceOf(StoreUnavailableError);
    await store.close();
  });

  it('answers a read within a group or two while the tenant changes without a pause', async () => {
    const store = await openLowdbLedgerStore({ dir: await tempFolder(), ...QUIET });
    await store.change('busy', addFunds('busy', 1_000, 'first'));
    let writing = true;
    let written = 0;
    const writers = Array.from({ length: 32 }, async (_, w) => {
      for (let i = 0; writing; i++) {
        await store.change('busy', addFunds('busy', 1, `w${w}-${i}`));
        written++;
        await sleep((w % 4) / 2); // requests arrive at any moment, as over HTTP: during every fsync
      }
    });
    await vi.waitFor(() => expect(written).toBeGreaterThan(200));
    const fsyncs: number[] = [];
    for (let i = 0; i < 20; i++) {
      const before = store.stats.walFsyncs;
      await store.account('busy');
      fsyncs.push(store.stats.walFsyncs - before);
    }
    writing = false;
    await Promise.all(writers);
    expect(Math.max(...fsyncs)).toBeLessThanOrEqual(2);
    await store.close();
  });
});
