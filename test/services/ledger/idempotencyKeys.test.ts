import { describe, expect, it } from 'vitest';
import { IdempotencyKeys } from '../../../services/ledger/idempotencyKeys.js';

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

  it('refuses a snapshot with inline usage keys (the older format)', () => {
    expect(() => IdempotencyKeys.fromSnapshot({ operations: [], usage: 'AAAA' } as never)).toThrow(/older format/);
  });
});
