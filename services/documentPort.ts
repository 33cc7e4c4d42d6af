/**
 * A small durable JSON document (conversation references, the sandbox gateway's cards, sync
 * watermarks). `update` resolves once the change is on disk; concurrent updates are applied in
 * order and may share one write.
 */
export interface JsonDocument<T> {
  readonly data: T;
  update(mutator: (draft: T) => void): Promise<void>;
}
