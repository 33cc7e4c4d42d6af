import { mkdir, readFile, rm, stat, writeFile, cp, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AccountDocument } from '../../data/checkpoint.js';
import { openLowdbLedgerStore, type LowdbLedgerStore } from '../../data/lowdbLedgerStore.js';
import { tenantFileName } from '../../data/tenantFileName.js';
import { usageKeyFile, usageKeyGenerations } from '../../data/usageKeyFile.js';
import { dayNumber } from '../../services/calendar.js';
import { addFunds, recordUsage, T0, usageBatch, type UsageRecord } from './ledgerFixtures.js';
import { crashImage, useTempFolders } from './tempFolders.js';

const QUIET = { checkpointIntervalMs: 600_000 };
const DAY = 86_400_000;

const documentFile = (dir: string, tenant: string) => path.join(dir, 'accounts', `${tenantFileName(tenant)}.json`);
const keyFolder = (dir: string, tenant: string) => path.join(dir, 'journal', tenantFileName(tenant));

async function readDocument(dir: string, tenant: string): Promise<AccountDocument> {
  return JSON.parse(await readFile(documentFile(dir, tenant), 'utf8')) as AccountDocument;
}

async function charge(store: LowdbLedgerStore, tenant: string, records: UsageRecord[], now = T0): Promise<number> {
  let charged = 0;
  for (let i = 0; i < records.length; i += 20_000) charged += await store.change(tenant, recordUsage(tenant, records.slice(i, i + 20_000), now));
  return charged;
}

/** Whether every record is a duplicate: charging them all again adds nothing. */
async function expectAllDuplicates(store: LowdbLedgerStore, tenant: string, records: UsageRecord[], now = T0): Promise<void> {
  const account = (await store.account(tenant))!;
  const missing = records.filter(({ recordId }) => !account.keys.hasUsage(recordId)).map(({ recordId }) => recordId);
  expect(missing.slice(0, 5)).toEqual([]);
  const entries = account.entryCount;
  expect(await charge(store, tenant, records, now)).toBe(0);
  expect((await store.account(tenant))!.entryCount).toBe(entries);
}

describe('usage key file', () => {
  const tempFolder = useTempFolders();

  it('keeps the account document small with 200,000 keys and appends 12 bytes per new key', { timeout: 120_000 }, async () => {
    const dir = await tempFolder();
    let store = await openLowdbLedgerStore({ dir, ...QUIET });
    await store.change('big', addFunds('big', 100_000_000, 'f'));
    const records = usageBatch('call', 200_000, 1);
    expect(await charge(store, 'big', records)).toBe(200_000);
    await store.checkpoint();

    const document = await readDocument(dir, 'big');
    expect((await stat(documentFile(dir, 'big'))).size).toBeLessThan(100_000);
    expect(document.account.keys).toEqual({ operations: [['f', expect.objectContaining({ entryId: '2' })]], namespaced: true });
    expect(document.usageKeys).toEqual({ generation: 0, bytes: 200_000 * 12 });
    const file = usageKeyFile(keyFolder(dir, 'big'), 0);
    expect((await stat(file)).size).toBe(200_000 * 12);

    const more = usageBatch('more', 37, 1);
    expect(await charge(store, 'big', more)).toBe(37);
    await store.checkpoint();
    expect((await stat(file)).size).toBe(200_037 * 12);
    expect((await readDocument(dir, 'big')).usageKeys).toEqual({ generation: 0, bytes: 200_037 * 12 });
    expect((await stat(documentFile(dir, 'big'))).size).toBeLessThan(100_000);
    await store.close();

    // After reopening, every key is still there: charging the records again is a no-op.
    store = await openLowdbLedgerStore({ dir, ...QUIET });
    expect(store.recovery.transactionsReplayed).toBe(0);
    expect((await store.account('big'))!.keys.usageCount).toBe(200_037);
    await expectAllDuplicates(store, 'big', [...records, ...more]);
    await store.close();
  });

  it('cuts key bytes a crashed checkpoint appended beyond the account document', async () => {
    const dir = await tempFolder();
    const store = await openLowdbLedgerStore({ dir, ...QUIET });
    await store.change('t', addFunds('t', 1_000_000, 'f'));
    await charge(store, 't', usageBatch('a', 100));
    await store.checkpoint();
    await charge(store, 't', usageBatch('b', 50));
    const beforeCheckpoint = await crashImage(dir, await tempFolder());
    await store.checkpoint();
    const afterCheckpoint = await crashImage(dir, await tempFolder());
    await store.close();

    // A crash after the second checkpoint appended the keys but before it wrote the account document.
    const file = usageKeyFile(keyFolder(beforeCheckpoint, 't'), 0);
    await rm(keyFolder(beforeCheckpoint, 't'), { recursive: true });
    await cp(keyFolder(afterCheckpoint, 't'), keyFolder(beforeCheckpoint, 't'), { recursive: true });
    expect((await stat(file)).size).toBe(150 * 12);
    // And a leftover of some other generation, which no document names.
    await writeFile(usageKeyFile(keyFolder(beforeCheckpoint, 't'), 7), Buffer.alloc(24, 1));
    expect((await readDocument(beforeCheckpoint, 't')).usageKeys).toEqual({ generation: 0, bytes: 100 * 12 });

    let recovered = await openLowdbLedgerStore({ dir: beforeCheckpoint, ...QUIET });
    expect((await stat(file)).size).toBe(100 * 12);
    expect(await usageKeyGenerations(keyFolder(beforeCheckpoint, 't'))).toEqual([0]);
    expect(recovered.recovery.transactionsReplayed).toBe(1);
    expect((await recovered.account('t'))!.keys.usageCount).toBe(150);
    await recovered.checkpoint();
    expect((await stat(file)).size).toBe(150 * 12); // the replayed keys appended once
    await recovered.close();

    recovered = await openLowdbLedgerStore({ dir: beforeCheckpoint, ...QUIET });
    await expectAllDuplicates(recovered, 't', [...usageBatch('a', 100), ...usageBatch('b', 50)]);
    await recovered.close();
  });

  it('writes a new generation after a prune, deletes the old one, and reopens with the kept keys', async () => {
    const dir = await tempFolder();
    let store = await openLowdbLedgerStore({ dir, ...QUIET });
    await store.change('t', addFunds('t', 1_000_000, 'f'));
    const old = usageBatch('old', 300);
    const later = T0 + 40 * DAY;
    const recent = usageBatch('recent', 200);
    await charge(store, 't', old);
    await store.checkpoint();
    await charge(store, 't', recent, later);
    await store.checkpoint();
    const folder = keyFolder(dir, 't');
    expect(await usageKeyGenerations(folder)).toEqual([0]);
    expect((await readDocument(dir, 't')).usageKeys).toEqual({ generation: 0, bytes: 500 * 12 });

    // The sweep's prune changes no entry; the next change of the tenant makes the checkpoint write the whole set.
    await store.change('t', (account) => {
      account!.keys.pruneUsageBefore(dayNumber(T0 + 20 * DAY));
      return { result: null };
    });
    const last = usageBatch('last', 10);
    await charge(store, 't', last, later);
    await store.checkpoint();
    expect(await usageKeyGenerations(folder)).toEqual([1]);
    expect((await readDocument(dir, 't')).usageKeys).toEqual({ generation: 1, bytes: 210 * 12 });
    expect((await stat(usageKeyFile(folder, 1))).size).toBe(210 * 12);

    // Appends continue in the new generation.
    await charge(store, 't', usageBatch('after', 5), later);
    await store.checkpoint();
    expect((await readDocument(dir, 't')).usageKeys).toEqual({ generation: 1, bytes: 215 * 12 });
    await store.close();

    store = await openLowdbLedgerStore({ dir, ...QUIET });
    const account = (await store.account('t'))!;
    expect(account.keys.usageCount).toBe(215);
    expect(old.some(({ recordId }) => account.keys.hasUsage(recordId))).toBe(false);
    await expectAllDuplicates(store, 't', [...recent, ...last, ...usageBatch('after', 5)], later);
    await store.close();
  });

  it('keeps the keys of a failed checkpoint: the next one writes the whole set', async () => {
    const dir = await tempFolder();
    const store = await openLowdbLedgerStore({ dir, ...QUIET });
    await store.change('t', addFunds('t', 1_000_000, 'f'));
    await store.change('u', addFunds('u', 1_000_000, 'f'));
    await charge(store, 't', usageBatch('a', 100));
    await store.checkpoint();
    await charge(store, 't', usageBatch('b', 60));
    await charge(store, 'u', usageBatch('b', 10));

    // The account document cannot be written (a folder stands where it goes): the keys were appended already.
    await rm(documentFile(dir, 't'));
    await mkdir(documentFile(dir, 't'));
    await expect(store.checkpoint()).rejects.toThrow();
    expect((await stat(usageKeyFile(keyFolder(dir, 't'), 0))).size).toBe(160 * 12);
    await rm(documentFile(dir, 't'), { recursive: true });

    await charge(store, 't', usageBatch('c', 7));
    await store.checkpoint(); // moves the marker past the WAL lines of 'b'
    expect((await readDocument(dir, 't')).usageKeys).toEqual({ generation: 1, bytes: 167 * 12 });
    expect(await usageKeyGenerations(keyFolder(dir, 't'))).toEqual([1]);
    await charge(store, 't', usageBatch('d', 3));
    await store.checkpoint();
    const image = await crashImage(dir, await tempFolder());
    await store.close();

    const recovered = await openLowdbLedgerStore({ dir: image, ...QUIET });
    expect(recovered.recovery.transactionsReplayed).toBe(0);
    expect((await recovered.account('t'))!.keys.usageCount).toBe(170);
    await expectAllDuplicates(recovered, 't', [...usageBatch('a', 100), ...usageBatch('b', 60), ...usageBatch('c', 7), ...usageBatch('d', 3)]);
    await expectAllDuplicates(recovered, 'u', usageBatch('b', 10));
    await recovered.close();
  });

  it('refuses an account document of the older format, with usage keys inside it', async () => {
    const dir = await tempFolder();
    const store = await openLowdbLedgerStore({ dir, ...QUIET });
    await store.change('t', addFunds('t', 1_000, 'f'));
    await store.close();
    const document = await readDocument(dir, 't');
    const { usageKeys: _, ...old } = { ...document, account: { ...document.account, keys: { ...document.account.keys, usage: '' } } };
    await writeFile(documentFile(dir, 't'), JSON.stringify(old));
    await expect(openLowdbLedgerStore({ dir, ...QUIET })).rejects.toThrow(/older format/);
    expect(await readdir(path.join(dir, 'accounts'))).toHaveLength(1);
  });
});
