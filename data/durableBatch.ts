import { type FileHandle, mkdir, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { syncFolder, tempFileFor } from './durableJsonFile.js';

/**
 * Many file writes made durable together, so that a checkpoint of a thousand tenants costs one
 * round of fsyncs, issued all at once, instead of one fsync after another per file:
 *
 *   - `writeAt` and `replace` only write (to the file itself, or to a temporary file beside it);
 *   - `commit` then fsyncs every file written and every folder that got a new entry, all at once;
 *     only once all of them are durable does it rename each replacement over its file, and then
 *     fsync each folder holding renamed files, once per folder.
 *
 * So no replacement (an account document) becomes visible before every byte the batch wrote (the
 * journal lines and usage keys it counts) is on disk, and once `commit` resolves every rename is
 * durable too. A crash before the renames leaves every replaced file as it was (its temporary file
 * is for recovery to delete) and bytes written past the ends the old files record, which recovery
 * cuts. A failed batch is given up with `abandon` (the store then rebuilds itself from disk).
 */
export class DurableBatch {
  private readonly handles: FileHandle[] = [];
  private readonly replacements: Array<{ temp: string; file: string }> = [];
  /** Folders with an entry created by this batch (a file or a folder), to fsync before the renames. */
  private readonly grown = new Set<string>();

  /** Makes `folder` (and its parents) if missing; its entry becomes durable at commit. */
  async makeFolder(folder: string): Promise<void> {
    const made = await mkdir(folder, { recursive: true });
    if (made !== undefined) {
      // `made` is the first folder created: every folder from its parent down to `folder` grew.
      for (let grown = folder; grown !== path.dirname(made); grown = path.dirname(grown)) this.grown.add(path.dirname(grown));
    }
  }

  /**
   * Writes `bytes` into `file` at `position`, cutting whatever lies beyond it first (bytes a failed
   * attempt left); position 0 creates the file, or empties it.
   */
  async writeAt(file: string, position: number, bytes: Uint8Array): Promise<void> {
    const creating = position === 0;
    const handle = await open(file, creating ? 'w' : 'r+');
    this.handles.push(handle);
    if (creating) this.grown.add(path.dirname(file));
    else await handle.truncate(position);
    await writeWhole(handle, bytes, position);
  }

  /** Writes the whole new content of `file` beside it; `commit` puts it in place. */
  async replace(file: string, content: string | Uint8Array): Promise<void> {
    const temp = tempFileFor(file);
    this.replacements.push({ temp, file });
    const handle = await open(temp, 'w');
    this.handles.push(handle);
    await handle.writeFile(content);
  }

  async commit(): Promise<void> {
    await settleAll([...this.handles.map((handle) => handle.datasync()), ...[...this.grown].map(syncFolder)]);
    await this.closeFiles();
    const renames = this.replacements.splice(0);
    await settleAll(renames.map(({ temp, file }) => rename(temp, file)));
    await settleAll([...new Set(renames.map(({ file }) => path.dirname(file)))].map(syncFolder));
  }

  /** Closes what the batch opened and deletes its temporary files; never throws. */
  async abandon(): Promise<void> {
    await this.closeFiles().catch(() => undefined);
    await Promise.all(this.replacements.splice(0).map(({ temp }) => unlink(temp).catch(() => undefined)));
  }

  private async closeFiles(): Promise<void> {
    await settleAll(this.handles.splice(0).map((handle) => handle.close()));
  }
}

async function writeWhole(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  for (let offset = 0; offset < bytes.length; ) {
    offset += (await handle.write(bytes, offset, bytes.length - offset, position + offset)).bytesWritten;
  }
}

/** Waits for every one of `promises`, then rejects with the first failure if there was one: nothing is left running. */
async function settleAll(promises: Array<Promise<unknown>>): Promise<void> {
  const failed = (await Promise.allSettled(promises)).find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}
