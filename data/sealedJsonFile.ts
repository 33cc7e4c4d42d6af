import type { Adapter } from 'lowdb';
import { DamagedDataError, OLD_FORMAT, RESTORE_FROM_BACKUP } from './damagedData.js';
import { readTextIfPresent, writeFileAtomically } from './durableJsonFile.js';
import { describeSealProblem, seal, unseal } from './sealedLine.js';

/**
 * A lowdb adapter for the ledger's own documents (account documents, the outbox, the checkpoint
 * marker): written like `DurableJsonFile` (temporary file, fsync, rename, fsync of the folder), as
 * one sealed line, so an edited or damaged document is refused, naming it, instead of being believed.
 */
export class SealedJsonFile<T> implements Adapter<T> {
  constructor(readonly file: string) {}

  async read(): Promise<T | null> {
    const text = await readTextIfPresent(this.file);
    if (text === null) return null;
    const opened = unseal(text.endsWith('\n') ? text.slice(0, -1) : text);
    if (!opened.ok) {
      throw new DamagedDataError(this.file, describeSealProblem(opened.problem), opened.problem === 'old-format' ? OLD_FORMAT : RESTORE_FROM_BACKUP);
    }
    return opened.value as T;
  }

  write(data: T): Promise<void> {
    // Serialised before the first await, so later changes to `data` belong to the next write.
    return writeFileAtomically(this.file, sealedDocument(data));
  }
}

/** A document's text as the store writes it: one sealed line. */
export function sealedDocument(data: unknown): string {
  return `${seal(JSON.stringify(data))}\n`;
}
