import type { AlertClaim, AlertDeliveries } from '../../services/alertDeliveries.js';
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

export interface AlertDispatcherOptions {
  /** How often to look for alerts no instance holds: raised on another instance, or whose claim's lease ended. Default 2 s. */
  pollMs?: number;
  /** After a sink failed outright (a disk error, say), the tenant's alerts are tried again this much later. Default 1 min. */
  retryFailedAfterMs?: number;
  /** Default `consoleLog`; the app passes its log. */
  log?: Log;
}

/** Tenants claimed per look; a look that filled it looks again at once. */
const TENANTS_PER_LOOK = 16;
/** A claim not renewed for this share of its lease may have lapsed: its deliveries stop sending. */
const LEASE_SAFETY_SHARE = 0.8;

/**
 * Hands every stored alert to every sink in the background and acknowledges an alert once all sinks
 * took it. With several instances on one database, a tenant's alerts are claimed by one of them at a
 * time (`AlertDeliveries`): the claimer calls the sinks with them in the order they were raised
 * (each sink is called at once, so it can keep that order per recipient), renews the claim while it
 * delivers, and gives it up when done. Each instance looks for claimable alerts when its own ledger
 * raises some and every `pollMs`, so alerts raised elsewhere, left by a crash, or held by an
 * instance that died (once its lease ends) are delivered too. A usage request never waits for Teams.
 */
export class AlertDispatcher {
  private readonly abort = new AbortController();
  /** Tenant → its delivery under way in this process. */
  private readonly delivering = new Map<string, Promise<void>>();
  private looking: Promise<void> | null = null;
  private lookAgain = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly source: Pick<LedgerStore, 'onAlerts'>,
    private readonly deliveries: AlertDeliveries,
    private readonly sinks: readonly AlertSink[],
    private readonly options: AlertDispatcherOptions = {},
  ) {}

  /** Delivers what is pending now (left by a crash or restart, or raised elsewhere), then keeps looking. */
  async start(): Promise<void> {
    this.source.onAlerts(() => this.look());
    this.timer = setInterval(() => this.look(), this.options.pollMs ?? 2_000);
    this.timer.unref();
    this.look();
    await this.looking;
  }

  /** Looks for claimable alerts now; a look under way looks once more when it ends. */
  look(): void {
    if (this.abort.signal.aborted) return;
    if (this.looking) {
      this.lookAgain = true;
      return;
    }
    this.looking = this.claimAndDeliver().finally(() => {
      this.looking = null;
      if (this.lookAgain) {
        this.lookAgain = false;
        this.look();
      }
    });
  }

  /** Resolves when no look and no delivery of this process is under way (a retry waiting for its time is not). */
  async idle(): Promise<void> {
    while (this.looking || this.delivering.size > 0) await Promise.allSettled([this.looking, ...this.delivering.values()]);
  }

  /** Stops looking and waiting on retries, and gives up the claims whose alerts are not all delivered, for another instance to take. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.abort.abort(new Error('shutting down'));
    await this.idle();
  }

  private get log(): Log {
    return this.options.log ?? consoleLog;
  }

  private async claimAndDeliver(): Promise<void> {
    try {
      for (;;) {
        const claims = await this.deliveries.claim(TENANTS_PER_LOOK);
        for (const claim of claims) this.startDelivering(claim);
        if (claims.length < TENANTS_PER_LOOK || this.abort.signal.aborted) return;
      }
    } catch (error) {
      this.log.error({ err: error }, 'could not look for alerts to deliver; looking again later');
    }
  }

  /**
   * A claim of a tenant whose delivery is still finishing here waits for it: it was taken after that
   * one gave its claim up (or let it lapse, stopping its sends), so they never send at once.
   */
  private startDelivering(claim: AlertClaim): void {
    const previous = this.delivering.get(claim.tenantId) ?? Promise.resolve();
    const delivery: Promise<void> = previous
      .then(() => this.deliverClaim(claim))
      .finally(() => {
        if (this.delivering.get(claim.tenantId) === delivery) this.delivering.delete(claim.tenantId);
        // Alerts the tenant raised meanwhile waited for this claim to be given up.
        this.look();
      });
    this.delivering.set(claim.tenantId, delivery);
  }

  private async deliverClaim(claim: AlertClaim): Promise<void> {
    const lease = new AbortController();
    const signal = AbortSignal.any([this.abort.signal, lease.signal]);
    const keeper = this.keepLease(claim.tenantId, lease);
    let failed: boolean;
    try {
      const outcomes = await Promise.allSettled(claim.alerts.map((stored) => this.deliver(stored, signal)));
      failed = outcomes.some((outcome) => outcome.status === 'rejected');
    } finally {
      keeper.stop();
    }
    // The claim is someone else's now (or may be): they deliver what is left.
    if (lease.signal.aborted) return;
    const retryAfterMs = failed && !this.abort.signal.aborted ? (this.options.retryFailedAfterMs ?? 60_000) : 0;
    await this.deliveries.release(claim.tenantId, retryAfterMs).catch((error: unknown) => {
      this.log.warn({ err: error, tenantId: claim.tenantId }, 'could not give up an alert claim; it lapses when its lease ends');
    });
  }

  /** Every sink, then the acknowledgement; a failure leaves the alert for the next claim of its tenant. */
  private async deliver(stored: StoredAlert, signal: AbortSignal): Promise<void> {
    try {
      for (const sink of this.sinks) await sink.deliver(stored, signal);
      await this.deliveries.acknowledge(stored.id);
    } catch (error) {
      if (!signal.aborted) this.log.error({ alertId: stored.id, type: stored.alert.type, err: error }, 'alert not delivered; trying again later');
      throw error;
    }
  }

  /**
   * Renews the claim every third of its lease while its alerts are delivered. If the claim was
   * taken over, or could not be renewed for most of the lease (the database is unreachable),
   * `lease` aborts: sends stop before the claim can have passed to another instance.
   */
  private keepLease(tenantId: string, lease: AbortController): { stop(): void } {
    const { leaseMs } = this.deliveries;
    let stopped = false;
    const lapseIn = (ms: number) => setTimeout(() => lease.abort(new Error('the alert claim may have lapsed')), ms).unref();
    let deadline = lapseIn(leaseMs * LEASE_SAFETY_SHARE);
    const renewal = setInterval(() => {
      const asked = Date.now();
      this.deliveries.renew(tenantId).then(
        (held) => {
          if (stopped) return;
          if (!held) return lease.abort(new Error('the alert claim was taken over'));
          clearTimeout(deadline);
          deadline = lapseIn(leaseMs * LEASE_SAFETY_SHARE - (Date.now() - asked));
        },
        (error: unknown) => this.log.warn({ err: error, tenantId }, 'could not renew an alert claim; trying again'),
      );
    }, leaseMs / 3).unref();
    return {
      stop() {
        stopped = true;
        clearInterval(renewal);
        clearTimeout(deadline);
      },
    };
  }
}
