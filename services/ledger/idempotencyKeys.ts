import type { Minor } from '../money.js';

/** The first outcome of a money-moving operation, returned again when its key is replayed. */
export interface KeyOutcome {
  entryId: string;
  kind: string;
  amountMinor: Minor;
  balanceAfterMinor: Minor;
  at: number;
}

export interface IdempotencyKeysSnapshot {
  operations: Array<[string, KeyOutcome]>;
  /** Usage key fingerprints as base64 of [hi, lo, day] triples. */
  usage: string;
}

/**
 * The keys an account has seen. Operation keys (card operation ids, operator keys, recharge
 * attempt ids) keep their first outcome. Usage record ids can number millions a month, so they are
 * kept as 64-bit fingerprints in an open-addressing table (16 bytes a key at most), with the day
 * the call started so keys older than the acceptance window can be dropped. Two different ids share
 * a fingerprint with odds of about one in 10^10 per million keys.
 */
export class IdempotencyKeys {
  readonly operations = new Map<string, KeyOutcome>();
  private table = new Uint32Array(3 * 1024);
  private used = 0;

  get usageCount(): number {
    return this.used;
  }

  hasUsage(key: string): boolean {
    const [hi, lo] = fingerprint(key);
    return this.slotOf(hi, lo) >= 0;
  }

  addUsage(key: string, day: number): void {
    const [hi, lo] = fingerprint(key);
    if (this.slotOf(hi, lo) >= 0) return;
    if ((this.used + 1) * 2 > this.capacity) this.resize(this.capacity * 2);
    this.insert(hi, lo, day);
  }

  /**
   * Forgets usage keys from before `oldestDay`: records that old are rejected anyway. Operation
   * keys are few (one per addition) and kept for good, so an old key can never add twice.
   */
  pruneUsageBefore(oldestDay: number): void {
    const old = this.table;
    const keep: number[] = [];
    for (let i = 0; i < old.length; i += 3) {
      if ((old[i]! | old[i + 1]!) !== 0 && old[i + 2]! >= oldestDay) keep.push(i);
    }
    if (keep.length === this.used) return;
    this.table = new Uint32Array(3 * capacityFor(keep.length));
    this.used = 0;
    for (const i of keep) this.insert(old[i]!, old[i + 1]!, old[i + 2]!);
  }

  toSnapshot(): IdempotencyKeysSnapshot {
    const packed = new Uint32Array(this.used * 3);
    let j = 0;
    for (let i = 0; i < this.table.length; i += 3) {
      if ((this.table[i]! | this.table[i + 1]!) !== 0) {
        packed[j++] = this.table[i]!;
        packed[j++] = this.table[i + 1]!;
        packed[j++] = this.table[i + 2]!;
      }
    }
    return {
      operations: [...this.operations],
      usage: Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength).toString('base64'),
    };
  }

  static fromSnapshot(snapshot: IdempotencyKeysSnapshot): IdempotencyKeys {
    const keys = new IdempotencyKeys();
    for (const [key, outcome] of snapshot.operations) keys.operations.set(key, outcome);
    const bytes = Buffer.from(snapshot.usage, 'base64');
    // A view of the decoded bytes when they are 4-byte aligned (a large decode always is): with a
    // million keys, the copy would be 12 MB more to hold while opening.
    const packed =
      bytes.byteOffset % 4 === 0
        ? new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)
        : new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    keys.table = new Uint32Array(3 * capacityFor(packed.length / 3));
    for (let i = 0; i < packed.length; i += 3) keys.insert(packed[i]!, packed[i + 1]!, packed[i + 2]!);
    return keys;
  }

  private get capacity(): number {
    return this.table.length / 3;
  }

  private slotOf(hi: number, lo: number): number {
    const mask = this.capacity - 1;
    for (let s = (lo ^ hi) & mask; ; s = (s + 1) & mask) {
      const a = this.table[s * 3]!;
      const b = this.table[s * 3 + 1]!;
      if ((a | b) === 0) return -1;
      if (a === hi && b === lo) return s;
    }
  }

  private insert(hi: number, lo: number, day: number): void {
    const mask = this.capacity - 1;
    let s = (lo ^ hi) & mask;
    while ((this.table[s * 3]! | this.table[s * 3 + 1]!) !== 0) s = (s + 1) & mask;
    this.table[s * 3] = hi;
    this.table[s * 3 + 1] = lo;
    this.table[s * 3 + 2] = day;
    this.used++;
  }

  private resize(capacity: number): void {
    const old = this.table;
    this.table = new Uint32Array(3 * capacity);
    this.used = 0;
    for (let i = 0; i < old.length; i += 3) {
      if ((old[i]! | old[i + 1]!) !== 0) this.insert(old[i]!, old[i + 1]!, old[i + 2]!);
    }
  }
}

function capacityFor(count: number): number {
  let capacity = 1024;
  while (capacity < count * 2) capacity *= 2;
  return capacity;
}

/** Two independent 32-bit hashes (FNV-1a and a Murmur3-style mix) of the key's UTF-16 units. */
function fingerprint(key: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ key.length;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  b ^= b >>> 16;
  a >>>= 0;
  b >>>= 0;
  // (0, 0) marks an empty slot.
  return a === 0 && b === 0 ? [0, 1] : [a, b];
}
