import { describe, expect, it } from 'vitest';
import { IdempotencyKeys } from '../../../services/ledger/idempotencyKeys.js';

describe('idempotency keys', () => {
  it('remembers usage keys across growth and snapshots', () => {
    const keys = new IdempotencyKeys();
    for (let i = 0; i < 50_000; i++) keys.addUsage(`call-${i}`, 20_000 + (i % 100));
    expect(keys.usageCount).toBe(50_000);
    expect(keys.hasUsage('call-0')).toBe(true);
    expect(keys.hasUsage('call-49999')).toBe(true);
    expect(keys.hasUsage('call-50000')).toBe(false);
    keys.operations.set('op-1', { entryId: '2', kind: 'funds-added', amountMinor: 100, balanceAfterMinor: 100, at: 5 });
    const copy = IdempotencyKeys.fromSnapshot(JSON.parse(JSON.stringify(keys.toSnapshot())));
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
});
