import { describe, expect, it } from 'vitest';
import { classifySendError, sendWithRetry } from '../../../bot/alerts/deliveryRetry.js';

/** A Bot Connector failure as botbuilder's HTTP pipeline reports it. */
const restError = (statusCode: number, headers: Record<string, string> = {}) =>
  Object.assign(new Error(`HTTP ${statusCode}`), { statusCode, response: { status: statusCode, headers: { get: (name: string) => headers[name] } } });

function recorder(failures: unknown[]) {
  const waits: number[] = [];
  let calls = 0;
  return {
    waits,
    get calls() {
      return calls;
    },
    send: async () => {
      const failure = failures[calls++];
      if (failure) throw failure;
    },
    sleep: async (ms: number) => void waits.push(ms),
  };
}

describe('sendWithRetry', () => {
  it('waits as long as 429 Retry-After says, then sends', async () => {
    const r = recorder([restError(429, { 'retry-after': '7' })]);
    expect(await sendWithRetry(r.send, { baseDelayMs: 100, maxDelayMs: 1000, sleep: r.sleep })).toBe('sent');
    expect(r.waits).toEqual([7000]);
    expect(r.calls).toBe(2);
  });

  it('reads Retry-After as an HTTP date too', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(classifySendError(restError(429, { 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }), now)).toEqual({ kind: 'retry', delayMs: 30_000 });
  });

  it('backs off exponentially on 5xx and network errors, up to the cap, with jitter', async () => {
    const failures = () => [restError(500), restError(502), new Error('ECONNRESET'), restError(503), restError(500)];
    const low = recorder(failures());
    expect(await sendWithRetry(low.send, { baseDelayMs: 100, maxDelayMs: 500, sleep: low.sleep, random: () => 0 })).toBe('sent');
    expect(low.waits).toEqual([50, 100, 200, 250, 250]);
    const high = recorder(failures());
    await sendWithRetry(high.send, { baseDelayMs: 100, maxDelayMs: 500, sleep: high.sleep, random: () => 0.999 });
    expect(high.waits).toEqual([100, 200, 400, 500, 500]);
  });

  it('gives up on 403 and 404 (the bot was removed or blocked) without retrying', async () => {
    for (const status of [403, 404]) {
      const r = recorder([restError(status)]);
      expect(await sendWithRetry(r.send, { baseDelayMs: 1, maxDelayMs: 1, sleep: r.sleep })).toBe('gone');
      expect(r.calls).toBe(1);
    }
  });

  it('does not retry other client errors', async () => {
    const r = recorder([restError(400)]);
    expect(await sendWithRetry(r.send, { baseDelayMs: 1, maxDelayMs: 1, sleep: r.sleep })).toBe('failed');
  });

  it('stops waiting when aborted, so the alert stays pending for the next start', async () => {
    const abort = new AbortController();
    const attempt = sendWithRetry(() => Promise.reject(restError(500)), { baseDelayMs: 60_000, maxDelayMs: 60_000, signal: abort.signal });
    abort.abort(new Error('shutting down'));
    await expect(attempt).rejects.toThrow('shutting down');
  });

  it('classifies statuses', () => {
    expect(classifySendError(restError(429), 0)).toEqual({ kind: 'retry', delayMs: null });
    expect(classifySendError(restError(408), 0).kind).toBe('retry');
    expect(classifySendError(restError(401), 0).kind).toBe('failed');
  });
});
