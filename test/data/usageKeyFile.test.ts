import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { StoreUnavailableError } from '../../services/ports.js';
import type { AccountDocument } from '../../data/checkpoint.js';
import { openLowdbLedgerStore, type LowdbLedgerStore } from '../../data/lowdbLedgerStore.js';
import { tenantFileName } from '../../data/tenantFileName.js';
import { usageKeyFile, usageKeyGenerations } from '../../data/usageKeyFile.js';
import { dayNumber } from '../../services/calendar.js';
import { addFunds, recordUsage, T0, usageBatch, type UsageRecord } from './ledgerFixtures.js';
import { readSealedDocument, writeSealedDocument } from './sealedFiles.js';
import { crashImage, useTempFolders } from './tempFolders.js';

const QUIET = { checkpointIntervalMs: 600_000 };
const DAY = 86_400_000;

const documentFile = (dir: string, tenant: string) => path.join(dir, 'accounts', `${tenantFileName(tenant)}.json`);
const keyFolder = (dir: string, tenant: string) => path.join(dir, 'journal', tenantFileName(tenant));

function readDocument(dir: string, tenant: string): Promise<AccountDocument> {
  return readSealedDocument<AccountDocument>(documentFile(dir, tenant));
}

/** The bytes of a key file made of blocks of these many keys: an 8-byte header and 12 bytes a key each. */
const blocks = (...counts: number[]) => counts.reduce((sum, count) => sum + 8 + 12 * count, 0);

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

  it('keeps the account document small with 200,000 keys and appends a block of 12 bytes per new key', { timeout: 120_000 }, async () => {
    const dir = await tempFolder();
    let store = await openLowdbLedgerStore({ dir, ...QUIET });
    await store.change('big', addFunds('big', 100_000_000, 'f'));
    const records = usageBatch('call', 200_000, 1);
    expect(await charge(store, 'big', records)).toBe(200_000);
    await store.checkpoint();

    const document = await readDocument(dir, 'big');
    expect((await stat(documentFile(dir, 'big'))).size).toBeLessThan(100_000);
    expect(document.account.keys).toEqual({ operations: [['f', expect.objectContaining({ entryId: '2' })]], namespaced: true });
    // The store starts a checkpoint whenever 20,000 entries wait in memory: each appended a block
    // of the keys added since the one before (how many depends on timing), 12 bytes per key.
    const { bytes } = document.usageKeys;
    const headers = (bytes - 200_000 * 12) / 8;
    expect(Number.isInteger(headers) && headers >= 1 && headers <= 200_000 / 20_000 + 1, `${headers} blocks`).toBe(true);
    expect(document.usageKeys.generation).toBe(0);
    const file = usageKeyFile(keyFolder(dir, 'big'), 0);
    expect((await stat(file)).size).toBe(bytes);

    const more = usageBatch('more', 37, 1);
    expect(await charge(store, 'big', more)).toBe(37);
    await store.checkpoint();
    expect((await stat(file)).size).toBe(bytes + blocks(37));
    expect((await readDocument(dir, 'big')).usageKeys).toEqual({ generation: 0, bytes: bytes + blocks(37) });
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
    expect((await stat(file)).size).toBe(blocks(100, 50));
    // And a leftover of some other generation, which no document names.
    await writeFile(usageKeyFile(keyFolder(beforeCheckpoint, 't'), 7), Buffer.alloc(24, 1));
    expect((await readDocument(beforeCheckpoint, 't')).usageKeys).toEqual({ generation: 0, bytes: blocks(100) });

    let recovered = await openLowdbLedgerStore({ dir: beforeCheckpoint, ...QUIET });
    expect((await stat(file)).size).toBe(blocks(100));
    expect(await usageKeyGenerations(keyFolder(beforeCheckpoint, 't'))).toEqual([0]);
    expect(recovered.recovery.transactionsReplayed).toBe(1);
    expect((await recovered.account('t'))!.keys.usageCount).toBe(150);
    await recovered.checkpoint();
    expect((await stat(file)).size).toBe(blocks(100, 50)); // the replayed keys appended once
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
    expect((await readDocument(dir, 't')).usageKeys).toEqual({ generation: 0, bytes: blocks(300, 200) });

    // The sweep's prune changes no entry; the next change of the tenant makes the checkpoint write the whole set.
    await store.change('t', (account) => {
      account!.keys.pruneUsageBefore(dayNumber(T0 + 20 * DAY));
      return { result: null };
    });
    const last = usageBatch('last', 10);
    await charge(store, 't', last, later);
    await store.checkpoint();
    expect(await usageKeyGenerations(folder)).toEqual([1]);
    expect((await readDocument(dir, 't')).usageKeys).toEqual({ generation: 1, bytes: blocks(210) });
    expect((await stat(usageKeyFile(folder, 1))).size).toBe(blocks(210));

    // Appends continue in the new generation.
    await charge(store, 't', usageBatch('after', 5), later);
    await store.checkpoint();
    expect((await readDocument(dir, 't')).usageKeys).toEqual({ generation: 1, bytes: blocks(210, 5) });
    await store.close();

    store = await openLowdbLedgerStore({ dir, ...QUIET });
    const account = (await store.account('t'))!;
    expect(account.keys.usageCount).toBe(215);
    expect(old.some(({ recordId }) => account.keys.hasUsage(recordId))).toBe(false);
    await expectAllDuplicates(store, 't', [...recent, ...last, ...usageBatch('after', 5)], later);
    await store.close();
  });

  it('keeps the keys of a failed checkpoint: the store stops, and rebuilds itself from disk once the document can be written', async () => {
    const dir = await tempFolder();
    const store = await openLowdbLedgerStore({ dir, ...QUIET, recoveryIntervalMs: 20, reportError: () => undefined });
    await store.change('t', addFunds('t', 1_000_000, 'f'));
    await store.change('u', addFunds('u', 1_000_000, 'f'));
    await charge(store, 't', usageBatch('a', 100));
    await store.checkpoint();
    await charge(store, 't', usageBatch('b', 60));
    await charge(store, 'u', usageBatch('b', 10));

    // The account document cannot be written (a folder stands where it goes): the keys were appended already.
    const aside = path.join(dir, 'aside.json');
    await rename(documentFile(dir, 't'), aside);
    await mkdir(documentFile(dir, 't'));
    await expect(store.checkpoint()).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(store.health()).toEqual({ ok: false, reason: 'a checkpoint could not be written (EISDIR)' });
    expect((await stat(usageKeyFile(keyFolder(dir, 't'), 0))).size).toBe(blocks(100, 60));
    await expect(charge(store, 't', usageBatch('c', 7))).rejects.toBeInstanceOf(StoreUnavailableError);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(store.health().ok).toBe(false); // tries again, and fails while the folder is there

    await rm(documentFile(dir, 't'), { recursive: true });
    await rename(aside, documentFile(dir, 't'));
    await vi.waitFor(() => expect(store.health()).toEqual({ ok: true, reason: null }));
    // Rebuilt from the document written before (100 keys) and the WAL (60 more), then checkpointed.
    expect((await readDocument(dir, 't')).usageKeys).toEqual({ generation: 0, bytes: blocks(100, 60) });
    await charge(store, 't', usageBatch('c', 7));
    await store.checkpoint();
    expect((await readDocument(dir, 't')).usageKeys).toEqual({ generation: 0, bytes: blocks(100, 60, 7) });
    const image = await crashImage(dir, await tempFolder());
    await store.close();

    const recovered = await openLowdbLedgerStore({ dir: image, ...QUIET });
    expect(recovered.recovery.transactionsReplayed).toBe(0);
    expect((await recovered.account('t'))!.keys.usageCount).toBe(167);
    await expectAllDuplicates(recovered, 't', [...usageBatch('a', 100), ...usageBatch('b', 60), ...usageBatch('c', 7)]);
    await expectAllDuplicates(recovered, 'u', usageBatch('b', 10));
    await recovered.close();
  });

  it("reads a reopened tenant's keys only at its first change, which waits for them with every change behind it; a replayed record is refused", async () => {
    const dir = await tempFolder();
    let store = await openLowdbLedgerStore({ dir, ...QUIET });
    await store.change('t', addFunds('t', 100_000_000, 'f'));
    await store.change('u', addFunds('u', 100_000_000, 'f'));
    const charged = usageBatch('a', 5_000);
    await charge(store, 't', charged);
    await charge(store, 'u', usageBatch('a', 10));
    await store.close();

    store = await openLowdbLedgerStore({ dir, ...QUIET });
    const account = (await store.account('t'))!;
    expect(account.keys.storedUsagePending).toBe(true); // a read leaves them on disk
    const fresh = usageBatch('new', 10);
    const changes = [
      store.change('t', recordUsage('t', charged.slice(0, 100))),
      store.change('t', recordUsage('t', fresh)),
      store.change('t', recordUsage('t', fresh)),
      store.change('t', recordUsage('t', charged.slice(4_900))),
    ];
    expect(account.keys.storedUsagePending).toBe(true); // nothing decided yet: all four wait
    expect(await Promise.all(changes)).toEqual([0, 10, 0, 0]);
    expect(account.keys.storedUsagePending).toBe(false);
    expect(account.keys.usageCount).toBe(5_010);
    expect((await store.account('u'))!.keys.storedUsagePending).toBe(true);
    await store.checkpoint();
    // The keys read from the file are not written again: only the 10 new ones are appended.
    expect((await readDocument(dir, 't')).usageKeys).toEqual({ generation: 0, bytes: blocks(5_000, 10) });
    await store.close();

    store = await openLowdbLedgerStore({ dir, ...QUIET });
    await expectAllDuplicates(store, 't', [...charged, ...fresh]);
    await expectAllDuplicates(store, 'u', usageBatch('a', 10));
    await store.close();
  });

  it('refuses the changes of a tenant whose key file was damaged after start-up, naming it, until it reads again', async () => {
    const dir = await tempFolder();
    let store = await openLowdbLedgerStore({ dir, ...QUIET });
    await store.change('t', addFunds('t', 1_000_000, 'f'));
    await store.change('u', addFunds('u', 1_000_000, 'f'));
    await charge(store, 't', usageBatch('a', 10));
    await store.close();

    store = await openLowdbLedgerStore({ dir, ...QUIET });
    const file = usageKeyFile(keyFolder(dir, 't'), 0);
    const bytes = await readFile(file);
    const damaged = Buffer.from(bytes);
    damaged[8 + 5] = damaged[8 + 5]! ^ 1;
    await writeFile(file, damaged);
    await expect(store.change('t', recordUsage('t', usageBatch('a', 10)))).rejects.toThrow(`${file} has a block of 10 keys at byte 0 that fails its checksum`);
    expect((await store.account('t'))!.entryCount).toBe(12);
    expect(await store.change('u', recordUsage('u', usageBatch('a', 3)))).toBe(3);

    await writeFile(file, bytes);
    expect(await store.change('t', recordUsage('t', usageBatch('a', 12)))).toBe(2);
    await store.close();
  });

  it('refuses an account document of the older formats: usage keys inside it, or no checksum', async () => {
    const dir = await tempFolder();
    const store = await openLowdbLedgerStore({ dir, ...QUIET });
    await store.change('t', addFunds('t', 1_000, 'f'));
    await store.close();
    const document = await readDocument(dir, 't');
    const { usageKeys: _, ...old } = { ...document, account: { ...document.account, keys: { ...document.account.keys, usage: '' } } };
    await writeSealedDocument(documentFile(dir, 't'), old);
    await expect(openLowdbLedgerStore({ dir, ...QUIET })).rejects.toThrow(/older format \(usage keys inside the document\)/);
    await writeFile(documentFile(dir, 't'), JSON.stringify(document));
    await expect(openLowdbLedgerStore({ dir, ...QUIET })).rejects.toThrow(/is plain JSON without a checksum.*older version of the bot \(format 1/);
    expect(await readdir(path.join(dir, 'accounts'))).toHaveLength(1);
  });

  it('refuses a key file whose bytes were changed, naming it', async () => {
    const dir = await tempFolder();
    const store = await openLowdbLedgerStore({ dir, ...QUIET });
    await store.change('t', addFunds('t', 1_000_000, 'f'));
    await charge(store, 't', usageBatch('a', 10));
    await store.checkpoint();
    await charge(store, 't', usageBatch('b', 10));
    await store.close();
    const file = usageKeyFile(keyFolder(dir, 't'), 0);
    const bytes = await readFile(file);
    const at = blocks(10) + 8 + 5; // in a key of the second block
    bytes[at] = bytes[at]! ^ 1;
    await writeFile(file, bytes);
    await expect(openLowdbLedgerStore({ dir, ...QUIET })).rejects.toThrow(`${file} has a block of 10 keys at byte ${blocks(10)} that fails its checksum`);
    expect((await stat(file)).size).toBe(blocks(10, 10));
  });
});
