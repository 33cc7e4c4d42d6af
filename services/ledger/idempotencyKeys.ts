import type { Minor } from '../money.js';
import { legacyKey } from './operationKeys.js';

/** The first outcome of a money-moving operation, returned again when its key is replayed. */
export interface KeyOutcome {
  entryId: string;
  kind: string;
  amountMinor: Minor;
  balanceAfterMinor: Minor;
  at: number;
}

/**
 * The operation keys as plain JSON. Usage fingerprints are not part of it: the store keeps them in
 * a binary file of its own (see `takeAddedUsage`, `exportUsage`, `loadUsage`).
 */
export interface IdempotencyKeysSnapshot {
  operations: Array<[string, KeyOutcome]>;
  /** Set since keys are namespaced by purpose; without it every operation key is a legacy one. */
  namespaced?: true;
}

/**
 * The keys an account has seen. Operation keys (purchases, grants, recharges, each in the key
 * space of its purpose: see `operationKeys.ts`) keep their first outcome. Usage record ids can number millions a month, so they are
 * kept as 64-bit fingerprints in an open-addressing table (8 bytes a slot, and 2 more for the day
 * the call started, in a parallel array, so keys older than the acceptance window can be dropped:
 * 10 bytes a slot, at most 80% of slots used, so 12.5–19 bytes a key; any slot count, not only
 * powers of two). Two different ids share
 * a fingerprint with odds of about one in 10^10 per million keys.
 *
 * A store may leave the keys it holds on disk there until they are needed (`deferStoredUsage`):
 * a tenant with a million keys then costs nothing at start-up. Anything that asks the table
 * (`hasUsage`, `usageCount`, a prune, an export) reads them in first, so a stored key is never
 * missed; the store reads them ahead, without blocking, before it lets a change decide.
 */
export class IdempotencyKeys implements UsageKeySink {
  readonly operations = new Map<string, KeyOutcome>();
  /** [hi, lo] per slot; (0, 0) marks an empty slot. */
  private fingerprints = new Uint32Array(2 * MIN_CAPACITY);
  /** The day of each slot's key (days since 1970, fits 16 bits until 2149). */
  private days = new Uint16Array(MIN_CAPACITY);
  private used = 0;
  /** Where the keys still on disk are, until they are in the table. */
  private stored: StoredUsageKeys | null = null;
  private storedLoading: Promise<void> | null = null;
  /** [hi, lo, day] triples added since the store last took them (first `addedLength` numbers). */
  private added = new Uint32Array(0);
  private addedLength = 0;
  /** Whether the store must write the whole set again instead of appending what was added. */
  private rewrite = false;

  get usageCount(): number {
    this.readStoredUsageNow();
    return this.used;
  }

  hasUsage(key: string): boolean {
    this.readStoredUsageNow();
    const [hi, lo] = fingerprint(key);
    return this.slotOf(hi, lo) >= 0;
  }

  /**
   * Adds a key (tracked for the store to write). While stored keys are still on disk this is
   * allowed (recovery replays the log's usage entries): a key that is also stored may then be
   * written twice, which loading tolerates.
   */
  addUsage(key: string, day: number): void {
    checkDay(day);
    const [hi, lo] = fingerprint(key);
    if (this.used + 1 > this.capacity * MAX_LOAD) this.resize(Math.ceil(this.capacity * GROWTH));
    if (this.insertIfNew(hi, lo, day) && !this.rewrite) this.track(hi, lo, day);
  }

  /**
   * Forgets usage keys from before `oldestDay`: records that old are rejected anyway. Operation
   * keys are few (one per addition) and kept for good, so an old key can never add twice.
   */
  pruneUsageBefore(oldestDay: number): void {
    this.readStoredUsageNow();
    const { fingerprints, days } = this;
    const keep: number[] = [];
    for (let s = 0; s < days.length; s++) {
      if ((fingerprints[2 * s]! | fingerprints[2 * s + 1]!) !== 0 && days[s]! >= oldestDay) keep.push(s);
    }
    if (keep.length === this.used) return;
    this.allocate(capacityFor(keep.length));
    for (const s of keep) this.insert(fingerprints[2 * s]!, fingerprints[2 * s + 1]!, days[s]!);
    this.requireUsageRewrite();
  }

  /** The usage triples added since the last call (or the last rewrite), packed; forgets them. */
  takeAddedUsage(): Uint32Array {
    const taken = this.added.slice(0, this.addedLength);
    this.added = new Uint32Array(0);
    this.addedLength = 0;
    return taken;
  }

  /** Whether the whole usage set must be written again (keys were dropped, or a write failed). */
  get usageRewriteRequired(): boolean {
    return this.rewrite;
  }

  /** Asks for the whole usage set to be written again; what was added meanwhile is then not tracked. */
  requireUsageRewrite(): void {
    this.rewrite = true;
    this.added = new Uint32Array(0);
    this.addedLength = 0;
  }

  /**
   * Takes the rewrite request: if the whole set must be written again, returns it packed (and
   * tracks additions afresh from here); otherwise returns null and changes nothing.
   */
  takeUsageRewrite(): Uint32Array | null {
    if (!this.rewrite) return null;
    this.rewrite = false;
    this.added = new Uint32Array(0);
    this.addedLength = 0;
    return this.exportUsage();
  }

  /** Every usage key as packed [hi, lo, day] triples. */
  exportUsage(): Uint32Array {
    this.readStoredUsageNow();
    const { fingerprints, days } = this;
    const packed = new Uint32Array(this.used * 3);
    let j = 0;
    for (let s = 0; s < days.length; s++) {
      if ((fingerprints[2 * s]! | fingerprints[2 * s + 1]!) !== 0) {
        packed[j++] = fingerprints[2 * s]!;
        packed[j++] = fingerprints[2 * s + 1]!;
        packed[j++] = days[s]!;
      }
    }
    return packed;
  }

  /**
   * Replaces the usage keys with packed [hi, lo, day] triples (as `exportUsage` and
   * `takeAddedUsage` give them; a triple may repeat). They count as already stored: not added.
   */
  loadUsage(packed: Uint32Array): void {
    this.allocate(MIN_CAPACITY);
    this.added = new Uint32Array(0);
    this.addedLength = 0;
    this.rewrite = false;
    this.stored = null;
    this.reserveUsage(packed.length / 3);
    this.addStoredUsage(packed);
  }

  /**
   * Makes room for `count` more keys, once, so that keys loaded chunk by chunk (`addStoredUsage`)
   * never grow the table key by key. Keeps every key it holds.
   */
  reserveUsage(count: number): void {
    const capacity = capacityFor(this.used + count);
    if (capacity > this.capacity) this.resize(capacity);
  }

  /** Adds packed [hi, lo, day] triples that are already stored (a triple may repeat): not tracked as added. */
  addStoredUsage(packed: Uint32Array): void {
    if (packed.length % 3 !== 0) throw new Error(`Usage keys come in triples; ${packed.length} numbers is not a whole number of them.`);
    for (let i = 0; i < packed.length; i += 3) {
      const hi = packed[i]!;
      const lo = packed[i + 1]!;
      if ((hi | lo) === 0) throw new Error('A usage key fingerprint is (0, 0), which marks an empty slot.');
      checkDay(packed[i + 2]!);
      if (this.used + 1 > this.capacity * MAX_LOAD) this.resize(Math.ceil(this.capacity * GROWTH));
      this.insertIfNew(hi, lo, packed[i + 2]!);
    }
  }

  /**
   * Leaves the keys a store holds on disk there until something needs them: `hasUsage` and the
   * rest read them in (blocking), or the store reads them ahead with `readStoredUsage`.
   */
  deferStoredUsage(stored: StoredUsageKeys): void {
    this.stored = stored;
    this.storedLoading = null;
  }

  /** Whether keys held on disk are not yet in the table. */
  get storedUsagePending(): boolean {
    return this.stored !== null;
  }

  /**
   * Reads the deferred keys in without blocking the event loop (once, however many callers ask;
   * a failed read is tried again by the next caller). Keys added meanwhile stay.
   */
  readStoredUsage(): Promise<void> {
    const stored = this.stored;
    if (!stored) return Promise.resolve();
    this.storedLoading ??= stored.read(this).then(
      () => {
        if (this.stored === stored) this.stored = null;
      },
      (error: unknown) => {
        this.storedLoading = null;
        throw error;
      },
    );
    return this.storedLoading;
  }

  /** Reads the deferred keys in at once, if any are still on disk (a repeat of a key read before is skipped). */
  private readStoredUsageNow(): void {
    const stored = this.stored;
    if (!stored) return;
    stored.readNow(this);
    this.stored = null;
  }

  /** The operation keys as plain JSON; usage keys are written separately by the store. */
  toSnapshot(): IdempotencyKeysSnapshot {
    return { operations: [...this.operations], namespaced: true };
  }

  /**
   * Operation keys from a snapshot (those of a snapshot written before keys were namespaced go to
   * the legacy space, as their journal entries do); the usage keys start empty until `loadUsage`.
   */
  static fromSnapshot(snapshot: IdempotencyKeysSnapshot): IdempotencyKeys {
    if ('usage' in snapshot) {
      throw new Error('This account snapshot holds its usage keys inline (an older format); they are now kept in a key file and cannot be read from here.');
    }
    const keys = new IdempotencyKeys();
    for (const [key, outcome] of snapshot.operations) keys.operations.set(snapshot.namespaced ? key : legacyKey(key), outcome);
    return keys;
  }

  private track(hi: number, lo: number, day: number): void {
    if (this.addedLength + 3 > this.added.length) {
      const grown = new Uint32Array(Math.max(3 * 256, this.added.length * 2));
      grown.set(this.added.subarray(0, this.addedLength));
      this.added = grown;
    }
    this.added[this.addedLength++] = hi;
    this.added[this.addedLength++] = lo;
    this.added[this.addedLength++] = day;
  }

  private get capacity(): number {
    return this.days.length;
  }

  /** Empty arrays of `capacity` slots (the caller moves any keys it keeps). */
  private allocate(capacity: number): void {
    this.fingerprints = new Uint32Array(2 * capacity);
    this.days = new Uint16Array(capacity);
    this.used = 0;
  }

  /** The home slot of a fingerprint: its hash scaled to the table (any size, no modulo). */
  private home(hi: number, lo: number): number {
    return Math.floor((((lo ^ hi) >>> 0) * this.capacity) / 2 ** 32);
  }

  private slotOf(hi: number, lo: number): number {
    const { fingerprints, capacity } = this;
    for (let s = this.home(hi, lo); ; s = s + 1 === capacity ? 0 : s + 1) {
      const a = fingerprints[2 * s]!;
      const b = fingerprints[2 * s + 1]!;
      if ((a | b) === 0) return -1;
      if (a === hi && b === lo) return s;
    }
  }

  /** Adds a fingerprint unless it is there already, in one probe; says whether it was new. */
  private insertIfNew(hi: number, lo: number, day: number): boolean {
    const { fingerprints, capacity } = this;
    for (let s = this.home(hi, lo); ; s = s + 1 === capacity ? 0 : s + 1) {
      const a = fingerprints[2 * s]!;
      const b = fingerprints[2 * s + 1]!;
      if ((a | b) === 0) {
        fingerprints[2 * s] = hi;
        fingerprints[2 * s + 1] = lo;
        this.days[s] = day;
        this.used++;
        return true;
      }
      if (a === hi && b === lo) return false;
    }
  }

  /** Adds a fingerprint known not to be there (a prune or a growth moving the keys). */
  private insert(hi: number, lo: number, day: number): void {
    const { fingerprints, capacity } = this;
    let s = this.home(hi, lo);
    while ((fingerprints[2 * s]! | fingerprints[2 * s + 1]!) !== 0) s = s + 1 === capacity ? 0 : s + 1;
    fingerprints[2 * s] = hi;
    fingerprints[2 * s + 1] = lo;
    this.days[s] = day;
    this.used++;
  }

  private resize(capacity: number): void {
    const { fingerprints, days } = this;
    this.allocate(capacity);
    for (let s = 0; s < days.length; s++) {
      if ((fingerprints[2 * s]! | fingerprints[2 * s + 1]!) !== 0) this.insert(fingerprints[2 * s]!, fingerprints[2 * s + 1]!, days[s]!);
    }
  }
}

/** Where the keys go as a store reads them: `IdempotencyKeys` is one. */
export interface UsageKeySink {
  /** Makes room for about `count` more keys. */
  reserveUsage(count: number): void;
  /** Takes packed [hi, lo, day] triples; the array may be reused once this returns. */
  addStoredUsage(triples: Uint32Array): void;
}

/** Usage keys a store holds on disk, not yet read (see `deferStoredUsage`). */
export interface StoredUsageKeys {
  /** Reads them into `sink` without blocking the event loop. */
  read(sink: UsageKeySink): Promise<void>;
  /** Reads them into `sink` at once. */
  readNow(sink: UsageKeySink): void;
}

const MIN_CAPACITY = 1024;
/**
 * The share of slots in use past which the table grows. Linear probing stays short up to here
 * (at most about 3 probes to find a key, 13 to learn one is new, over 8-byte slots: one or two
 * cache lines) and the table costs 12.5 bytes a key when full, 14 right after a load, not the
 * 20–40 of a half-full table doubling in powers of two.
 */
const MAX_LOAD = 0.8;
/** The last day number a slot holds (16 bits: the year 2149). */
const MAX_DAY = 0xffff;

/** A day that does not fit its slot would be cut short, and a prune would then drop a key it must keep. */
function checkDay(day: number): void {
  if (!Number.isInteger(day) || day < 0 || day > MAX_DAY) throw new Error(`A usage key's day must be a whole number from 0 to ${MAX_DAY}; it is ${day}.`);
}
const GROWTH = 1.5;

/** Slots for `count` keys with room to add a tenth more before the first growth. */
function capacityFor(count: number): number {
  return Math.max(MIN_CAPACITY, Math.ceil((count * 1.1) / MAX_LOAD));
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
