import { backOffMs, retryAfterMs, type BackOffPolicy } from '../../services/retryDelay.js';

/**
 * Sending to Teams without losing anything to a transient failure (SPEC §2): 429 waits for
 * `Retry-After`, 5xx and network errors back off exponentially, 403/404 mean the conversation is
 * gone (the bot was removed or blocked). Anything else is a permanent failure for this send.
 */
export type SendOutcome = 'sent' | 'gone' | 'failed';

/** `baseDelayMs`: the first back-off after a 5xx or network error; doubles each time up to `maxDelayMs`, with jitter. */
export interface RetryOptions extends BackOffPolicy {
  /** Stops waiting (shutdown): the send rejects with the abort reason and is tried again at the next start. */
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  random?: () => number;
  onRetry?: (info: { attempt: number; delayMs: number; status: number | null }) => void;
}

export type ErrorVerdict = { kind: 'gone' } | { kind: 'failed' } | { kind: 'retry'; delayMs: number | null };

/** What one failed send means; `delayMs` null asks for the exponential back-off. */
export function classifySendError(error: unknown, now: number): ErrorVerdict {
  const status = statusOf(error);
  if (status === 403 || status === 404) return { kind: 'gone' };
  if (status === 429) return { kind: 'retry', delayMs: retryAfterMs(headerValue(responseHeaders(error), 'retry-after'), now) };
  if (status === null || status >= 500 || status === 408) return { kind: 'retry', delayMs: null };
  return { kind: 'failed' };
}

export async function sendWithRetry(send: () => Promise<void>, options: RetryOptions): Promise<SendOutcome> {
  const sleep = options.sleep ?? abortableSleep;
  const now = options.now ?? Date.now;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      await send();
      return 'sent';
    } catch (error) {
      const verdict = classifySendError(error, now());
      if (verdict.kind !== 'retry') return verdict.kind;
      const delayMs = verdict.delayMs ?? backOffMs(attempt, options, options.random);
      options.onRetry?.({ attempt, delayMs, status: statusOf(error) });
      await sleep(delayMs, options.signal);
    }
  }
}

/** The HTTP status of a failed Bot Connector call; null for a network error. */
export function statusOf(error: unknown): number | null {
  const e = error as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } } | null;
  for (const value of [e?.statusCode, e?.status, e?.response?.status]) if (typeof value === 'number') return value;
  return null;
}

function responseHeaders(error: unknown): unknown {
  return (error as { response?: { headers?: unknown } } | null)?.response?.headers;
}

function headerValue(headers: unknown, name: string): string | null {
  if (!headers) return null;
  const h = headers as { get?: (n: string) => unknown } & Record<string, unknown>;
  const value = typeof h.get === 'function' ? h.get(name) : (h[name] ?? h[name.toLowerCase()]);
  return typeof value === 'string' ? value : null;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
