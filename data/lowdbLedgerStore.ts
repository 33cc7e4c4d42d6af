import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { StoredAlert } from '../services/alerts.js';
import type { Account } from '../services/ledger/account.js';
import { toSnapshot } from '../services/ledger/accountSnapshot.js';
import type { JournalEntry } from '../services/ledger/journal.js';
import { latestOfKinds } from '../services/journalScan.js';
import {
  consoleLog,
  StoreUnavailableError,
  type Change,
  type LatestEntriesQuery,
  type LedgerStore,
  type NoChange,
  type StoreHealth,
} from '../services/ports.js';
import type { AlertOutbox } from './alertOutbox.js';
import { sequenceProblem } from './changeSequence.js';
import { Checkpointer, type CheckpointCut, type TenantCut } from './checkpoint.js';
import { DataLayout } from './dataLayout.js';
import { canWrite } from './durableJsonFile.js';
import { lockFolder, type FolderLock } from './folderLock.js';
import { GroupCommitWriter } from './groupCommitWriter.js';
import { recoverLedger, type RecoveredLedger, type RecoveryReport } from './recovery.js';
import type { UnfiledEntries } from './tenantJournal.js';
import { newTenantState, type TenantState } from './tenantState.js';
import { acknowledgementLine, transactionLine } from './wal.js';

export interface LowdbLedgerStoreOptions {
  /** The data folder (DATA_DIR); created if missing. */
  dir: string;
  /** How often accounts are written to their documents and the WAL trimmed. Default 2 s. */
  checkpointIntervalMs?: number;
  /** A checkpoint also starts, without waiting for the timer, once this many entries wait unfiled. Default 20,000. */
  checkpointEarlyAtEntries?: number;
  /** After a failed write, how often the store tries to rebuild itself from disk. Default 5 s. */
  recoveryIntervalMs?: number;
  /** Where failed writes, failed recovery attempts and failing alert listeners are reported. Default `consoleLog`. */
  reportError?: (error: unknown) => void;
}

export interface LowdbLedgerStoreStats {
  walFsyncs: number;
  checkpoints: number;
  /** How often the store rebuilt itself from disk after a failed write. */
  recoveries: number;
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
 * Everything the store rebuilds from disk when it opens and after a failed write: the WAL writer
 * and the state in memory that runs ahead of it. A failure belongs to one of these; callbacks of
 * an earlier one change nothing.
 */
interface Live {
  writer: GroupCommitWriter<CommitNote>;
  tenants: Map<string, TenantState>;
  outbox: AlertOutbox;
  /** Tenants changed since their account document was last written. */
  dirty: Set<TenantState>;
  lastSeq: number;
  durableSeq: number;
  checkpointedSeq: number;
  /** Whether WAL segments read when this was rebuilt still wait for a checkpoint to delete them. */
  recoveredWalToTrim: boolean;
  /** Whether a recovery has closed its writer: it is about to be replaced. */
  stopped: boolean;
  /** Journal entries held in memory until a checkpoint files them, over all tenants. */
  unfiledEntries: number;
  /** The checkpoint changes wait for while `unfiledEntries` is at its bound. */
  filing: Promise<void> | null;
}

/**
 * The most journal entries kept in memory waiting for a checkpoint (about 45 MB of JSON text).
 * Ingestion can add entries faster than a checkpoint of many tenants files them; past this,
 * changes wait for a checkpoint instead of memory growing with the backlog.
 */
const MAX_UNFILED_ENTRIES = 100_000;

/**
 * Past this many unfiled entries a checkpoint starts without waiting for the timer (changes go on
 * meanwhile): under steady ingestion the entries waiting in memory then stay around this many
 * (about 9 MB of JSON text) instead of what the interval lets pile up.
 */
const CHECKPOINT_EARLY_AT = 20_000;

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
    const store = new LowdbLedger(layout, lock, recovered.report, options);
    await store.start(recovered);
    return store;
  } catch (error) {
    await lock.release();
    throw error;
  }
}

/**
 * Fail-stop: after a failed WAL write or checkpoint the store answers nothing from memory (which
 * may be ahead of the disk): health is not ok, and writes and reads reject with
 * `StoreUnavailableError`. Every `recoveryIntervalMs` it then tries to rebuild itself from disk with
 * the start-up recovery, in a fresh WAL segment, and to write a checkpoint; once that succeeds it is
 * healthy again. A change whose write failed may or may not have reached the disk (its caller got
 * the error; a retry with the same key is applied at most once).
 */
class LowdbLedger implements LowdbLedgerStore {
  readonly dir: string;
  private live!: Live;
  private readonly checkpointer: Checkpointer;
  private readonly listeners: Array<(alerts: StoredAlert[]) => void> = [];
  /** Alerts of changes up to this WAL record were handed to the listeners. */
  private heardUpTo = 0;
  private checkpointsWritten = 0;
  private recoveries = 0;
  private fsyncsOfEarlierWriters = 0;
  private checkpointQueue: Promise<unknown> = Promise.resolve();
  private checkpointTimer: NodeJS.Timeout | undefined;
  private recoveryTimer: NodeJS.Timeout | undefined;
  private recovering: Promise<void> | null = null;
  private lastRecoveryProblem: string | null = null;
  private closing: Promise<void> | null = null;
  /** Why the store stopped serving, until it has recovered. */
  private failure: { reason: string } | null = null;
  private readonly checkpointIntervalMs: number;
  private readonly checkpointEarlyAt: number;
  private readonly recoveryIntervalMs: number;
  private readonly reportError: (error: unknown) => void;

  constructor(
    private readonly layout: DataLayout,
    private readonly lock: FolderLock,
    readonly recovery: RecoveryReport,
    options: LowdbLedgerStoreOptions,
  ) {
    this.dir = layout.root;
    this.checkpointer = new Checkpointer(layout);
    this.checkpointIntervalMs = options.checkpointIntervalMs ?? 2_000;
    this.checkpointEarlyAt = options.checkpointEarlyAtEntries ?? CHECKPOINT_EARLY_AT;
    this.recoveryIntervalMs = options.recoveryIntervalMs ?? 5_000;
    this.reportError =
      options.reportError ?? ((error) => consoleLog.error({ err: error }, 'ledger store: a write, a recovery attempt or an alert listener failed'));
  }

  async start(recovered: RecoveredLedger): Promise<void> {
    this.live = await this.goLive(recovered);
    this.heardUpTo = this.live.durableSeq;
    this.scheduleCheckpoint();
  }

  get stats(): LowdbLedgerStoreStats {
    return { walFsyncs: this.fsyncsOfEarlierWriters + this.live.writer.fsyncCount, checkpoints: this.checkpointsWritten, recoveries: this.recoveries };
  }

  change<T>(tenantId: string, decide: (account: Account | undefined) => Change<T> | NoChange<T>): Promise<T> {
    const refusal = this.refusal();
    if (refusal) return Promise.reject(refusal);
    const live = this.live;
    const tenant = live.tenants.get(tenantId);
    // A read waits for the tenant's changes in flight: later ones wait until it has been answered.
    if (tenant?.changesHeld) return tenant.changesHeld.then(() => this.change(tenantId, decide));
    if (live.unfiledEntries >= MAX_UNFILED_ENTRIES) return this.fileBacklog(live).then(() => this.change(tenantId, decide));
    // Usage keys still on disk since start-up are read in (without blocking) before a change decides.
    if (tenant?.account.keys.storedUsagePending) return tenant.account.keys.readStoredUsage().then(() => this.change(tenantId, decide));
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
      return tenant?.lastCommit ? this.durable(tenant.lastCommit).then(() => result) : Promise.resolve(result);
    }
    return this.commit(live, tenantId, tenant, entryCount, outcome);
  }

  account(tenantId: string): Promise<Account | undefined> {
    return this.whenDurable(tenantId, (tenant) => tenant?.account);
  }

  journal(tenantId: string, afterEntryNo: number, limit: number): Promise<JournalEntry[]> {
    // The journal takes what it reads from memory before its first await.
    return this.whenDurable(tenantId, (tenant) => tenant?.journal.read(afterEntryNo, Math.floor(limit)) ?? []);
  }

  latestEntries(tenantId: string, query: LatestEntriesQuery): Promise<JournalEntry[]> {
    return latestOfKinds({ ledger: this }, tenantId, query);
  }

  async tenantIds(): Promise<string[]> {
    const refusal = this.refusal();
    if (refusal) throw refusal;
    const { tenants, durableSeq } = this.live;
    const ids: string[] = [];
    for (const tenant of tenants.values()) if (tenant.createdSeq <= durableSeq) ids.push(tenant.tenantId);
    return ids;
  }

  async pendingAlerts(): Promise<StoredAlert[]> {
    const refusal = this.refusal();
    if (refusal) throw refusal;
    return this.live.outbox.upTo(this.live.durableSeq);
  }

  onAlerts(listener: (alerts: StoredAlert[]) => void): void {
    this.listeners.push(listener);
  }

  acknowledgeAlert(id: string): Promise<void> {
    const refusal = this.refusal();
    if (refusal) return Promise.reject(refusal);
    const { outbox, writer } = this.live;
    // Unknown, or acknowledged already: perhaps by an acknowledgement still on its way to disk.
    if (!outbox.has(id)) return this.durable(writer.whenDurable());
    outbox.remove(id);
    const seq = ++this.live.lastSeq;
    return this.durable(writer.append(acknowledgementLine(seq, id), { seq, alerts: [] }));
  }

  health(): StoreHealth {
    const refusal = this.refusal();
    return refusal ? { ok: false, reason: refusal.reason } : { ok: true, reason: null };
  }

  checkpoint(): Promise<void> {
    const refusal = this.refusal();
    if (refusal) return Promise.reject(refusal);
    return this.queueCheckpoint(this.live, false);
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async goLive(recovered: RecoveredLedger): Promise<Live> {
    const dirty = new Set([...recovered.tenants.values()].filter((tenant) => tenant.journal.hasUnfiledEntries));
    const live: Live = {
      writer: undefined as unknown as GroupCommitWriter<CommitNote>,
      tenants: recovered.tenants,
      outbox: recovered.outbox,
      dirty,
      lastSeq: recovered.lastSeq,
      durableSeq: recovered.lastSeq,
      checkpointedSeq: recovered.checkpointedSeq,
      recoveredWalToTrim: recovered.report.walSegmentsRead > 0,
      stopped: false,
      unfiledEntries: countUnfiled(recovered.tenants.values()),
      filing: null,
    };
    live.writer = await GroupCommitWriter.start<CommitNote>(
      this.layout,
      recovered.nextWalSegment,
      (notes) => this.delivered(live, notes),
      (error) => this.fail(live, 'the write-ahead log could not be written', error),
    );
    return live;
  }

  /** Called by a WAL writer with the notes of each group once it is durable. */
  private delivered(live: Live, notes: CommitNote[]): void {
    live.durableSeq = notes.at(-1)!.seq;
    this.heardUpTo = Math.max(this.heardUpTo, live.durableSeq);
    this.tell(notes.flatMap((note) => note.alerts));
  }

  private tell(alerts: StoredAlert[]): void {
    if (alerts.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(alerts);
      } catch (error) {
        this.reportError(error);
      }
    }
  }

  private commit<T>(live: Live, tenantId: string, tenant: TenantState | undefined, entryCount: number, change: Change<T>): Promise<T> {
    const { account, entries, alerts, result } = change;
    const problem = sequenceProblem(tenantId, entryCount, change);
    if (problem) {
      // decide may already have changed the account in memory, which then no longer matches the log.
      const reason = `a change of tenant ${tenantId} ${problem}`;
      this.fail(live, reason, new Error(`The ledger store stopped: ${reason}.`));
      return Promise.reject(this.refusal());
    }
    const seq = ++live.lastSeq;
    let unfiled: UnfiledEntries | null = null;
    if (entries.length > 0) {
      const state = tenant ?? this.addTenant(live, account, seq);
      state.account = account;
      unfiled = state.journal.add(entries);
      live.unfiledEntries += entries.length;
      live.dirty.add(state);
      if (live.unfiledEntries >= this.checkpointEarlyAt) void this.fileBacklog(live);
    }
    // Encoded at once into the writer's buffer, from the journal tail the entries were just sealed into.
    const committed = live.writer.append(transactionLine(seq, tenantId, unfiled, alerts), { seq, alerts: live.outbox.add(seq, alerts) });
    const state = live.tenants.get(tenantId);
    if (state) {
      state.lastCommit = committed;
      state.lastSeq = seq;
    }
    return this.durable(committed).then(() => result);
  }

  private addTenant(live: Live, account: Account, createdSeq: number): TenantState {
    const state = newTenantState(this.layout, account, createdSeq);
    live.tenants.set(account.tenantId, state);
    return state;
  }

  /**
   * Reads a tenant once every change of it is durable, so a read never shows a change that could
   * still be lost. While a read waits, the tenant's new changes wait until it has been answered
   * (and its caller has run on to its next await), so a read waits for one group at most.
   */
  private async whenDurable<T>(tenantId: string, read: (tenant: TenantState | undefined) => T): Promise<Awaited<T>> {
    for (;;) {
      const refusal = this.refusal();
      if (refusal) throw refusal;
      const live = this.live;
      const tenant = live.tenants.get(tenantId);
      if (!tenant || tenant.lastSeq <= live.durableSeq) return await read(tenant);
      const inFlight = tenant.lastCommit!.catch(() => undefined);
      if (!tenant.changesHeld) {
        const held = inFlight.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
        tenant.changesHeld = held;
        void held.then(() => {
          if (tenant.changesHeld === held) tenant.changesHeld = null;
        });
      }
      await inFlight;
    }
  }

  /** A durability promise whose failure the caller sees as the store being unavailable. */
  private durable(promise: Promise<void>): Promise<void> {
    return promise.catch(() => {
      throw this.refusal() ?? new StoreUnavailableError('a write failed');
    });
  }

  private queueCheckpoint(live: Live, force: boolean): Promise<void> {
    const run = this.checkpointQueue.then(() => this.writeCheckpoint(live, force));
    this.checkpointQueue = run.catch(() => undefined);
    return run;
  }

  private async writeCheckpoint(live: Live, force: boolean): Promise<void> {
    let cut: CheckpointCut | null;
    try {
      cut = await live.writer.cut((nextSegment) => this.captureCut(live, nextSegment, force));
      if (cut) await this.checkpointer.persist(cut);
    } catch (error) {
      // Memory may now differ from the documents in ways only a rebuild from disk sorts out.
      this.fail(live, 'a checkpoint could not be written', error);
      throw this.refusal() ?? new StoreUnavailableError('a checkpoint could not be written');
    }
    if (!cut) return;
    live.unfiledEntries = countUnfiled(live.tenants.values());
    live.checkpointedSeq = cut.walSeq;
    live.recoveredWalToTrim = false;
    this.checkpointsWritten++;
  }

  /** Runs when the WAL seals a group: memory then holds exactly what the log holds up to that group. */
  private captureCut(live: Live, nextSegment: number, force: boolean): CheckpointCut | null {
    if (!force && live.dirty.size === 0 && live.lastSeq === live.checkpointedSeq && !live.recoveredWalToTrim) return null;
    const tenants = [...live.dirty].map((tenant) => ({ tenant, snapshot: toSnapshot(tenant.account), usage: takeUsage(tenant.account) }));
    live.dirty.clear();
    return { walSeq: live.lastSeq, walSegment: nextSegment, tenants, outbox: live.outbox.all() };
  }

  /** The checkpoint that files the backlog: started early, and awaited by changes held back by the bound (one at a time). */
  private fileBacklog(live: Live): Promise<void> {
    live.filing ??= this.queueCheckpoint(live, false)
      .catch(() => undefined) // fail() reported it; the change that waited then sees the refusal
      .finally(() => {
        live.filing = null;
      });
    return live.filing;
  }

  private scheduleCheckpoint(): void {
    this.checkpointTimer = setTimeout(() => {
      void this.queueCheckpoint(this.live, false)
        .catch(() => undefined) // fail() reported it
        .finally(() => {
          if (!this.closing && !this.failure) this.scheduleCheckpoint();
        });
    }, this.checkpointIntervalMs);
    this.checkpointTimer.unref();
  }

  /** Stops serving after a failed write of `live` (a later failure of the same or an older one adds nothing). */
  private fail(live: Live, reason: string, error: unknown): void {
    if (live !== this.live || this.failure) return;
    const code = (error as NodeJS.ErrnoException | null)?.code;
    this.failure = { reason: code ? `${reason} (${code})` : reason };
    this.reportError(error);
    clearTimeout(this.checkpointTimer);
    if (!this.closing) this.scheduleRecovery();
  }

  private scheduleRecovery(): void {
    this.recoveryTimer = setTimeout(() => {
      this.recovering = this.tryToRecover().finally(() => (this.recovering = null));
    }, this.recoveryIntervalMs);
    this.recoveryTimer.unref();
  }

  /**
   * Rebuilds the store from disk, as at start-up, in a fresh WAL segment, and proves the disk takes
   * writes again with a checkpoint; until all that succeeds the store stays unavailable.
   */
  private async tryToRecover(): Promise<void> {
    try {
      await this.stopWriting(this.live);
      // Nothing is rebuilt (and no WAL segment started) while the disk still refuses writes.
      if (!(await canWrite(this.layout.walFolder))) throw new Error('the data folder does not take writes yet');
      const recovered = await recoverLedger(this.layout);
      this.live = await this.goLive(recovered);
      await this.queueCheckpoint(this.live, true);
    } catch (error) {
      const problem = String((error as Error | null)?.message ?? error);
      if (problem !== this.lastRecoveryProblem) this.reportError(error);
      this.lastRecoveryProblem = problem;
      if (!this.closing) this.scheduleRecovery();
      return;
    }
    this.recoveries++;
    this.failure = null;
    this.lastRecoveryProblem = null;
    // Alerts of changes whose write failed after reaching the disk: durable now, and nobody heard of them.
    const unheard = this.live.outbox.all().filter((entry) => entry.seq > this.heardUpTo);
    this.heardUpTo = Math.max(this.heardUpTo, this.live.durableSeq);
    this.tell(unheard.map(({ id, alert }) => ({ id, alert })));
    if (!this.closing) this.scheduleCheckpoint();
  }

  /** Waits until `live` writes nothing any more, and closes its WAL file. */
  private async stopWriting(live: Live): Promise<void> {
    if (live.stopped) return;
    live.stopped = true;
    await live.writer.close().catch(() => undefined);
    await this.checkpointQueue;
    this.fsyncsOfEarlierWriters += live.writer.fsyncCount;
  }

  private async shutDown(): Promise<void> {
    clearTimeout(this.checkpointTimer);
    clearTimeout(this.recoveryTimer);
    try {
      await this.recovering;
      try {
        if (!this.failure) await this.queueCheckpoint(this.live, false);
      } finally {
        if (!this.live.stopped) await this.live.writer.close();
      }
    } finally {
      await this.lock.release();
    }
  }

  private refusal(): StoreUnavailableError | null {
    if (this.closing) return new StoreUnavailableError('the ledger store is closed');
    return this.failure ? new StoreUnavailableError(this.failure.reason) : null;
  }
}

/** The usage keys a cut writes for an account: the whole set if it must be rewritten, else those added since the last cut. */
function takeUsage(account: Account): TenantCut['usage'] {
  const all = account.keys.takeUsageRewrite();
  return all ? { rewrite: true, triples: all } : { rewrite: false, triples: account.keys.takeAddedUsage() };
}

function countUnfiled(tenants: Iterable<TenantState>): number {
  let count = 0;
  for (const tenant of tenants) count += tenant.journal.unfiledCount;
  return count;
}
