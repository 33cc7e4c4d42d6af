import { open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';

/** Temporary files end with this; a crash may leave one behind, and it is safe to delete. */
const TEMP_SUFFIX = '.tmp';

let tempCounter = 0;

/**
 * A lowdb adapter whose writes survive a crash or power cut: the new content goes to a temporary
 * file that is fsynced, renamed over the old one, and the folder is fsynced so the rename itself is
 * on disk. A reader sees the old content or the new, never a mix.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  constructor(readonly file: string) {}

  async read(): Promise<T | null> {
    const text = await readTextIfPresent(this.file);
    if (text === null) return null;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new Error(`The file ${this.file} is not valid JSON (${(error as Error).message}). Restore it from a backup, or move it aside to start it afresh.`);
    }
  }

  write(data: T): Promise<void> {
    // Serialised before the first await, so later changes to `data` belong to the next write.
    return writeFileAtomically(this.file, JSON.stringify(data));
  }
}

/**
 * A file's text, or null when it does not exist. Other failures name the file: errors of an open
 * handle (EISDIR, EIO) do not.
 */
export async function readTextIfPresent(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (isMissing(error)) return null;
    throw Object.assign(new Error(`The file ${file} cannot be read: ${(error as Error).message}`, { cause: error }), {
      code: (error as NodeJS.ErrnoException).code,
    });
  }
}

/** A fresh name for a temporary file beside `file`, of the form recovery deletes: `<file>.<pid>-<counter>.tmp`. */
export function tempFileFor(file: string): string {
  return `${file}.${process.pid}-${++tempCounter}${TEMP_SUFFIX}`;
}

export async function writeFileAtomically(file: string, text: string | Uint8Array): Promise<void> {
  const temp = tempFileFor(file);
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncFolder(path.dirname(file));
}

/** The name `canWrite` gives its probe file, before the temporary-file suffix. */
export const WRITE_PROBE = 'write-probe';

/**
 * Whether the disk under `folder` takes a durable write now: writes, fsyncs and deletes a small
 * probe file (a page's worth, so a full disk says so).
 */
export async function canWrite(folder: string): Promise<boolean> {
  const probe = path.join(folder, `${WRITE_PROBE}.${process.pid}-${++tempCounter}${TEMP_SUFFIX}`);
  try {
    const handle = await open(probe, 'w');
    try {
      await handle.writeFile(Buffer.alloc(4_096));
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  } catch {
    return false;
  } finally {
    await unlink(probe).catch(() => undefined);
  }
}

/** Makes the creation, renaming and deletion of the folder's entries durable. */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The names in a folder; none if the folder is not there. */
export async function listFolder(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

export function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}
