/**
 * A memo that holds at most `limit` entries, for values that are costly to build from keys that
 * come from outside (locales from activities, users from the directory): when it is full, the
 * entry used least recently gives way, so a flood of new keys cannot grow memory or push out the
 * few keys in constant use for long.
 */
// biome-ignore lint/complexity/noBannedTypes: `{}` is "any value but undefined", which marks a miss.
export class BoundedCache<K, V extends {} | null> {
  // A Map iterates in insertion order; re-inserting on every hit keeps the least recently used first.
  private readonly entries = new Map<K, V>();

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`A cache limit is a positive integer, not ${limit}`);
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value as K);
    this.entries.set(key, value);
  }

  /** The cached value for `key`, built by `create` and kept when missing. */
  getOrCreate(key: K, create: (key: K) => V): V {
    let value = this.get(key);
    if (value === undefined) {
      value = create(key);
      this.set(key, value);
    }
    return value;
  }
}
