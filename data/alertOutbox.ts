import type { Alert, StoredAlert } from '../services/alerts.js';

/** An alert in the outbox, with the WAL sequence number of the change that raised it. */
export interface OutboxEntry extends StoredAlert {
  seq: number;
}

/** Alerts raised and not yet acknowledged, oldest first. */
export class AlertOutbox {
  private readonly entries = new Map<string, OutboxEntry>();

  constructor(entries: readonly OutboxEntry[] = []) {
    for (const entry of entries) this.entries.set(entry.id, entry);
  }

  /** Stores the alerts of the change logged at `seq`; their ids derive from it, so replay gives the same ids. */
  add(seq: number, alerts: readonly Alert[]): StoredAlert[] {
    return alerts.map((alert, i) => {
      const entry: OutboxEntry = { seq, id: `${seq}.${i}`, alert };
      this.entries.set(entry.id, entry);
      return { id: entry.id, alert };
    });
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  remove(id: string): void {
    this.entries.delete(id);
  }

  /** The alerts raised by changes up to `durableSeq`: those not yet durable are not anyone's to deliver. */
  upTo(durableSeq: number): StoredAlert[] {
    const alerts: StoredAlert[] = [];
    for (const { seq, id, alert } of this.entries.values()) {
      if (seq > durableSeq) break;
      alerts.push({ id, alert });
    }
    return alerts;
  }

  all(): OutboxEntry[] {
    return [...this.entries.values()];
  }
}
