import type { JsonDocument } from '../services/documentPort.js';
import type { MailQueueStore, QueuedMail, SentMail } from '../services/mailQueue.js';
import { openJsonDocument } from './jsonDocument.js';

/**
 * The embedded store's `graph-mail-queue.json`. Entries written before mail named its tenant have
 * no `tenantId` (read as '').
 */
export interface MailQueueState {
  queued: Array<Omit<QueuedMail, 'tenantId'> & { tenantId?: string }>;
  /** Ids sent lately, with when (and whose). */
  sent: Array<[id: string, at: number, tenantId?: string]>;
}

export const emptyMailQueueState = (): MailQueueState => ({ queued: [], sent: [] });

/**
 * The notice-mail queue in one small JSON document (`DATA_DIR/graph-mail-queue.json`). One
 * process owns the data folder, so its claims are kept in memory only.
 */
export class JsonMailQueueStore implements MailQueueStore {
  private readonly claims = new Map<string, number>();

  constructor(private readonly document: JsonDocument<MailQueueState>) {}

  static async open(file: string): Promise<JsonMailQueueStore> {
    return new JsonMailQueueStore(await openJsonDocument(file, emptyMailQueueState()));
  }

  async add(mail: QueuedMail): Promise<void> {
    const { queued, sent } = this.document.data;
    if (queued.some((m) => m.id === mail.id) || sent.some(([id]) => id === mail.id)) return;
    await this.document.update((draft) => {
      draft.queued.push(structuredClone(mail));
    });
  }

  async claimDue(now: number, leaseMs: number, skip: ReadonlySet<string>): Promise<QueuedMail | null> {
    const mail = this.document.data.queued.find((m) => m.nextAttemptAt <= now && !skip.has(m.id) && (this.claims.get(m.id) ?? 0) <= now);
    if (!mail) return null;
    this.claims.set(mail.id, now + leaseMs);
    return withTenant(mail);
  }

  async markSent(tenantId: string, id: string, at: number, forgetBefore: number): Promise<void> {
    this.claims.delete(id);
    await this.document.update((draft) => {
      draft.queued = draft.queued.filter((m) => m.id !== id);
      draft.sent = draft.sent.filter(([, sentAt]) => sentAt > forgetBefore);
      draft.sent.push([id, at, tenantId]);
    });
  }

  async retryLater(_tenantId: string, id: string, nextAttemptAt: number, lastError: string): Promise<void> {
    this.claims.delete(id);
    await this.document.update((draft) => {
      const entry = draft.queued.find((m) => m.id === id);
      if (!entry) return;
      entry.attempts++;
      entry.nextAttemptAt = nextAttemptAt;
      entry.lastError = lastError;
    });
  }

  async pending(): Promise<QueuedMail[]> {
    return [...this.document.data.queued].sort((a, b) => a.queuedAt - b.queuedAt).map(withTenant);
  }

  async sent(): Promise<SentMail[]> {
    return this.document.data.sent.map(([id, at, tenantId]) => ({ tenantId: tenantId ?? '', id, at }));
  }
}

const withTenant = (mail: MailQueueState['queued'][number]): QueuedMail => structuredClone({ ...mail, tenantId: mail.tenantId ?? '' });
