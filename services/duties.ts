import type { Clock } from './ports.js';

/** A duty's lock, held until released; `lost` aborts if it stops being held first (the database session ended). */
export interface DutyLease {
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

/**
 * What the instances sharing a store share about background duties: a lock per duty, and when
 * each periodic duty last started. PostgreSQL's advisory locks make it real across instances; the
 * embedded store, which one process owns, needs only `ProcessDutyLocks`.
 */
export interface DutyLocks {
  /** The duty's lock if no other instance holds it now, else null. Not exclusive within one process: `Duties` sees to that. */
  tryLock(name: string): Promise<DutyLease | null>;
  /**
   * Called under the duty's lock: true, recording now as its start, when no instance started it
   * within the last `minGapMs`.
   */
  claimPeriod(name: string, minGapMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** The embedded store's duty locks: one process owns the data folder, so its own exclusion is all there is. */
export class ProcessDutyLocks implements DutyLocks {
  private readonly lastStarted = new Map<string, number>();
  private readonly held = new AbortController().signal;

  constructor(private readonly clock: Clock) {}

  async tryLock(): Promise<DutyLease> {
    return { lost: this.held, release: async () => undefined };
  }

  async claimPeriod(name: string, minGapMs: number): Promise<boolean> {
    const now = this.clock.now();
    const last = this.lastStarted.get(name);
    if (last !== undefined && now - last < minGapMs) return false;
    this.lastStarted.set(name, now);
    return true;
  }

  async close(): Promise<void> {}
}

/** How often `run` asks again for a lock another instance holds. */
const WAIT_POLL_MS = 250;
/**
 * A periodic duty is due once this share of its period has passed since it last started anywhere:
 * the instances' timers are not in step, and a duty found not quite due would otherwise wait a
 * whole further period.
 */
const DUE_SHARE = 0.9;

/**
 * Runs background duties (the sweep, a tenant's usage sync or auto-recharge) on one instance at a
 * time: one run per duty name in this process, and the duty's lock across instances. The work gets
 * a signal that aborts when the lock is lost or the process shuts down, so it can stop early.
 */
export class Duties {
  private readonly running = new Map<string, Promise<void>>();
  private readonly closing = new AbortController();

  constructor(private readonly locks: DutyLocks) {}

  /** Runs `work` now, unless this process or another instance is running the duty: null then. */
  async tryRun<T>(name: string, work: (signal: AbortSignal) => Promise<T>): Promise<{ value: T } | null> {
    if (this.running.has(name) || this.closing.signal.aborted) return null;
    let done!: () => void;
    this.running.set(name, new Promise<void>((resolve) => (done = resolve)));
    try {
      const lease = await this.locks.tryLock(name);
      if (!lease) return null;
      try {
        return { value: await work(AbortSignal.any([lease.lost, this.closing.signal])) };
      } finally {
        await lease.release();
      }
    } finally {
      this.running.delete(name);
      done();
    }
  }

  /** Waits until no one runs the duty, then runs it (an operator asked for it). Rejects if `signal` or shutdown aborts the wait. */
  async run<T>(name: string, work: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const stop = signal ? AbortSignal.any([signal, this.closing.signal]) : this.closing.signal;
    for (;;) {
      stop.throwIfAborted();
      const ran = await this.tryRun(name, work);
      if (ran) return ran.value;
      await (this.running.get(name) ?? pause(WAIT_POLL_MS, stop));
    }
  }

  /**
   * The periodic duty's run for this period, if no instance started one within most of the period
   * and none is running it now; null when it is not this instance's to run. An instance that dies
   * mid-run leaves the period counted: the next period's run starts over.
   */
  async runIfDue<T>(name: string, everyMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<{ value: T } | null> {
    const ran = await this.tryRun(name, async (signal) => ((await this.locks.claimPeriod(name, everyMs * DUE_SHARE)) ? { value: await work(signal) } : null));
    return ran?.value ?? null;
  }

  /** Aborts the duties running and waits for them; no new one starts. */
  async close(): Promise<void> {
    this.closing.abort(new Error('shutting down'));
    await Promise.allSettled([...this.running.values()]);
    await this.locks.close();
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
