/** How long to wait before trying again: what the server asked for (Retry-After), or exponential back-off. */

export interface BackOffPolicy {
  /** The wait after the first failure; doubled after each further one. */
  baseDelayMs: number;
  /** No wait is longer than this. */
  maxDelayMs: number;
}

/** The wait after failure number `failures` (1 for the first): doubling from the base, capped. */
export function backOffCeilingMs(failures: number, policy: BackOffPolicy): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failures - 1));
}

/**
 * The back-off wait with jitter: a random point in the upper half of the ceiling, so the many
 * senders one outage failed together do not all come back at the same instant. Whole milliseconds.
 */
export function backOffMs(failures: number, policy: BackOffPolicy, random: () => number = Math.random): number {
  const ceiling = backOffCeilingMs(failures, policy);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * A `Retry-After` header value (RFC 9110 §10.2.3: delay-seconds or an HTTP date) as milliseconds
 * from `now`; a date already past is 0. Null when absent or unreadable, so the caller backs off.
 */
export function retryAfterMs(value: string | null | undefined, now: number): number | null {
  const text = value?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Every HTTP date names its weekday; this keeps Date.parse from reading "1.5" as a year-2001 date.
  if (!/[a-z]/i.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
