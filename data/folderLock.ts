import { link, open, readFile, realpath, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { isMissing, syncFolder } from './durableJsonFile.js';

export const LOCK_FILE_NAME = 'LOCK';

export class FolderInUseError extends Error {
  constructor(
    readonly folder: string,
    readonly ownerPid: number,
  ) {
    super(
      ownerPid === process.pid
        ? `The data folder ${folder} is already open in this process (pid ${ownerPid}).`
        : `The data folder ${folder} is in use by another process (pid ${ownerPid}). Stop that process, or point DATA_DIR at another folder.`,
    );
    this.name = 'FolderInUseError';
  }
}

export interface FolderLock {
  release(): Promise<void>;
}

/** The folders this process holds, by real path: its own pid in a lock file proves nothing else. */
const heldHere = new Set<string>();

/**
 * Makes this process the only owner of `folder`. The lock file holds the owner's pid; it is created
 * complete (written to a private file, then hard-linked into place, which fails if a lock exists),
 * so a live owner's lock is never seen empty. A lock whose pid is dead (kill -9) is taken over, and
 * so is one holding this process's own pid for a folder this process does not hold: a container
 * restarted after a kill gets the same small pid again. Within the process, `heldHere` refuses a
 * second opener.
 */
export async function lockFolder(folder: string): Promise<FolderLock> {
  const lockFile = path.join(folder, LOCK_FILE_NAME);
  const key = await realpath(folder);
  if (heldHere.has(key)) throw new FolderInUseError(folder, process.pid);
  heldHere.add(key);
  try {
    for (let attempt = 0; attempt < 10; attempt++) {
      if (await tryCreateLock(lockFile)) {
        await syncFolder(folder);
        return { release: () => releaseLock(lockFile).finally(() => heldHere.delete(key)) };
      }
      const content = await readLock(lockFile);
      if (content === null) continue; // released meanwhile
      const owner = parsePid(content);
      if (owner !== null && owner !== process.pid && isAlive(owner)) throw new FolderInUseError(folder, owner);
      await removeStaleLock(lockFile, content);
    }
    throw new Error(`Could not lock the data folder ${folder}: its lock file ${lockFile} keeps changing.`);
  } catch (error) {
    heldHere.delete(key);
    throw error;
  }
}

let attemptCounter = 0;

async function tryCreateLock(lockFile: string): Promise<boolean> {
  const mine = `${lockFile}.${process.pid}-${++attemptCounter}`;
  const handle = await open(mine, 'w');
  try {
    await handle.writeFile(`${process.pid}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(mine, lockFile);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(mine);
  }
}

/**
 * Moves the stale lock aside, then checks that what was moved is the lock judged stale: if another
 * starting process replaced it in between, its fresh lock is put back.
 */
async function removeStaleLock(lockFile: string, staleContent: string): Promise<void> {
  const aside = `${lockFile}.stale-${process.pid}`;
  try {
    await rename(lockFile, aside);
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  if ((await readLock(aside)) !== staleContent) await link(aside, lockFile).catch(() => undefined);
  await unlink(aside);
}

async function releaseLock(lockFile: string): Promise<void> {
  if (parsePid((await readLock(lockFile)) ?? '') !== process.pid) return;
  await unlink(lockFile);
  // A removal that does not reach the disk (which may be failing) leaves a stale lock, taken over at the next start.
  await syncFolder(path.dirname(lockFile)).catch(() => undefined);
}

async function readLock(lockFile: string): Promise<string | null> {
  try {
    return await readFile(lockFile, 'utf8');
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

function parsePid(content: string): number | null {
  const pid = Number(content.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
