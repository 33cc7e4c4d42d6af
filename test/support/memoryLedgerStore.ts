import type { StoredAlert } from '../../services/alerts.js';
import type { Account } from '../../services/ledger/account.js';
import type { JournalEntry } from '../../services/ledger/journal.js';
import { latestOfKinds } from '../../services/journalScan.js';
import type { Change, LatestEntriesQuery, LedgerStore, NoChange } from '../../services/ports.js';

/**
 * An in-memory LedgerStore for rule tests: serialises changes per tenant like the real one, keeps
 * every entry and alert, and yields between changes so concurrency is real.
 */
export class MemoryLedgerStore implements LedgerStore {
  readonly accounts = new Map<string, Account>();
  readonly entries = new Map<string, JournalEntry[]>();
  readonly alerts: StoredAlert[] = [];
  private readonly acknowledged = new Set<string>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly listeners: Array<(alerts: StoredAlert[]) => void> = [];
  private alertSeq = 0;

  change<T>(tenantId: string, decide: (account: Account | undefined) => Change<T> | NoChange<T>): Promise<T> {
    const previous = this.queues.get(tenantId) ?? Promise.resolve();
    const next = previous.then(async () => {
      await new Promise((r) => setImmediate(r));
      const outcome = decide(this.accounts.get(tenantId));
      if (!outcome.account) return outcome.result;
      this.accounts.set(tenantId, outcome.account);
      const list = this.entries.get(tenantId) ?? [];
      list.push(...outcome.entries.map((e) => structuredClone(e)));
      this.entries.set(tenantId, list);
      const stored = outcome.alerts.map((alert) => ({ id: `a${++this.alertSeq}`, alert }));
      this.alerts.push(...stored);
      if (stored.length) for (const l of this.listeners) l(stored);
      return outcome.result;
    });
    this.queues.set(
      tenantId,
      next.catch(() => undefined),
    );
    return next;
  }

  health() {
    return { ok: true, reason: null };
  }

  async account(tenantId: string) {
    return this.accounts.get(tenantId);
  }

  async journal(tenantId: string, afterEntryNo: number, limit: number) {
    return (this.entries.get(tenantId) ?? []).filter((e) => Number(e.id) > afterEntryNo).slice(0, limit);
  }

  latestEntries(tenantId: string, query: LatestEntriesQuery) {
    return latestOfKinds({ ledger: this }, tenantId, query);
  }

  async tenantIds() {
    return [...this.accounts.keys()];
  }

  async pendingAlerts() {
    return this.alerts.filter((a) => !this.acknowledged.has(a.id));
  }

  onAlerts(listener: (alerts: StoredAlert[]) => void) {
    this.listeners.push(listener);
  }

  async acknowledgeAlert(id: string) {
    this.acknowledged.add(id);
  }

  async close() {}

  alertsOf(tenantId: string, type?: string) {
    return this.alerts.filter((a) => a.alert.tenantId === tenantId && (!type || a.alert.type === type)).map((a) => a.alert);
  }
}

/** A clock tests can move. */
export class TestClock {
  constructor(public at: number = Date.parse('2026-01-15T12:00:00Z')) {}
  now = () => this.at;
  advance(ms: number) {
    this.at += ms;
  }
  set(isoTime: string) {
    this.at = Date.parse(isoTime);
  }
}
