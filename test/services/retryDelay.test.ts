import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backOffCeilingMs, backOffMs, retryAfterMs } from '../../services/retryDelay.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('Retry-After', () => {
  it('reads delay-seconds', () => {
    expect(retryAfterMs('7', NOW)).toBe(7_000);
    expect(retryAfterMs(' 120 ', NOW)).toBe(120_000);
    expect(retryAfterMs('0', NOW)).toBe(0);
  });

  it('reads an HTTP date as the time left until it', () => {
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', NOW)).toBe(30_000);
    expect(retryAfterMs('Thursday, 01-Jan-26 00:01:00 GMT', NOW)).toBe(60_000);
  });

  it('waits not at all for a date already past', () => {
    expect(retryAfterMs('Wed, 31 Dec 2025 23:59:00 GMT', NOW)).toBe(0);
  });

  it('is null when absent or unreadable, so the caller backs off instead', () => {
    for (const value of [null, undefined, '', '   ', 'soon', '-5', '1.5', '2026-13-45']) expect(retryAfterMs(value, NOW)).toBeNull();
  });
});

describe('exponential back-off', () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 500 };

  it('doubles from the base after each failure, up to the cap', () => {
    expect([1, 2, 3, 4, 5, 40].map((failures) => backOffCeilingMs(failures, policy))).toEqual([100, 200, 400, 500, 500, 500]);
  });

  it('jitters within the upper half of the ceiling', () => {
    expect(backOffMs(3, policy, () => 0)).toBe(200);
    expect(backOffMs(3, policy, () => 0.5)).toBe(300);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (failures, r) => {
        const ceiling = backOffCeilingMs(failures, policy);
        const wait = backOffMs(failures, policy, () => r);
        expect(wait).toBeGreaterThanOrEqual(ceiling / 2);
        expect(wait).toBeLessThanOrEqual(ceiling);
        expect(Number.isInteger(wait)).toBe(true);
      }),
    );
  });

  it('spreads senders that failed together', () => {
    const waits = new Set(Array.from({ length: 20 }, () => backOffMs(4, { baseDelayMs: 1_000, maxDelayMs: 60_000 })));
    expect(waits.size).toBeGreaterThan(1);
  });
});
