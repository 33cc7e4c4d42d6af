import type { MailMessage, MailSender } from './graphPorts.js';
import type { Clock } from './ports.js';
import { backOffCeilingMs, type BackOffPolicy } from './retryDelay.js';

export interface QueuedMail extends MailMessage {
  /** The tenant whose notice it is. */
  tenantId: string;
  /** Stable per notice and recipient: queuing the same id again is a no-op. */
  id: string;
  queuedAt: number;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
}

/** A mail that was sent, remembered for a while so the same notice queued again is not sent twice. */
export interface SentMail {
  tenantId: string;
  id: string;
  at: number;
}

/**
 * Where queued notice mail is kept. Each write is one tenant's mail; `claimDue` looks across
 * tenants for the next mail due and claims it for a while, so of several instances one sends it.
 */
export interface MailQueueStore {
  /** Queues the mail unless its id is queued, or remembered as sent; resolves once durable. */
  add(mail: QueuedMail): Promise<void>;
  /**
   * The next mail due at `now` whose id is not in `skip`, claimed until `now + leaseMs`: no other
   * claim gets it before then (a claimer that died lets it go when the lease ends). Null: none due.
   */
  claimDue(now: number, leaseMs: number, skip: ReadonlySet<string>): Promise<QueuedMail | null>;
  /** It was sent at `at`: it leaves the queue, remembered as sent; the tenant's sent before `forgetBefore` are forgotten. */
  markSent(tenantId: string, id: string, at: number, forgetBefore: number): Promise<void>;
  /** It failed: one more attempt counted, tried again from `nextAttemptAt`, and the claim let go. */
  retryLater(tenantId: string, id: string, nextAttemptAt: number, lastError: string): Promise<void>;
  /** Every mail not yet sent, oldest first. */
  pending(): Promise<QueuedMail[]>;
  /** Every mail remembered as sent. */
  sent(): Promise<SentMail[]>;
}

/** `baseDelayMs`: the wait before the second try; doubled each failure up to `maxDelayMs`. Mail is never dropped. */
export interface MailQueueOptions extends BackOffPolicy {
  /** How long a sent id is remembered. */
  rememberSentMs: number;
  /** How long a mail being sent is left to its sender before another may take it. */
  claimMs: number;
}

export const DEFAULT_MAIL_QUEUE_OPTIONS: MailQueueOptions = { baseDelayMs: 30_000, maxDelayMs: 3_600_000, rememberSentMs: 30 * 86_400_000, claimMs: 600_000 };

/**
 * Notice emails on their way out through a sender that can fail (Graph's sendMail). `enqueue`
 * resolves once the mail is durably queued; `deliverDue` sends what is due and keeps what failed,
 * with a later try time, until the sender accepts it. A mail leaves the queue only once sent.
 */
export class MailQueue {
  private delivering: Promise<void> | null = null;

  constructor(
    private readonly store: MailQueueStore,
    private readonly sender: MailSender,
    private readonly clock: Clock,
    private readonly log: (message: string) => void,
    private readonly options: MailQueueOptions = DEFAULT_MAIL_QUEUE_OPTIONS,
  ) {}

  /** The mail not yet sent. */
  pending(): Promise<QueuedMail[]> {
    return this.store.pending();
  }

  async enqueue(tenantId: string, id: string, message: MailMessage): Promise<void> {
    const now = this.clock.now();
    await this.store.add({
      tenantId,
      id,
      to: [...message.to],
      subject: message.subject,
      text: message.text,
      html: message.html,
      queuedAt: now,
      attempts: 0,
      nextAttemptAt: now,
      lastError: null,
    });
  }

  /** Sends every mail that is due, one at a time; a pass already running is joined. */
  deliverDue(): Promise<void> {
    this.delivering ??= this.deliverEachDue().finally(() => (this.delivering = null));
    return this.delivering;
  }

  /** Resolves when no delivery pass is running. */
  async idle(): Promise<void> {
    await this.delivering?.catch(() => undefined);
  }

  private async deliverEachDue(): Promise<void> {
    // Mail queued while the pass runs is picked up by it too; each mail is tried once per pass.
    const tried = new Set<string>();
    for (;;) {
      const mail = await this.store.claimDue(this.clock.now(), this.options.claimMs, tried);
      if (!mail) return;
      const { tenantId, id } = mail;
      tried.add(id);
      const outcome = await this.sender.send(mail);
      const now = this.clock.now();
      if (outcome.ok) {
        await this.store.markSent(tenantId, id, now, now - this.options.rememberSentMs);
        continue;
      }
      // One sender working through its own queue: no crowd to spread out, so no jitter.
      const delay = backOffCeilingMs(mail.attempts + 1, this.options);
      this.log(`notice mail ${id} not sent (${outcome.error.kind}: ${outcome.error.message}); trying again in ${Math.round(delay / 1000)} s`);
      await this.store.retryLater(tenantId, id, now + delay, `${outcome.error.kind}: ${outcome.error.message}`);
    }
  }
}
