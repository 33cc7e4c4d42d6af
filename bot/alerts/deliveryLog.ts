import type { JsonDocument } from '../../services/documentPort.js';

/** Per pending alert, the recipients (conversations, mailboxes) that already have it. */
export type DeliveryLogData = Record<string, string[]>;

/**
 * Remembers, durably, who already got an alert still being delivered, so an alert picked up again
 * after a restart reaches only those it had not reached yet: each recipient gets it once.
 */
export class DeliveryLog {
  constructor(private readonly document: JsonDocument<DeliveryLogData>) {}

  has(alertId: string, recipient: string): boolean {
    return this.document.data[alertId]?.includes(recipient) ?? false;
  }

  async record(alertId: string, recipient: string): Promise<void> {
    if (this.has(alertId, recipient)) return;
    await this.document.update((draft) => {
      (draft[alertId] ??= []).push(recipient);
    });
  }

  /** The alert was acknowledged: nothing more to remember about it. */
  async forget(alertId: string): Promise<void> {
    if (!this.document.data[alertId]) return;
    await this.document.update((draft) => {
      delete draft[alertId];
    });
  }
}
