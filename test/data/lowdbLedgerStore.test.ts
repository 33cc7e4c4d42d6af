import { readdir, readFile, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openLowdbLedgerStore } from '../../data/lowdbLedgerStore.js';
import { tenantFileName } from '../../data/tenantFileName.js';
import type { AccountDocument, CheckpointMarker } from '../../data/checkpoint.js';
import { StoreUnavailableError } from '../../services/ports.js';
import { addFunds, recordUsage, usageBatch, wholeJournal } from './ledgerFixtures.js';
import { opened, readSealedDocument } from './sealedFiles.js';
import { useTempFolders } from './tempFolders.js';

const QUIET = { checkpointIntervalMs: 600_000 };

/** The WAL as it is on disk now, read synchronously so no write can slip in meanwhile. */
function walText(dir: string): string {
  return readdirSync(path.join(dir, 'wal'))
    .map((name) => readFileSync(path.join(dir, 'wal', name), 'utf8'))
    .join('');
}

describe('lowdb ledger store', () => {
  const tempFolder = useTempFolders();

  it('starts a checkpoint once the early threshold of unfiled entries is passed, without waiting for the timer', async () => {
    const store = await openLowdbLedgerStore({ dir: await tempFolder(), ...QUIET, checkpointEarlyAtEntries: 1_000 });
    await store.change('t', addFunds('t', 100_000_000, 'f'));
    expect(store.stats.checkpoints).toBe(0);
    await store.change('t', recordUsage('t', usageBatch('a', 1_000)));
    await vi.waitFor(() => expect(store.stats.checkpoints).toBe(1));
    await store.close();
  });

  // The early checkpoint is off here, so the hard bound is what files the backlog.
  it('files its backlog with a checkpoint once 100,000 journal entries wait in memory, without waiting for the timer', { timeout: 60_000 }, async () => {
    const store = await openLowdbLedgerStore({ dir: await tempFolder(), ...QUIET, checkpointEarlyAtEntries: Number.POSITIVE_INFINITY });
    await store.change('big', addFunds('big', 100_000_000, 'f'));
    for (let i = 0; i < 4; i++) await store.change('big', recordUsage('big', usageBatch(`a${i}`, 25_000)));
    // 100,002 entries wait now: the next change waits for a checkpoint that files them.
    expect(store.stats.checkpoints).toBe(0);
    await store.change('big', recordUsage('big', usageBatch('b', 10)));
    expect(store.stats.checkpoints).toBe(1);
    expect((await store.account('big'))!.entryCount).toBe(100_012);
    await store.close();
  });

  it('commits concurrent changes in groups, with one fsync for all changes decided meanwhile', async () => {
    const store = await openLowdbLedgerStore({ dir: await tempFolder(), ...QUIET });
    const before = store.stats.walFsyncs;
    await Promise.all(Array.from({ length: 64 }, (_, i) => store.change(`t${i}`, addFunds(`t${i}`, 1_000, 'k'))));
    expect(store.stats.walFsyncs - before).toBe(1);

    const start = store.stats.walFsyncs;
    await Promise.all(
      Array.from({ length: 64 }, async (_, w) => {
        for (let i = 0; i < 20; i++) await store.change(`t${w}`, addFunds(`t${w}`, 10, `w${i}`));
      }),
    );
    expect(store.stats.walFsyncs - start).toBeLessThan((64 * 20) / 8);
    await store.close();
  });

  it('reads every journal range the same from files, recent filed entries and the unfiled tail, before and after a reopen', async () => {
    const dir = await tempFolder();
    let store = await openLowdbLedgerStore({ dir, ...QUIET });
    await store.change('t', addFunds('t', 100_000, 'f'));
    for (let i = 0; i < 12; i++) await store.change('t', recordUsage('t', usageBatch(`b${i}`, 9)));
    await store.checkpoint();
    await store.change('t', recordUsage('t', usageBatch('late', 5)));
    const all = await wholeJournal(store, 't');
    expect(all.map((e) => e.id)).toEqual(Array.from({ length: 115 }, (_, i) => String(i + 1)));
    const ranges = [
      [0, 200],
      [0, 10],
      [70, 20],
      [80, 30],
      [100, 10],
      [105, 10],
      [109, 3],
      [110, 5],
      [114, 5],
      [60, 55],
    ] as const;
    const expectRanges = async () => {
      for (const [after, limit] of ranges) {
        expect(
          (await store.journal('t', after, limit)).map((e) => e.id),
          `after ${after} limit ${limit}`,
        ).toEqual(all.slice(after, after + limit).map((e) => e.id));
      }
    };
    await expectRanges();
    await store.close();
    store = await openLowdbLedgerStore({ dir, ...QUIET });
    await expectRanges();
    await expectRanges();
    await store.close();
  });

  it('checkpoints account documents and journal files, and deletes the WAL segments they cover', async () => {
    const dir = await tempFolder();
    const store = await openLowdbLedgerStore({ dir, ...QUIET });
    for (const tenant of ['a', 'b', 'c']) {
      await store.change(tenant, addFunds(tenant, 5_000, 'f'));
      await store.change(tenant, recordUsage(tenant, usageBatch(tenant, 10)));
    }
    await store.checkpoint();
    expect(store.stats.checkpoints).toBe(1);

    const marker = await readSealedDocument<CheckpointMarker>(path.join(dir, 'checkpoint.json'));
    expect(marker.walSeq).toBe(6);
    expect(await readdir(path.join(dir, 'wal'))).toEqual([`${marker.walSegment}.log`]);
    const documents = await readdir(path.join(dir, 'accounts'));
    expect(documents).toHaveLength(3);
    for (const name of documents) {
      const document = await readSealedDocument<AccountDocument>(path.join(dir, 'accounts', name));
      expect(document.account.entryCount).toBe(12);
      const journalFile = path.join(dir, 'journal', name.replace(/\.json$/, ''), '0.jsonl');
      const lines = (await readFile(journalFile, 'utf8')).trimEnd().split('\n');
      expect(lines.map((line) => opened<{ tenantId: string }>(line).tenantId)).toEqual(Array(12).fill(document.tenantId));
      expect(document.journal).toEqual({ segment: 0, bytes: Buffer.byteLength(`${lines.join('\n')}\n`) });
    }

    // Nothing new: no checkpoint is written and the WAL stays in its segment.
    await store.checkpoint();
    expect(store.stats.checkpoints).toBe(1);
    expect(await readdir(path.join(dir, 'wal'))).toEqual([`${marker.walSegment}.log`]);
    await store.close();
  });

  it('refuses to read a journal line that is not the entry its place says, though its checksum holds', async () => {
    const dir = await tempFolder();
    const store = await openLowdbLedgerStore({ dir, ...QUIET });
    await store.change('t', addFunds('t', 100_000, 'f'));
    await store.change('t', recordUsage('t', usageBatch('u', 6)));
    await store.checkpoint();
    await store.close();
    const file = path.join(dir, 'journal', tenantFileName('t'), '0.jsonl');
    const lines = (await readFile(file, 'utf8')).split('\n');
    [lines[2], lines[3]] = [lines[3]!, lines[2]!];
    await writeFile(file, lines.join('\n'));

    const reopened = await openLowdbLedgerStore({ dir, ...QUIET });
    expect((await reopened.journal('t', 5, 10)).map((entry) => entry.id)).toEqual(['6', '7', '8']);
    await expect(reopened.journal('t', 0, 10)).rejects.toThrow(`${file} line 3 holds entry 4 of tenant t where entry 3 of tenant t belongs`);
    await reopened.close();
  });

  it('keeps untrusted tenant ids apart, inside the data folder, and gives them back exactly', async () => {
    const dir = await tempFolder();
    const tenants = ['../../escape', '', 'A', 'a', 'ünï/cødé\\:*?"<>|', '.', 'x'.repeat(500), 'CON'];
    let store = await openLowdbLedgerStore({ dir, ...QUIET });
    for (const [i, tenant] of tenants.entries()) await store.change(tenant, addFunds(tenant, 1_000 + i, `k${i}`));
    await store.close();
    expect(await readdir(path.join(dir, 'accounts'))).toHaveLength(tenants.length);
    expect(await readdir(dir)).toEqual(expect.arrayContaining(['accounts', 'journal', 'wal']));
    expect((await readdir(dir)).length).toBeLessThanOrEqual(6);

    store = await openLowdbLedgerStore({ dir, ...QUIET });
    expect((await store.tenantIds()).sort()).toEqual([...tenants].sort());
    for (const [i, tenant] of tenants.entries()) {
      expect((await store.account(tenant))!.balanceMinor).toBe(1_000 + i);
      expect((await wholeJournal(store, tenant)).every((entry) => entry.tenantId === tenant)).toBe(true);
    }
    await store.close();
  });

  it('checkpoints on its own every interval', async () => {
    const store = await openLowdbLedgerStore({ dir: await tempFolder(), checkpointIntervalMs: 20 });
    await store.change('t', addFunds('t', 1_000, 'k'));
    await vi.waitFor(() => expect(store.stats.checkpoints).toBeGreaterThanOrEqual(1));
    await store.change('t', addFunds('t', 1_000, 'k2'));
    await vi.waitFor(() => expect(store.stats.checkpoints).toBeGreaterThanOrEqual(2));
    await store.close();
  });

  it('hands alerts to listeners only once the WAL line that carries them is on disk', async () => {
    const dir = await tempFolder();
    const store = await openLowdbLedgerStore({ dir, ...QUIET });
    const seenOnDisk: boolean[] = [];
    store.onAlerts((alerts) => {
      const wal = walText(dir);
      for (const { alert } of alerts) seenOnDisk.push(wal.includes(JSON.stringify(alert)));
    });
    await store.change('t', addFunds('t', 2_000, 'f'));
    await store.change('t', recordUsage('t', [{ recordId: 'u', chargeMinor: 2_500 }]));
    expect(seenOnDisk).toEqual([true, true]); // low balance, then suspended
    await store.close();
  });

  it('answers a repeated acknowledgement only once the first one is on disk', async () => {
    const dir = await tempFolder();
    const store = await openLowdbLedgerStore({ dir, ...QUIET });
    await store.change('t', addFunds('t', 2_000, 'f'));
    await store.change('t', recordUsage('t', [{ recordId: 'u', chargeMinor: 1_500 }]));
    const { id } = (await store.pendingAlerts())[0]!;
    void store.acknowledgeAlert(id);
    await store.acknowledgeAlert(id);
    expect(walText(dir)).toContain(`"ack":"${id}"`);
    await store.close();
  });

  it('reports a failing alert listener and goes on', async () => {
    const errors: unknown[] = [];
    const store = await openLowdbLedgerStore({ dir: await tempFolder(), ...QUIET, reportError: (error) => errors.push(error) });
    const delivered: string[] = [];
    store.onAlerts(() => {
      throw new Error('listener broke');
    });
    store.onAlerts((alerts) => delivered.push(...alerts.map((s) => s.alert.type)));
    await store.change('t', addFunds('t', 2_000, 'f'));
    await store.change('t', recordUsage('t', [{ recordId: 'u', chargeMinor: 1_500 }]));
    expect(errors).toEqual([new Error('listener broke')]);
    expect(delivered).toEqual(['low-balance']);
    await store.change('t', addFunds('t', 2_000, 'f2'));
    await store.close();
  });

  it('stops, rather than write a change whose entries do not continue the journal, and rebuilds itself from disk', async () => {
    const store = await openLowdbLedgerStore({ dir: await tempFolder(), ...QUIET, recoveryIntervalMs: 20, reportError: () => undefined });
    await store.change('t', addFunds('t', 2_000, 'f'));
    const account = (await store.account('t'))!;
    const [opened] = await store.journal('t', 0, 1);
    const refusal = store.change('t', () => ({ account, entries: [opened!], alerts: [], result: null }));
    await expect(refusal).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(refusal).rejects.toThrow(/produced entry 1 of tenant t where entry 3 was due/);
    expect(store.health()).toEqual({ ok: false, reason: expect.stringContaining('where entry 3 was due') });
    await expect(store.change('t', addFunds('t', 2_000, 'g'))).rejects.toBeInstanceOf(StoreUnavailableError);

    await vi.waitFor(() => expect(store.health().ok).toBe(true));
    expect(store.stats.recoveries).toBe(1);
    expect((await store.account('t'))!.balanceMinor).toBe(2_000);
    await store.change('t', addFunds('t', 2_000, 'g'));
    expect((await wholeJournal(store, 't')).map((entry) => entry.id)).toEqual(['1', '2', '3']);
    await store.close();
  });
});
