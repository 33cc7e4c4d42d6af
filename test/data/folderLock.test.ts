import { spawnSync } from 'node:child_process';
import { readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FolderInUseError } from '../../data/folderLock.js';
import { openLowdbLedgerStore } from '../../data/lowdbLedgerStore.js';
import { killHard, startScript, waitForLine } from './childProcess.js';
import { addFunds } from './ledgerFixtures.js';
import { useTempFolders } from './tempFolders.js';

const QUIET = { checkpointIntervalMs: 600_000 };

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('one process per data folder', () => {
  const tempFolder = useTempFolders();

  it('refuses a second opener in the same process, naming the folder and the pid', async () => {
    const dir = await tempFolder();
    const store = await openLowdbLedgerStore({ dir, ...QUIET });
    const refusal = openLowdbLedgerStore({ dir, ...QUIET });
    await expect(refusal).rejects.toBeInstanceOf(FolderInUseError);
    await expect(refusal).rejects.toThrow(`The data folder ${dir} is already open in this process (pid ${process.pid})`);
    await store.close();
    expect(await readdir(dir)).not.toContain('LOCK');
    await (await openLowdbLedgerStore({ dir, ...QUIET })).close();
  });

  it('refuses while another process holds the folder, and takes it over once that process is killed', async () => {
    const dir = await tempFolder();
    const holder = startScript('./holdDataFolder.ts', [dir]);
    try {
      await waitForLine(holder, /^holding$/);
      await expect(openLowdbLedgerStore({ dir, ...QUIET })).rejects.toThrow(`(pid ${holder.pid})`);
    } finally {
      await killHard(holder);
    }
    const store = await openLowdbLedgerStore({ dir, ...QUIET });
    expect(await store.tenantIds()).toEqual([]);
    expect((await readFile(path.join(dir, 'LOCK'), 'utf8')).trim()).toBe(String(process.pid));
    await store.close();
  });

  it("takes over a stale lock holding this process's own pid (a restarted container's), yet refuses a second opener here", async () => {
    const dir = await tempFolder();
    let store = await openLowdbLedgerStore({ dir, ...QUIET });
    await store.change('t', addFunds('t', 1_000, 'k'));
    await store.close();

    // Left by an earlier process that had the pid this one has now.
    await writeFile(path.join(dir, 'LOCK'), `${process.pid}\n`);
    store = await openLowdbLedgerStore({ dir, ...QUIET });
    expect((await store.account('t'))!.balanceMinor).toBe(1_000);
    // The same folder under another name is the same folder.
    const alias = path.join(await tempFolder(), 'alias');
    await symlink(dir, alias);
    await expect(openLowdbLedgerStore({ dir: alias, ...QUIET })).rejects.toBeInstanceOf(FolderInUseError);
    await expect(openLowdbLedgerStore({ dir, ...QUIET })).rejects.toThrow(`(pid ${process.pid})`);
    await store.close();
    await (await openLowdbLedgerStore({ dir: alias, ...QUIET })).close();
    expect(await readdir(dir)).not.toContain('LOCK');
  });

  it('takes over a stale lock left by a dead pid or holding no pid at all', async () => {
    const dir = await tempFolder();
    let store = await openLowdbLedgerStore({ dir, ...QUIET });
    await store.change('t', addFunds('t', 1_000, 'k'));
    await store.close();

    for (const stale of [`${deadPid()}\n`, '', 'not a pid']) {
      await writeFile(path.join(dir, 'LOCK'), stale);
      store = await openLowdbLedgerStore({ dir, ...QUIET });
      expect((await store.account('t'))!.balanceMinor).toBe(1_000);
      await store.close();
    }
    expect(await readdir(dir)).not.toContain('LOCK');
  });
});
