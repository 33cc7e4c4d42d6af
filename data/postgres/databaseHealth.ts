import type { StoreHealth } from '../../services/ports.js';

/**
 * Whether the database can be used, as the store last found it. After a failure the store refuses
 * work (the edge answers 503) and asks the database every `probeIntervalMs` whether it answers
 * again; the first answer makes it healthy. pg's pool opens fresh connections by itself.
 */
export class DatabaseHealth {
  private problem: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly probe: () => Promise<void>,
    private readonly probeIntervalMs: number,
  ) {}

  get state(): StoreHealth {
    return { ok: this.problem === null, reason: this.problem };
  }

  /** Why the store refuses work now, or null. */
  get reason(): string | null {
    return this.problem;
  }

  failed(reason: string): void {
    const probing = this.problem !== null;
    this.problem = reason;
    if (!probing) this.scheduleProbe();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private scheduleProbe(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.probe().then(
        () => {
          this.problem = null;
        },
        (error: unknown) => {
          this.problem = `the database does not answer: ${messageOf(error)}`;
          this.scheduleProbe();
        },
      );
    }, this.probeIntervalMs);
    this.timer.unref();
  }
}

export function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return messageOf(error.errors[0]);
  return error instanceof Error ? error.message || error.name : String(error);
}
