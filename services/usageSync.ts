import { iso, DAY_MS, HOUR_MS } from './calendar.js';
import type { Duties } from './duties.js';
import type { GraphProblem, PstnCallLog, TimeWindow } from './graphPorts.js';
import type { UsageBatchOutcome, UsageRecord } from './ledger/applyUsage.js';
import type { Clock } from './ports.js';
import { readPstnCallLogRow } from './pstnCallLogRow.js';
import { err, ok, type Result } from './result.js';
import type { SyncStatus, UsageSyncRecords } from './usageSyncState.js';

/** Graph's getPstnCalls answers windows of at most 90 days. */
export const MAX_WINDOW_DAYS = 90;
/** Rows reach the call log 24–48 hours after the call; each sync re-reads this much before where the last one stopped. */
export const LATE_ARRIVAL_OVERLAP_HOURS = 72;
/** Records per ledger change, as many as `POST /api/usage` takes. */
export const INGEST_CHUNK = 10_000;
/** The oldest calls read stay this far inside the ledger's acceptance window, so none turns too old on the way. */
const ACCEPTANCE_MARGIN_MS = HOUR_MS;

/** The ledger's ingestion path, the same one `POST /api/usage` uses. */
export interface UsageIngestion {
  ingestUsage(records: UsageRecord[]): Promise<UsageBatchOutcome>;
}

export interface UsageSyncDeps {
  ledger: UsageIngestion;
  callLog: PstnCallLog;
  state: UsageSyncRecords;
  clock: Clock;
  /** Days of usage the ledger accepts (its policy's `usageWindowDays`): the first sync reads back this far. */
  usageWindowDays: number;
  /** The tenants a scheduled sync visits. */
  tenants: () => Promise<Iterable<string>>;
  /** How often the scheduled sync runs: with several instances, each tenant is synced once in this time, by one of them. */
  syncEveryMs: number;
  /** Each tenant's sync runs on one instance at a time. */
  duties: Duties;
  log: (message: string) => void;
}

/** What one sync read and did. `read = accepted + duplicates + skipped`. */
export interface SyncReport {
  tenantId: string;
  from: string;
  to: string;
  read: number;
  accepted: number;
  duplicates: number;
  /** Rows not charged: those of other licenses and the rejected ones. */
  skipped: number;
  otherLicenses: number;
  /** Rows charged to Communications Credits that could not be charged (malformed, or refused by the ledger). */
  rejected: Array<{ id: string | null; error: string }>;
}

export type SyncOutcome = Result<SyncReport, { problem: GraphProblem; report: SyncReport }>;

/**
 * Pulls each tenant's PSTN usage charged to Communications Credits from Graph into the ledger.
 * A tenant resumes from where its last sync stopped, less an overlap for late rows; record ids make
 * re-reading safe. The point it resumes from moves only once a window's records are durably
 * charged, so a failure anywhere means the next sync reads the same rows again: none is skipped.
 */
export class UsageSync {
  private readonly running = new Map<string, Promise<SyncOutcome>>();
  private syncingAll: Promise<void> | null = null;

  constructor(private readonly deps: UsageSyncDeps) {}

  status(tenantId: string): Promise<SyncStatus> {
    return this.deps.state.status(tenantId);
  }

  /**
   * Syncs the tenant now; a sync of the same tenant already running in this process is joined, one
   * running on another instance is waited for (then this one reads what arrived since).
   */
  syncTenant(tenantId: string): Promise<SyncOutcome> {
    const running = this.running.get(tenantId);
    if (running) return running;
    const run = this.deps.duties.run(syncDuty(tenantId), () => this.run(tenantId)).finally(() => this.running.delete(tenantId));
    this.running.set(tenantId, run);
    return run;
  }

  /**
   * The scheduled job: every tenant in turn, each unless another instance (or an operator's sync
   * here) is syncing it now or synced it within the period. A run still going when the next is due is joined.
   */
  syncAll(): Promise<void> {
    this.syncingAll ??= this.syncEachTenant().finally(() => (this.syncingAll = null));
    return this.syncingAll;
  }

  /** Resolves when no sync of this process is running. */
  async idle(): Promise<void> {
    await Promise.allSettled([this.syncingAll, ...this.running.values()]);
  }

  private async syncEachTenant(): Promise<void> {
    for (const tenantId of await this.deps.tenants()) {
      try {
        const ran = await this.deps.duties.runIfDue(syncDuty(tenantId), this.deps.syncEveryMs, () => this.run(tenantId));
        if (!ran) continue;
        const outcome = ran.value;
        if (!outcome.ok) this.deps.log(`usage sync of tenant ${tenantId} stopped (${outcome.error.problem.kind}): ${outcome.error.problem.message}`);
      } catch (error) {
        this.deps.log(`usage sync of tenant ${tenantId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    }
  }

  private async run(tenantId: string): Promise<SyncOutcome> {
    const { clock, state, usageWindowDays, log } = this.deps;
    const now = clock.now();
    const { syncedThrough } = await state.status(tenantId);
    const oldestAccepted = now - usageWindowDays * DAY_MS + ACCEPTANCE_MARGIN_MS;
    const resumeAt = syncedThrough === null ? oldestAccepted : Date.parse(syncedThrough) - LATE_ARRIVAL_OVERLAP_HOURS * HOUR_MS;
    if (syncedThrough !== null && resumeAt < oldestAccepted) {
      log(`usage sync of tenant ${tenantId}: calls before ${iso(oldestAccepted)} are older than the ledger accepts and are not read`);
    }
    let from = Math.max(resumeAt, oldestAccepted);
    const report = emptyReport(tenantId, from, now);
    await state.record(tenantId, { lastAttemptAt: iso(now) });
    while (from < now) {
      const window = { from, to: Math.min(from + MAX_WINDOW_DAYS * DAY_MS, now) };
      const read = await this.readWindow(tenantId, window, report);
      if (!read.ok) {
        const problem = read.error;
        await state.record(tenantId, { problem: { ...problem, at: iso(clock.now()) } });
        return err({ problem, report });
      }
      await state.record(tenantId, { syncedThrough: iso(window.to) });
      from = window.to;
    }
    await state.record(tenantId, { lastSyncAt: iso(clock.now()), problem: null });
    return ok(report);
  }

  /** Reads one window and charges its Communications Credits rows durably as each batch arrives. */
  private async readWindow(tenantId: string, window: TimeWindow, report: SyncReport): Promise<Result<void, GraphProblem>> {
    return this.deps.callLog.read(tenantId, window, async (rows) => {
      const records: UsageRecord[] = [];
      for (const raw of rows) {
        report.read++;
        const row = readPstnCallLogRow(tenantId, raw);
        if (row.kind === 'credits') records.push(row.record);
        else if (row.kind === 'other-license') {
          report.otherLicenses++;
          report.skipped++;
        } else this.reject(report, row.id, row.error);
      }
      for (let i = 0; i < records.length; i += INGEST_CHUNK) await this.ingest(records.slice(i, i + INGEST_CHUNK), report);
    });
  }

  private async ingest(records: UsageRecord[], report: SyncReport): Promise<void> {
    const outcome = await this.deps.ledger.ingestUsage(records);
    report.accepted += outcome.accepted;
    report.duplicates += outcome.duplicates;
    for (const { index, error } of outcome.rejected) this.reject(report, records[index]?.id ?? null, error);
  }

  private reject(report: SyncReport, id: string | null, error: string): void {
    report.skipped++;
    report.rejected.push({ id, error });
    this.deps.log(`usage sync of tenant ${report.tenantId}: row ${id ?? '(no id)'} not charged: ${error}`);
  }
}

/** A tenant's sync is a duty of its own: tenants sync in parallel across instances, each on one. */
const syncDuty = (tenantId: string) => `graph-sync:${tenantId}`;

const emptyReport = (tenantId: string, from: number, to: number): SyncReport => ({
  tenantId,
  from: iso(from),
  to: iso(to),
  read: 0,
  accepted: 0,
  duplicates: 0,
  skipped: 0,
  otherLicenses: 0,
  rejected: [],
});
