import type { StoredAlert } from '../../services/alerts.js';
import { consoleLog, type LedgerStore, type Log } from '../../services/ports.js';

/**
 * One way alerts leave the bot (Teams, email). `deliver` resolves once every recipient has it; it
 * is called in the order alerts were raised, so a sink that keeps an order per recipient must take
 * its place before its first await.
 */
export interface AlertSink {
  readonly name: string;
  /** Resolves once every recipient has it (some sinks say with whom: `ReportingAlertSink`). */
  deliver(stored: StoredAlert, signal: AbortSignal): Promise<unknown>;
}

/** One recipient an alert reached: a Teams conversation or a mailbox. */
export interface Delivered {
  channel: 'teams' | 'email';
  /** The conversation id, or the mail address (null when the bot knows none). */
  to: string | null;
  /** The person's display name, when known. */
  name: string | null;
}

/** A sink that says whom it delivered to (the operator's "send the report now" answers with it). */
export interface ReportingAlertSink extends AlertSink {
  /** Resolves with the recipients reached by this call (not those that had it already). */
  deliver(stored: StoredAlert, signal: AbortSignal): Promise<Delivered[]>;
}

type AlertSource = Pick<LedgerStore, 'pendingAlerts' | 'onAlerts' | 'acknowledgeAlert'>;

/**
 * Hands every stored alert to every sink in the background, in the order they were raised (each
 * sink is called at once, so it can keep that order per recipient), and acknowledges an alert only
 * once all sinks took it. The ledger's listener only queues, so a usage request never waits for
 * Teams. Alerts left unacknowledged by a crash are picked up at the next start.
 */
export class AlertDispatcher {
  private readonly queued = new Set<string>();
  /** Acknowledged by this process: a listener and the pending list at start may both name one. */
  private readonly acknowledged = new Set<string>();
  private readonly abort = new AbortController();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly source: AlertSource,
    private readonly sinks: readonly AlertSink[],
    private readonly options: {
      onAcknowledged?: (alertId: string) => Promise<void>;
      /** After a sink failed outright (a disk error, say), try the alert again this much later. */
      retryFailedAfterMs?: number;
      /** Default `consoleLog`; the app passes its log. */
      log?: Log;
    } = {},
  ) {}

  async start(): Promise<void> {
    this.source.onAlerts((alerts) => this.enqueue(alerts));
    this.enqueue(await this.source.pendingAlerts());
  }

  enqueue(alerts: readonly StoredAlert[]): void {
    if (this.abort.signal.aborted) return;
    for (const stored of alerts) {
      if (this.queued.has(stored.id) || this.acknowledged.has(stored.id)) continue;
      this.queued.add(stored.id);
      const delivery = this.deliver(stored);
      this.running.add(delivery);
      void delivery.finally(() => this.running.delete(delivery));
    }
  }

  /** Resolves when every alert queued so far was delivered (or given up until the next start). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Stops waiting on retries; what was not delivered stays pending for the next start. */
  async close(): Promise<void> {
    this.abort.abort(new Error('shutting down'));
    await this.idle();
  }

  private async deliver(stored: StoredAlert): Promise<void> {
    const log = this.options.log ?? consoleLog;
    try {
      for (const sink of this.sinks) await sink.deliver(stored, this.abort.signal);
      await this.source.acknowledgeAlert(stored.id);
      this.acknowledged.add(stored.id);
      await this.options.onAcknowledged?.(stored.id);
      this.queued.delete(stored.id);
    } catch (error) {
      this.queued.delete(stored.id);
      // Still unacknowledged: tried again later, and at the next start in any case.
      if (this.abort.signal.aborted) return;
      log.error({ alertId: stored.id, type: stored.alert.type, err: error }, 'alert not delivered; trying again later');
      setTimeout(() => this.enqueue([stored]), this.options.retryFailedAfterMs ?? 60_000).unref();
    }
  }
}
