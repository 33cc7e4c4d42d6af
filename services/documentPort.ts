/**
 * A small JSON document kept durably in one process's data folder (the embedded files behind the
 * row-level ports, and alert deliveries). Services see only this port; the data layer decides where it lives.
 */
export interface JsonDocument<T> {
  /** The current content. Read it freely; change it only through `update`. */
  readonly data: T;
  /**
   * Applies `mutator` to a copy of the data at once (so updates never interleave) and resolves once
   * a write that includes it is durable. Updates made while a write is in progress share the next
   * write. If `mutator` throws, the data is unchanged and the promise rejects.
   */
  update(mutator: (draft: T) => void): Promise<void>;
}
