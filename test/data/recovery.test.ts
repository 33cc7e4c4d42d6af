import { appendFile, cp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLowdbLedgerStore, type LowdbLedgerStore } from '../../data/lowdbLedgerStore.js';
import { tenantFileName } from '../../data/tenantFileName.js';
import { comparableAccount, expectConsistent } from './ledgerStoreContract.js';
import { addFunds, recordUsage, usageBatch, wholeJournal } from './ledgerFixtures.js';
import { opened } from './sealedFiles.js';
import { crashImage, useTempFolders } from './tempFolders.js';

const QUIET = { checkpointIntervalMs: 600_000 };

/** What a store holds, to compare a recovered store with the one that crashed. */
async function contentOf(store: LowdbLedgerStore) {
  const tenants = (await store.tenantIds()).sort();
  return {
    tenants,
    accounts: await Promise.all(tenants.map(async (t) => comparableAccount((await store.account(t))!))),
    journals: await Promise.all(tenants.map((t) => wholeJournal(store, t))),
    alerts: await store.pendingAlerts(),
  };
}

async function expectAllConsistent(store: LowdbLedgerStore): Promise<void> {
  for (const tenant of await store.tenantIds()) expectConsistent((await store.account(tenant))!, await wholeJournal(store, tenant));
}

async function lastWalSegment(dir: string): Promise<string> {
  const segments = (await readdir(path.join(dir, 'wal'))).sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
  return path.join(dir, 'wal', segments.at(-1)!);
}

describe('recovery after a crash', () => {
  const tempFolder = useTempFolders();

  it('replays only the WAL after the last checkpoint', async () => {
    const dir = await tempFolder();
    const store = await openLowdbLedgerStore({ dir, ...QUIET });
    for (let i = 0; i < 40; i++) await store.change(`t${i % 4}`, addFunds(`t${i % 4}`, 1_000, `k${i}`));
    await store.checkpoint();
    await store.change('t0', addFunds('t0', 1_000, 'after-1'));
    await store.change('t1', recordUsage('t1', usageBatch('after', 50)));
    await store.change('t9', addFunds('t9', 1_000, 'new-tenant'));
    const image = await crashImage(dir, await tempFolder());
    const expected = await contentOf(store);
    await store.close();

    const recovered = await openLowdbLedgerStore({ dir: image, ...QUIET });
    expect(recovered.recovery).toMatchObject({ tenantsLoaded: 4, walSegmentsRead: 1, transactionsReplayed: 3, tornTailDropped: false });
    expect(await contentOf(recovered)).toEqual(expected);
    await recovered.close();
  });

  it('drops a torn last WAL line, and appends after the cut', async () => {
    const dir = await tempFolder();
    const store = await openLowdbLedgerStore({ dir, ...QUIET });
    await store.change('t', addFunds('t', 5_000, 'f'));
    await store.change('t', recordUsage('t', usageBatch('u', 3)));
    const image = await crashImage(dir, await tempFolder());
    const expected = await contentOf(store);
    await store.close();

    const wal = await lastWalSegment(image);
    const intact = (await stat(wal)).size;
    await appendFile(wal, '{"seq":3,"tenantId":"t","entries":[{"id":"6","tenantId":"t","ki');
    let recovered = await openLowdbLedgerStore({ dir: image, ...QUIET });
    expect(recovered.recovery.tornTailDropped).toBe(true);
    expect((await stat(wal)).size).toBe(intact);
    expect(await contentOf(recovered)).toEqual(expected);

    await recovered.change('t', addFunds('t', 1_000, 'g'));
    const image2 = await crashImage(image, await tempFolder());
    await recovered.close();
    recovered = await openLowdbLedgerStore({ dir: image2, ...QUIET });
    expect(recovered.recovery.tornTailDropped).toBe(false);
    expect((await recovered.account('t'))!.balanceMinor).toBe(5_000 - 21 + 1_000);
    await expectAllConsistent(recovered);
    await recovered.close();
  });

  it('drops a complete but unreadable last line, and refuses a damaged line before others', async () => {
    const dir = await tempFolder();
    const store = await openLowdbLedgerStore({ dir, ...QUIET });
    await store.change('t', addFunds('t', 5_000, 'f'));
    const image = await crashImage(dir, await tempFolder());
    const damaged = await crashImage(dir, await tempFolder());
    await store.close();

    await appendFile(await lastWalSegment(image), '\0\0\0\0\n');
    const recovered = await openLowdbLedgerStore({ dir: image, ...QUIET });
    expect(recovered.recovery.tornTailDropped).toBe(true);
    expect((await recovered.account('t'))!.balanceMinor).toBe(5_000);
    await recovered.close();

    const wal = await lastWalSegment(damaged);
    await writeFile(wal, `garbage\n${await readFile(wal, 'utf8')}`);
    await expect(openLowdbLedgerStore({ dir: damaged, ...QUIET })).rejects.toThrow(/wal\/\d+\.log line 1 is not a checksummed line/);
  });

  it('cuts journal lines a crashed checkpoint filed beyond the account document', async () => {
    const dir = await tempFolder();
    const store = await openLowdbLedgerStore({ dir, ...QUIET });
    await store.change('t', addFunds('t', 1_000_000, 'f'));
    await store.change('t', recordUsage('t', usageBatch('a', 9_990)));
    await store.checkpoint(); // entries 1..9,992 filed
    await store.change('t', recordUsage('t', usageBatch('b', 20))); // 9,993..10,012: crosses into segment 1
    await store.change('fresh', addFunds('fresh', 1_000, 'f')); // a tenant with no account document yet
    const beforeCheckpoint = await crashImage(dir, await tempFolder());
    const expected = await contentOf(store);
    await store.checkpoint();
    const afterCheckpoint = await crashImage(dir, await tempFolder());
    await store.close();

    // A crash after the second checkpoint filed the journals but before it wrote any account document.
    await rm(path.join(beforeCheckpoint, 'journal'), { recursive: true });
    await cp(path.join(afterCheckpoint, 'journal'), path.join(beforeCheckpoint, 'journal'), { recursive: true });
    const tenantJournal = path.join(beforeCheckpoint, 'journal', tenantFileName('t'));
    const segments = async () => (await readdir(tenantJournal)).filter((name) => name.endsWith('.jsonl')).sort();
    expect(await segments()).toEqual(['0.jsonl', '1.jsonl']);

    const recovered = await openLowdbLedgerStore({ dir: beforeCheckpoint, ...QUIET });
    expect(await segments()).toEqual(['0.jsonl']);
    expect(await readdir(path.join(beforeCheckpoint, 'journal'))).toEqual([tenantFileName('t')]);
    expect(await contentOf(recovered)).toEqual(expected);
    await expectAllConsistent(recovered);

    // Filed again by the next checkpoint, once each.
    await recovered.checkpoint();
    const lines = (await readFile(path.join(tenantJournal, '1.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(lines.map((line) => opened<{ id: string }>(line).id)).toEqual(Array.from({ length: 12 }, (_, i) => String(10_001 + i)));
    await recovered.close();
  });

  it("resets a first checkpoint's journal files only when the WAL holds the tenant from its first entry, and keeps other files", async () => {
    const dir = await tempFolder();
    const store = await openLowdbLedgerStore({ dir, ...QUIET });
    await store.change('t', addFunds('t', 5_000, 'f'));
    await store.change('new', addFunds('new', 5_000, 'f'));
    await store.change('new', recordUsage('new', usageBatch('u', 4)));
    const beforeCheckpoint = await crashImage(dir, await tempFolder());
    await store.checkpoint();
    const afterCheckpoint = await crashImage(dir, await tempFolder());
    await store.close();

    // A crash during the first checkpoint of 'new': its journal and key files are written, its account document is not.
    const folder = path.join(beforeCheckpoint, 'journal', tenantFileName('new'));
    await cp(path.join(afterCheckpoint, 'journal', tenantFileName('new')), folder, { recursive: true });
    await writeFile(path.join(folder, 'notes.txt'), "not the store's");
    const recovered = await openLowdbLedgerStore({ dir: beforeCheckpoint, ...QUIET });
    expect(await readdir(folder)).toEqual(['notes.txt']);
    expect((await recovered.account('new'))!.balanceMinor).toBe(5_000 - 28);
    await recovered.checkpoint();
    expect((await readdir(folder)).sort()).toEqual(['0.jsonl', 'notes.txt', 'usage-keys.0.bin']);
    await recovered.close();
  });

  it('skips WAL transactions that account documents written after the checkpoint marker already hold', async () => {
    const dir = await tempFolder();
    const store = await openLowdbLedgerStore({ dir, ...QUIET });
    for (let i = 0; i < 6; i++) await store.change(`t${i % 2}`, addFunds(`t${i % 2}`, 2_000, `k${i}`));
    await store.change('t0', recordUsage('t0', [{ recordId: 'u', chargeMinor: 5_500 }])); // raises an alert
    const beforeCheckpoint = await crashImage(dir, await tempFolder());
    const expected = await contentOf(store);
    await store.checkpoint();
    const afterCheckpoint = await crashImage(dir, await tempFolder());
    await store.close();

    // A crash after the account documents and journals of a checkpoint, before its outbox and marker.
    for (const folder of ['accounts', 'journal']) {
      await rm(path.join(beforeCheckpoint, folder), { recursive: true });
      await cp(path.join(afterCheckpoint, folder), path.join(beforeCheckpoint, folder), { recursive: true });
    }
    const recovered = await openLowdbLedgerStore({ dir: beforeCheckpoint, ...QUIET });
    expect(recovered.recovery).toMatchObject({ tenantsLoaded: 2, transactionsReplayed: 0, transactionsAlreadyCheckpointed: 7 });
    expect(await contentOf(recovered)).toEqual(expected);
    expect((await recovered.pendingAlerts()).map((s) => s.alert.type)).toEqual(['low-balance']);
    await recovered.close();
  });

  it('does not pile up WAL segments when opened and closed without changes', async () => {
    const dir = await tempFolder();
    let store = await openLowdbLedgerStore({ dir, ...QUIET });
    await store.change('t', addFunds('t', 2_000, 'f'));
    await store.close();
    for (let i = 0; i < 3; i++) {
      store = await openLowdbLedgerStore({ dir, ...QUIET });
      await store.close();
    }
    expect(await readdir(path.join(dir, 'wal'))).toHaveLength(1);
  });

  it('recovers the same state however often start-up is repeated', async () => {
    const dir = await tempFolder();
    const store = await openLowdbLedgerStore({ dir, ...QUIET });
    await store.change('t', addFunds('t', 5_000, 'f'));
    await store.checkpoint();
    await store.change('t', recordUsage('t', usageBatch('u', 30, 100)));
    const image = await crashImage(dir, await tempFolder());
    const expected = await contentOf(store);
    await store.close();

    for (let i = 0; i < 3; i++) {
      const recovered = await openLowdbLedgerStore({ dir: await crashImage(image, await tempFolder()), ...QUIET });
      expect(await contentOf(recovered)).toEqual(expected);
      await recovered.change('t', addFunds('t', 1_000, `again-${i}`));
      await rm(image, { recursive: true });
      await crashImage(recovered.dir, image);
      expected.journals[0]!.push((await recovered.journal('t', 32 + i, 1))[0]!);
      expected.accounts[0] = comparableAccount((await recovered.account('t'))!);
      await recovered.close();
    }
  });
});
