import type { JsonDocument } from '../../services/documentPort.js';

/** A JsonDocument kept in memory, for tests of services that persist small state. */
export function memoryDocument<T>(initial: T): JsonDocument<T> & { writes: number } {
  const doc = {
    data: structuredClone(initial),
    writes: 0,
    async update(mutator: (draft: T) => void) {
      mutator(doc.data);
      doc.writes++;
    },
  };
  return doc;
}
