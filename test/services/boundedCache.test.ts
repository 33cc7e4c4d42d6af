import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../../services/boundedCache.js';

describe('BoundedCache', () => {
  it('builds a value once and then serves it from memory', () => {
    const cache = new BoundedCache<string, { locale: string }>(4);
    let built = 0;
    const make = (locale: string) => {
      built++;
      return { locale };
    };
    const first = cache.getOrCreate('en-GB', make);
    expect(cache.getOrCreate('en-GB', make)).toBe(first);
    expect(built).toBe(1);
  });

  it('never holds more than its limit, whatever keys arrive', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.string({ maxLength: 3 }), { maxLength: 100 }), (limit, keys) => {
        const cache = new BoundedCache<string, string>(limit);
        for (const key of keys) {
          cache.getOrCreate(key, (k) => k.toUpperCase());
          expect(cache.size).toBeLessThanOrEqual(limit);
          expect(cache.get(key)).toBe(key.toUpperCase());
        }
        expect(cache.size).toBe(Math.min(limit, new Set(keys).size));
      }),
    );
  });

  it('lets the least recently used entry give way, so a key in constant use survives a flood', () => {
    const cache = new BoundedCache<string, number>(3);
    cache.set('en-US', 1);
    cache.set('zh-CN', 2);
    cache.set('en-GB', 3);
    for (let i = 0; i < 100; i++) {
      expect(cache.get('en-US')).toBe(1);
      cache.set(`x-flood-${i}`, i);
    }
    expect(cache.get('en-US')).toBe(1);
    expect(cache.get('zh-CN')).toBeUndefined();
    expect(cache.size).toBe(3);
  });

  it('replaces a value set again without counting the key twice', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 3);
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBe(3);
    expect(cache.get('b')).toBe(2);
  });

  it('keeps null as a value, not as a miss', () => {
    const cache = new BoundedCache<string, string | null>(2);
    let built = 0;
    cache.getOrCreate('k', () => {
      built++;
      return null;
    });
    expect(
      cache.getOrCreate('k', () => {
        built++;
        return 'x';
      }),
    ).toBeNull();
    expect(built).toBe(1);
  });

  it('refuses a limit that is not a positive integer', () => {
    for (const limit of [0, -1, 1.5, Number.NaN]) expect(() => new BoundedCache(limit)).toThrow(RangeError);
  });
});
