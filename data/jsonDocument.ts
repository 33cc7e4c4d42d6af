import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import type { JsonDocument } from '../services/documentPort.js';
import { DurableJsonFile } from './durableJsonFile.js';

/** Opens (or starts from `defaults`) the JSON document at `file`. */
export async function openJsonDocument<T>(file: string, defaults: T): Promise<JsonDocument<T>> {
  await mkdir(path.dirname(file), { recursive: true });
  const db = new Low<T>(new DurableJsonFile<T>(file), structuredClone(defaults));
  await db.read();
  return new DurableJsonDocument(db);
}

class DurableJsonDocument<T> implements JsonDocument<T> {
  /** The write that will carry the latest updates; null once it has started. */
  private nextWrite: Promise<void> | null = null;
  private lastWrite: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: Low<T>) {}

  get data(): T {
    return this.db.data;
  }

  update(mutator: (draft: T) => void): Promise<void> {
    const draft = structuredClone(this.db.data);
    try {
      mutator(draft);
    } catch (error) {
      return Promise.reject(error);
    }
    this.db.data = draft;
    return this.scheduleWrite();
  }

  private scheduleWrite(): Promise<void> {
    if (this.nextWrite) return this.nextWrite;
    const write = this.lastWrite.then(() => {
      this.nextWrite = null;
      return this.db.write();
    });
    this.nextWrite = write;
    this.lastWrite = write.catch(() => undefined);
    return write;
  }
}
