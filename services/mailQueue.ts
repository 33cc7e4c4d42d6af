import type { JsonDocument } from './documentPort.js';
import type { MailMessage, MailSender } from './graphPorts.js';
import type { Clock } from './ports.js';
import { backOffCeilingMs, type BackOffPolicy } from './retryDelay.js';

export interface QueuedMail extends MailMessage {
  /** Stable per notice and recipient: queuing the same id again is a no-op. */
  id: string;
  queuedAt: number;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
}

export interface MailQueueState {
  queued: QueuedMail[];
  /** Ids sent lately, with when: a notice queued again (after a restart) is not sent twice. */
  sent: Array<[id: string, at: number]>;
}

export const emptyMailQueueState = (): MailQueueState => ({ queued: [], sent: [] });

/** `baseDelayMs`: the wait before the second try; doubled each failure up to `maxDelayMs`. Mail is never dropped. */
export interface MailQueueOptions extends BackOffPolicy {
  /** How long a sent id is remembered. */
  rememberSentMs: number;
}

export const DEFAULT_MAIL_QUEUE_OPTIONS: MailQueueOptions = { baseDelayMs: 30_000, maxDelayMs: 3_600_000, rememberSentMs: 30 * 86_400_000 };

/**
 * Notice emails on their way out through a sender that can fail (Graph's sendMail). `enqueue`
 * resolves once the mail is durably queued; `deliverDue` sends what is due and keeps what failed,
 * with a later try time, until the sender accepts it. A mail leaves the queue only once sent.
 */
export class MailQueue {
  private delivering: Promise<void> | null = null;

  constructor(
    private readonly doc: JsonDocument<MailQueueState>,
    private readonly sender: MailSender,
    private readonly clock: Clock,
    private readonly log: (message: string) => void,
    private readonly options: MailQueueOptions = DEFAULT_MAIL_QUEUE_OPTIONS,
  ) {}

  get pending(): readonly QueuedMail[] {
    return this.doc.data.queued;
  }

  async enqueue(id: string, message: MailMessage): Promise<void> {
    const { queued, sent } = this.doc.data;
    if (queued.some((m) => m.id === id) || sent.some(([sentId]) => sentId === id)) return;
    const now = this.clock.now();
    await this.doc.update((draft) => {
      draft.queued.push({
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
      const mail = this.doc.data.queued.find((m) => m.nextAttemptAt <= this.clock.now() && !tried.has(m.id));
      if (!mail) return;
      const id = mail.id;
      tried.add(id);
      const outcome = await this.sender.send(mail);
      const now = this.clock.now();
      if (outcome.ok) {
        await this.doc.update((draft) => {
          draft.queued = draft.queued.filter((m) => m.id !== id);
          draft.sent = draft.sent.filter(([, at]) => at > now - this.options.rememberSentMs);
          draft.sent.push([id, now]);
        });
        continue;
      }
      // One sender working through its own queue: no crowd to spread out, so no jitter.
      const delay = backOffCeilingMs(mail.attempts + 1, this.options);
      this.log(`notice mail ${id} not sent (${outcome.error.kind}: ${outcome.error.message}); trying again in ${Math.round(delay / 1000)} s`);
      await this.doc.update((draft) => {
        const entry = draft.queued.find((m) => m.id === id);
        if (!entry) return;
        entry.attempts++;
        entry.nextAttemptAt = now + delay;
        entry.lastError = `${outcome.error.kind}: ${outcome.error.message}`;
      });
    }
  }
}
