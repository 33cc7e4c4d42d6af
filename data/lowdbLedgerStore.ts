import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { StoredAlert } from '../services/alerts.js';
import type { Account } from '../services/ledger/account.js';
import { toSnapshot } from '../services/ledger/accountSnapshot.js';
import type { JournalEntry } from '../services/ledger/journal.js';
import { consoleLog, type Change, type LedgerStore, type NoChange, type StoreHealth } from '../services/ports.js';
import type { AlertOutbox } from './alertOutbox.js';
import { Checkpointer, type CheckpointCut, type TenantCut } from './checkpoint.js';
import { DataLayout } from './dataLayout.js';
import { lockFolder, type FolderLock } from './folderLock.js';
import { GroupCommitWriter } from './groupCommitWriter.js';
import { recoverLedger, type RecoveredLedger, type RecoveryReport } from './recovery.js';
import { newTenantState, type TenantState } from './tenantState.js';
import { acknowledgementLine, transactionLine } from './wal.js';

export interface LowdbLedgerStoreOptions {
  /** The data folder (DATA_DIR); created if missing. */
  dir: string;
  /** How often accounts are written to their documents and the WAL trimmed. Default 2 s. */
  checkpointIntervalMs?: number;
  /** Where failures of background checkpoints and alert listeners are reported. Default `consoleLog`. */
  reportError?: (error: unknown) => void;
}

export interface LowdbLedgerStoreStats {
  walFsyncs: number;
  checkpoints: number;
}

export interface LowdbLedgerStore extends LedgerStore {
  readonly dir: string;
  /** What opening the store found and replayed. */
  readonly recovery: RecoveryReport;
  readonly stats: LowdbLedgerStoreStats;
  /** Writes a checkpoint now (one also runs every `checkpointIntervalMs` and at `close`). */
  checkpoint(): Promise<void>;
}

/** What the WAL writer hands back once a record is durable. */
interface CommitNote {
  seq: number;
  alerts: StoredAlert[];
}

/**
 * Opens the ledger kept in `dir`: takes the folder's lock, recovers from the last checkpoint and the
 * WAL, and starts writing. Only one process may have a folder open.
 */
export async function openLowdbLedgerStore(options: LowdbLedgerStoreOptions): Promise<LowdbLedgerStore> {
  const layout = new DataLayout(path.resolve(options.dir));
  await mkdir(layout.root, { recursive: true });
  const lock = await lockFolder(layout.root);
  try {
    const recovered = await recoverLedger(layout);
    const writer = await GroupCommitWriter.start<CommitNote>(layout, recovered.nextWalSegment, (notes) => store.delivered(notes));
    const store = new LowdbLedger(layout, lock, writer, recovered, options);
    return store;
  } catch (error) {
    await lock.release();
    throw error;
  }
}

class LowdbLedger implements LowdbLedgerStore {
  readonly dir: string;
  readonly recovery: RecoveryReport;
  private readonly tenants: Map<string, TenantState>;
  private readonly outbox: AlertOutbox;
  private readonly checkpointer: Checkpointer;
  private readonly listeners: Array<(alerts: StoredAlert[]) => void> = [];
  /** Tenants changed since their account document was last written. */
  private readonly dirty = new Set<TenantState>();
  private lastSeq: number;
  private durableSeq: number;
  private checkpointedSeq: number;
  /** Whether WAL segments read at start-up still wait for a checkpoint to delete them. */
  private recoveredWalToTrim: boolean;
  private checkpointsWritten = 0;
  private checkpointQueue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | null = null;
  private brokenBy: Error | null = null;
  private readonly checkpointIntervalMs: number;
  private readonly reportError: (error: unknown) => void;

  constructor(
    private readonly layout: DataLayout,
    private readonly lock: FolderLock,
    private readonly writer: GroupCommitWriter<CommitNote>,
    recovered: RecoveredLedger,
    options: LowdbLedgerStoreOptions,
  ) {
    this.dir = layout.root;
    this.recovery = recovered.report;
    this.tenants = recovered.tenants;
    this.outbox = recovered.outbox;
    this.lastSeq = this.durableSeq = recovered.lastSeq;
    this.checkpointedSeq = recovered.checkpointedSeq;
    this.recoveredWalToTrim = recovered.report.walSegmentsRead > 0;
    for (const tenant of this.tenants.values()) if (tenant.journal.hasUnfiledEntries) this.dirty.add(tenant);
    this.checkpointer = new Checkpointer(layout);
    this.checkpointIntervalMs = options.checkpointIntervalMs ?? 2_000;
    this.reportError = options.reportError ?? ((error) => consoleLog.error({ err: error }, 'ledger store: a background checkpoint or alert listener failed'));
    this.scheduleCheckpoint();
  }

  get stats(): LowdbLedgerStoreStats {
    return { walFsyncs: this.writer.fsyncCount, checkpoints: this.checkpointsWritten };
  }

  change<T>(tenantId: string, decide: (account: Account | undefined) => Change<T> | NoChange<T>): Promise<T> {
    const refusal = this.refusal();
    if (refusal) return Promise.reject(refusal);
    const tenant = this.tenants.get(tenantId);
    // Read before decide: a draft changes the account in place.
    const entryCount = tenant?.account.entryCount ?? 0;
    let outcome: Change<T> | NoChange<T>;
    try {
      outcome = decide(tenant?.account);
    } catch (error) {
      return Promise.reject(error);
    }
    if (!outcome.entries || (outcome.entries.length === 0 && outcome.alerts.length === 0)) {
      const { result } = outcome;
      // What decide saw may include earlier changes still on their way to disk: answer after them.
      return tenant?.lastCommit ? tenant.lastCommit.then(() => result) : Promise.resolve(result);
    }
    return this.commit(tenantId, tenant, entryCount, outcome);
  }

  async account(tenantId: string): Promise<Account | undefined> {
    return this.tenants.get(tenantId)?.account;
  }

  async journal(tenantId: string, afterEntryNo: number, limit: number): Promise<JournalEntry[]> {
    return (await this.tenants.get(tenantId)?.journal.read(afterEntryNo, Math.floor(limit))) ?? [];
  }

  async tenantIds(): Promise<string[]> {
    return [...this.tenants.keys()];
  }

  async pendingAlerts(): Promise<StoredAlert[]> {
    return this.outbox.upTo(this.durableSeq);
  }

  onAlerts(listener: (alerts: StoredAlert[]) => void): void {
    this.listeners.push(listener);
  }

  acknowledgeAlert(id: string): Promise<void> {
    const refusal = this.refusal();
    if (refusal) return Promise.reject(refusal);
    // Unknown, or acknowledged already: perhaps by an acknowledgement still on its way to disk.
    if (!this.outbox.has(id)) return this.writer.whenDurable();
    this.outbox.remove(id);
    const seq = ++this.lastSeq;
    return this.writer.append(acknowledgementLine(seq, id), { seq, alerts: [] });
  }

  health(): StoreHealth {
    const refusal = this.refusal();
    return refusal ? { ok: false, reason: refusal instanceof Error ? refusal.message : String(refusal) } : { ok: true, reason: null };
  }

  checkpoint(): Promise<void> {
    const run = this.checkpointQueue.then(() => this.writeCheckpoint());
    this.checkpointQueue = run.catch(() => undefined);
    return run;
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  /** Called by the WAL writer with the notes of each group once it is durable. */
  delivered(notes: CommitNote[]): void {
    this.durableSeq = notes.at(-1)!.seq;
    const alerts = notes.flatMap((note) => note.alerts);
    if (alerts.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(alerts);
      } catch (error) {
        this.reportError(error);
      }
    }
  }

  private commit<T>(tenantId: string, tenant: TenantState | undefined, entryCount: number, change: Change<T>): Promise<T> {
    const { account, entries, alerts, result } = change;
    const problem = sequenceProblem(tenantId, entryCount, change);
    if (problem) {
      // decide may already have changed the account in memory, which then no longer matches the log.
      this.brokenBy = new Error(`The ledger store stopped: a change of tenant ${tenantId} ${problem}. Restart to recover.`);
      return Promise.reject(this.brokenBy);
    }
    const entryLines = entries.map((entry) => JSON.stringify(entry));
    if (entries.length > 0) {
      const state = tenant ?? this.addTenant(account);
      state.account = account;
      state.journal.add(entryLines);
      this.dirty.add(state);
    }
    const seq = ++this.lastSeq;
    const committed = this.writer.append(transactionLine(seq, tenantId, entryLines, alerts), { seq, alerts: this.outbox.add(seq, alerts) });
    const state = this.tenants.get(tenantId);
    if (state) state.lastCommit = committed;
    return committed.then(() => result);
  }

  private addTenant(account: Account): TenantState {
    const state = newTenantState(this.layout, account);
    this.tenants.set(account.tenantId, state);
    return state;
  }

  private async writeCheckpoint(): Promise<void> {
    const cut = await this.writer.cut((nextSegment) => this.captureCut(nextSegment));
    if (!cut) return;
    try {
      await this.checkpointer.persist(cut);
    } catch (error) {
      for (const { tenant } of cut.tenants) {
        this.dirty.add(tenant);
        // The usage keys taken for this cut may not be on disk, and the next marker will pass the
        // WAL lines that added them: the next checkpoint writes the tenant's whole set.
        tenant.account.keys.requireUsageRewrite();
      }
      throw error;
    }
    this.checkpointedSeq = cut.walSeq;
    this.recoveredWalToTrim = false;
    this.checkpointsWritten++;
  }

  /** Runs when the WAL seals a group: memory then holds exactly what the log holds up to that group. */
  private captureCut(nextSegment: number): CheckpointCut | null {
    if (this.dirty.size === 0 && this.lastSeq === this.checkpointedSeq && !this.recoveredWalToTrim) return null;
    const tenants = [...this.dirty].map((tenant) => ({ tenant, snapshot: toSnapshot(tenant.account), usage: takeUsage(tenant.account) }));
    this.dirty.clear();
    return { walSeq: this.lastSeq, walSegment: nextSegment, tenants, outbox: this.outbox.all() };
  }

  private scheduleCheckpoint(): void {
    this.timer = setTimeout(() => {
      void this.checkpoint()
        .catch(this.reportError)
        .finally(() => {
          if (!this.closing && !this.refusal()) this.scheduleCheckpoint();
        });
    }, this.checkpointIntervalMs);
    this.timer.unref();
  }

  private async shutDown(): Promise<void> {
    clearTimeout(this.timer);
    try {
      if (!this.brokenBy && !this.writer.failure) await this.checkpoint();
      await this.writer.close();
    } finally {
      await this.lock.release();
    }
  }

  private refusal(): unknown {
    if (this.closing) return new Error('The ledger store is closed.');
    return this.brokenBy ?? this.writer.failure;
  }
}

/** The usage keys a cut writes for an account: the whole set if it must be rewritten, else those added since the last cut. */
function takeUsage(account: Account): TenantCut['usage'] {
  const all = account.keys.takeUsageRewrite();
  return all ? { rewrite: true, triples: all } : { rewrite: false, triples: account.keys.takeAddedUsage() };
}

/** Why a change's entries do not continue the tenant's journal, if they do not. */
function sequenceProblem(tenantId: string, entryCount: number, change: Change<unknown>): string | null {
  const { account, entries } = change;
  for (const [i, entry] of entries.entries()) {
    if (entry.tenantId !== tenantId || entry.id !== String(entryCount + 1 + i)) {
      return `produced entry ${entry.id} of tenant ${entry.tenantId} where entry ${entryCount + 1 + i} was due`;
    }
  }
  if (entries.length > 0 && (account.tenantId !== tenantId || account.entryCount !== entryCount + entries.length)) {
    return `left its account at entry ${account.entryCount} after entries up to ${entryCount + entries.length}`;
  }
  return null;
}
