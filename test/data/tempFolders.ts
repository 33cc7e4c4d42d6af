import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { LOCK_FILE_NAME } from '../../data/folderLock.js';

/** Temporary folders for one test file, removed after each test. */
export function useTempFolders(prefix = 'ledger-data-'): () => Promise<string> {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
  });
  return async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), prefix));
    made.push(folder);
    return folder;
  };
}

/**
 * Copies a data folder as a kill -9 would leave it right now (everything acknowledged is written),
 * without the lock of the process that still has the original open.
 */
export async function crashImage(dir: string, into: string): Promise<string> {
  await cp(dir, into, { recursive: true, filter: (source) => path.basename(source) !== LOCK_FILE_NAME });
  return into;
}
