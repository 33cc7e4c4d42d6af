import { describe, expect, it } from 'vitest';
import { IdempotencyKeys, type StoredUsageKeys, type UsageKeySink } from '../../../services/ledger/idempotencyKeys.js';

describe('idempotency keys', () => {
  it('remembers usage keys across growth, snapshots and export/load', () => {
    const keys = new IdempotencyKeys();
    for (let i = 0; i < 50_000; i++) keys.addUsage(`call-${i}`, 20_000 + (i % 100));
    expect(keys.usageCount).toBe(50_000);
    expect(keys.hasUsage('call-0')).toBe(true);
    expect(keys.hasUsage('call-49999')).toBe(true);
    expect(keys.hasUsage('call-50000')).toBe(false);
    keys.operations.set('op-1', { entryId: '2', kind: 'funds-added', amountMinor: 100, balanceAfterMinor: 100, at: 5 });
    const snapshot = JSON.parse(JSON.stringify(keys.toSnapshot())) as ReturnType<IdempotencyKeys['toSnapshot']>;
    expect(Object.keys(snapshot)).toEqual(['operations', 'namespaced']);
    const copy = IdempotencyKeys.fromSnapshot(snapshot);
    expect(copy.usageCount).toBe(0);
    copy.loadUsage(keys.exportUsage());
    expect(copy.takeAddedUsage()).toHaveLength(0);
    expect(copy.usageCount).toBe(50_000);
    expect(copy.hasUsage('call-12345')).toBe(true);
    expect(copy.hasUsage('call-x')).toBe(false);
    expect(copy.operations.get('op-1')).toMatchObject({ entryId: '2' });
  });

  it('adding a key twice keeps one', () => {
    const keys = new IdempotencyKeys();
    keys.addUsage('a', 1);
    keys.addUsage('a', 1);
    expect(keys.usageCount).toBe(1);
  });

  it('prunes usage keys of days before the window and keeps operation keys', () => {
    const keys = new IdempotencyKeys();
    keys.addUsage('old', 100);
    keys.addUsage('new', 200);
    keys.operations.set('op-old', { entryId: '1', kind: 'funds-added', amountMinor: 1, balanceAfterMinor: 1, at: 10 });
    keys.operations.set('op-new', { entryId: '2', kind: 'funds-added', amountMinor: 1, balanceAfterMinor: 2, at: 1000 });
    keys.pruneUsageBefore(150);
    expect(keys.hasUsage('old')).toBe(false);
    expect(keys.hasUsage('new')).toBe(true);
    expect([...keys.operations.keys()]).toEqual(['op-old', 'op-new']);
  });

  it('tracks the keys added since they were last taken, and asks for a rewrite after a prune', () => {
    const keys = new IdempotencyKeys();
    keys.addUsage('a', 100);
    keys.addUsage('b', 200);
    keys.addUsage('a', 100);
    expect(keys.takeAddedUsage()).toHaveLength(6);
    expect(keys.takeAddedUsage()).toHaveLength(0);
    expect(keys.takeUsageRewrite()).toBeNull();
    for (let i = 0; i < 1_000; i++) keys.addUsage(`c-${i}`, 300);
    expect(keys.takeAddedUsage()).toHaveLength(3_000);

    keys.pruneUsageBefore(50); // drops nothing
    expect(keys.usageRewriteRequired).toBe(false);
    keys.pruneUsageBefore(150); // drops 'a'
    expect(keys.usageRewriteRequired).toBe(true);
    keys.addUsage('d', 400);
    const all = keys.takeUsageRewrite()!;
    expect(all).toHaveLength(3 * 1_002);
    expect(keys.takeUsageRewrite()).toBeNull();
    expect(keys.takeAddedUsage()).toHaveLength(0);

    const copy = IdempotencyKeys.fromSnapshot({ operations: [] });
    copy.loadUsage(all);
    expect(copy.hasUsage('a')).toBe(false);
    expect(copy.hasUsage('b') && copy.hasUsage('c-999') && copy.hasUsage('d')).toBe(true);
  });

  it('refuses a day that does not fit its 16-bit slot rather than cut it short (a prune would then drop a recent key)', () => {
    const keys = new IdempotencyKeys();
    keys.addUsage('2149', 0xffff);
    expect(() => keys.addUsage('2150', 0x10000)).toThrow(/day must be a whole number from 0 to 65535; it is 65536/);
    expect(() => new IdempotencyKeys().loadUsage(Uint32Array.of(1, 2, 0x10000))).toThrow(/65536/);
    keys.pruneUsageBefore(0xffff);
    expect(keys.hasUsage('2149')).toBe(true);
    expect(keys.hasUsage('2150')).toBe(false);
  });

  it('refuses a snapshot with inline usage keys (the older format)', () => {
    expect(() => IdempotencyKeys.fromSnapshot({ operations: [], usage: 'AAAA' } as never)).toThrow(/older format/);
  });
  describe('usage keys left on disk (deferStoredUsage)', () => {
    /** Keys a store holds: exported from a table, handed over in two chunks with a pause between, counting the reads. */
    function stored(ids: string[], failFirst = false) {
      const source = new IdempotencyKeys();
      for (const id of ids) source.addUsage(id, 20_000);
      const triples = source.exportUsage();
      const half = 3 * Math.floor(ids.length / 2);
      const reads = { slow: 0, now: 0 };
      const disk: StoredUsageKeys = {
        async read(sink: UsageKeySink) {
          reads.slow++;
          sink.reserveUsage(ids.length);
          sink.addStoredUsage(triples.subarray(0, half));
          await new Promise((resolve) => setTimeout(resolve, 5));
          if (failFirst && reads.slow === 1) throw new Error('the disk said no');
          sink.addStoredUsage(triples.subarray(half));
        },
        readNow(sink: UsageKeySink) {
          reads.now++;
          sink.reserveUsage(ids.length);
          sink.addStoredUsage(triples);
        },
      };
      return { disk, reads };
    }
    const ids = Array.from({ length: 5_000 }, (_, i) => `call-${i}`);

    it('reads them once for every caller, keeps keys added meanwhile, and tracks only those', async () => {
      const { disk, reads } = stored(ids);
      const keys = new IdempotencyKeys();
      keys.deferStoredUsage(disk);
      expect(keys.storedUsagePending).toBe(true);
      keys.addUsage('replayed', 20_001);
      await Promise.all([keys.readStoredUsage(), keys.readStoredUsage(), keys.readStoredUsage()]);
      expect(reads).toEqual({ slow: 1, now: 0 });
      expect(keys.storedUsagePending).toBe(false);
      expect(keys.usageCount).toBe(5_001);
      expect(ids.every((id) => keys.hasUsage(id)) && keys.hasUsage('replayed')).toBe(true);
      expect(keys.takeAddedUsage()).toHaveLength(3);
      await keys.readStoredUsage();
      expect(reads).toEqual({ slow: 1, now: 0 });
    });

    it('reads them at once when asked before they are in: a stored key is never missed', () => {
      const { disk, reads } = stored(ids);
      const keys = new IdempotencyKeys();
      keys.deferStoredUsage(disk);
      expect(keys.hasUsage('call-4321')).toBe(true);
      expect(reads).toEqual({ slow: 0, now: 1 });
      expect(keys.storedUsagePending).toBe(false);

      for (const ask of [
        (k: IdempotencyKeys) => k.usageCount,
        (k: IdempotencyKeys) => k.exportUsage().length / 3,
        (k: IdempotencyKeys) => {
          k.pruneUsageBefore(0);
          return k.usageCount;
        },
      ]) {
        const other = new IdempotencyKeys();
        other.deferStoredUsage(stored(ids).disk);
        expect(ask(other)).toBe(5_000);
      }
    });

    it('tries a failed read again at the next caller, keeping what the failed one read', async () => {
      const { disk, reads } = stored(ids, true);
      const keys = new IdempotencyKeys();
      keys.deferStoredUsage(disk);
      await expect(keys.readStoredUsage()).rejects.toThrow('the disk said no');
      expect(keys.storedUsagePending).toBe(true);
      await keys.readStoredUsage();
      expect(reads.slow).toBe(2);
      expect(keys.usageCount).toBe(5_000);
      expect(keys.takeAddedUsage()).toHaveLength(0);
    });
  });
});
