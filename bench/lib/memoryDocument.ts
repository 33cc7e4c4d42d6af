import type { JsonDocument } from '../../services/documentPort.js';

/** A JsonDocument kept in memory: the probe's gateway is never charged. */
export function memoryDocument<T>(initial: T): JsonDocument<T> {
  let data = initial;
  return {
    get data() {
      return data;
    },
    async update(mutator: (draft: T) => void) {
      const draft = structuredClone(data);
      mutator(draft);
      data = draft;
    },
  };
}
