import { readFile } from 'node:fs/promises';
import type { Adapter } from 'lowdb';
import { DamagedDataError, OLD_FORMAT, RESTORE_FROM_BACKUP } from './damagedData.js';
import { isMissing, writeFileAtomically } from './durableJsonFile.js';
import { describeSealProblem, seal, unseal } from './sealedLine.js';

/**
 * A lowdb adapter for the ledger's own documents (account documents, the outbox, the checkpoint
 * marker): written like `DurableJsonFile` (temporary file, fsync, rename, fsync of the folder), as
 * one sealed line, so an edited or damaged document is refused, naming it, instead of being believed.
 */
export class SealedJsonFile<T> implements Adapter<T> {
  constructor(readonly file: string) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if (isMissing(error)) return null;
      // Errors of an open handle (EISDIR, EIO) do not name the file.
      throw Object.assign(new Error(`The file ${this.file} cannot be read: ${(error as Error).message}`, { cause: error }), {
        code: (error as NodeJS.ErrnoException).code,
      });
    }
    const opened = unseal(text.endsWith('\n') ? text.slice(0, -1) : text);
    if (!opened.ok) {
      throw new DamagedDataError(this.file, describeSealProblem(opened.problem), opened.problem === 'old-format' ? OLD_FORMAT : RESTORE_FROM_BACKUP);
    }
    return opened.value as T;
  }

  write(data: T): Promise<void> {
    // Serialised before the first await, so later changes to `data` belong to the next write.
    return writeFileAtomically(this.file, `${seal(JSON.stringify(data))}\n`);
  }
}
