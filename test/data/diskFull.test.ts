import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, open, rm, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openLowdbLedgerStore } from '../../data/lowdbLedgerStore.js';
import { StoreUnavailableError } from '../../services/ports.js';
import { addFunds, wholeJournal } from './ledgerFixtures.js';

/** Whether this process may mount a small tmpfs (root on Linux): the only way to fill a disk for real. */
function canMountTmpfs(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(path.join(os.tmpdir(), 'tmpfs-probe-'));
  try {
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).status !== 0) return false;
    return spawnSync('umount', [probe]).status === 0;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

/** Writes zeros to `file` until the disk is full. */
async function fill(file: string): Promise<void> {
  const handle = await open(file, 'w');
  try {
    for (;;) await handle.write(Buffer.alloc(16_384));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    await handle.close();
  }
}

// Runs where a tmpfs can be mounted (the development container runs tests as root); elsewhere the
// same fail-stop path is covered with a simulated disk in failStop.test.ts.
describe.runIf(canMountTmpfs())('a disk that fills up for real', () => {
  it('stops with ENOSPC, serves nothing meanwhile, and recovers with every acknowledged change once space is back', { timeout: 60_000 }, async () => {
    const disk = await mkdtemp(path.join(os.tmpdir(), 'ledger-full-'));
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', disk]).status).toBe(0);
    try {
      const dir = path.join(disk, 'data');
      const store = await openLowdbLedgerStore({ dir, checkpointIntervalMs: 600_000, recoveryIntervalMs: 50, reportError: () => undefined });
      // Leave about 40 KB: room for a few dozen changes.
      const spare = path.join(disk, 'spare');
      const spareHandle = await open(spare, 'w');
      await spareHandle.write(Buffer.alloc(40_960));
      await spareHandle.close();
      await fill(path.join(disk, 'ballast'));
      await unlink(spare);

      const acknowledged: string[] = [];
      let refusedKey: string | null = null;
      for (let i = 0; i < 5_000 && refusedKey === null; i++) {
        const key = `k${i}-${'x'.repeat(200)}`;
        try {
          await store.change('t', addFunds('t', 100, key));
          acknowledged.push(key);
        } catch (error) {
          expect(error).toBeInstanceOf(StoreUnavailableError);
          refusedKey = key;
        }
      }
      expect(refusedKey).not.toBeNull();
      expect(acknowledged.length).toBeGreaterThan(10);
      expect(store.health()).toEqual({ ok: false, reason: 'the write-ahead log could not be written (ENOSPC)' });
      await expect(store.account('t')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.journal('t', 0, 10)).rejects.toBeInstanceOf(StoreUnavailableError);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(store.health().ok).toBe(false);

      await rm(path.join(disk, 'ballast'));
      await vi.waitFor(() => expect(store.health()).toEqual({ ok: true, reason: null }), { timeout: 5_000 });
      await store.change('t', addFunds('t', 100, refusedKey!));
      const keys = (await wholeJournal(store, 't')).map((entry) => entry.idempotencyKey).filter((key) => key !== null);
      expect(keys).toEqual([...acknowledged, refusedKey]);
      await store.close();

      const reopened = await openLowdbLedgerStore({ dir, checkpointIntervalMs: 600_000 });
      expect((await reopened.account('t'))!.balanceMinor).toBe(100 * (acknowledged.length + 1));
      await reopened.close();
    } finally {
      spawnSync('umount', [disk]);
      await rm(disk, { recursive: true, force: true });
    }
  });
});
