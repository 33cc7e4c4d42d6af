import { setTimeout as sleep } from 'node:timers/promises';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { backOffMs, retryAfterMs } from '../../services/retryDelay.js';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** First back-off when Graph gives no Retry-After; doubled each time, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A longer Retry-After than this is not waited out here: the caller gives up and comes back later. */
  maxRetryAfterMs: number;
  /** Each try is abandoned (and retried) after this long. */
  requestTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 6,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  requestTimeoutMs: 60_000,
};

/** Throttling and the server errors Graph documents as transient. */
const TRANSIENT_STATUSES = new Set([429, 500, 502, 503, 504]);

/**
 * Retries a request that was throttled (429, honouring Retry-After), met a transient server error
 * (5xx) or a network failure or timeout, with exponential back-off. Placed under the
 * authentication handler, so every try carries the same token. When the tries run out the last
 * answer (or network error) goes up as it is.
 */
export class RetryTransientFailures implements Middleware {
  private next: Middleware | undefined;

  /** `stopping` (the app shutting down) ends a try under way and a back-off: the call fails with its reason. */
  constructor(
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
    private readonly stopping: AbortSignal = new AbortController().signal,
  ) {}

  async execute(context: Context): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      this.stopping.throwIfAborted();
      const outcome = await this.tryOnce(context);
      const status = context.response?.status;
      const transient = outcome.failed || (status !== undefined && TRANSIENT_STATUSES.has(status));
      const retryAfter = outcome.failed ? null : retryAfterMs(context.response?.headers.get('Retry-After'), Date.now());
      const delay = retryAfter ?? backOffMs(attempt, this.policy);
      if (!transient || attempt >= this.policy.attempts || delay > this.policy.maxRetryAfterMs) {
        if (outcome.failed) throw outcome.error;
        return;
      }
      await context.response?.body?.cancel();
      await sleep(delay, undefined, { signal: this.stopping });
    }
  }

  setNext(next: Middleware): void {
    this.next = next;
  }

  private async tryOnce(context: Context): Promise<{ failed: false } | { failed: true; error: unknown }> {
    if (!this.next) throw new Error('RetryTransientFailures needs a next middleware');
    context.response = undefined;
    context.options = { ...context.options, signal: AbortSignal.any([AbortSignal.timeout(this.policy.requestTimeoutMs), this.stopping]) };
    try {
      await this.next.execute(context);
      return { failed: false };
    } catch (error) {
      // Below this point only the HTTP call itself runs, so anything thrown is the network's.
      this.stopping.throwIfAborted();
      return { failed: true, error };
    }
  }
}
