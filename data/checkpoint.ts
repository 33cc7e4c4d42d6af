import { Low } from 'lowdb';
import type { AccountSnapshot } from '../services/ledger/accountSnapshot.js';
import type { OutboxEntry } from './alertOutbox.js';
import { forEachConcurrently } from './concurrency.js';
import type { DataLayout } from './dataLayout.js';
import { SealedJsonFile } from './sealedJsonFile.js';
import type { JournalEnd } from './tenantJournal.js';
import type { TenantState } from './tenantState.js';
import { appendUsageKeys, deleteUsageKeys, rewriteUsageKeys, type UsageKeysEnd } from './usageKeyFile.js';
import { deleteWalSegmentsBefore } from './wal.js';

/** What the last complete checkpoint covers: WAL records up to `walSeq`, which all lie in segments before `walSegment`. */
export interface CheckpointMarker {
  walSeq: number;
  walSegment: number;
}

const NO_CHECKPOINT: CheckpointMarker = { walSeq: 0, walSegment: 0 };

/** A tenant's account as of a checkpoint, and where its journal files end at that moment. */
export interface AccountDocument {
  tenantId: string;
  journal: JournalEnd;
  /** The usage key file holding the account's usage keys as of this checkpoint, and its length. */
  usageKeys: UsageKeysEnd;
  account: AccountSnapshot;
}

/** The alerts outstanding as of WAL record `walSeq`. */
export interface OutboxDocument {
  walSeq: number;
  alerts: OutboxEntry[];
}

const EMPTY_OUTBOX: OutboxDocument = { walSeq: 0, alerts: [] };

export interface TenantCut {
  tenant: TenantState;
  snapshot: AccountSnapshot;
  /**
   * Usage key triples: those added since the tenant's last cut, to append; or, when `rewrite`,
   * the whole set, for a new generation of the key file.
   */
  usage: { rewrite: boolean; triples: Uint32Array };
}

/** The ledger's state at one point of the WAL, captured synchronously at that point. */
export interface CheckpointCut {
  walSeq: number;
  walSegment: number;
  tenants: TenantCut[];
  outbox: OutboxEntry[];
}

/** How many tenants are written at once; each write waits mostly on fsync. */
const PARALLEL_WRITES = 8;

export function openAccountDocument(layout: DataLayout, fileName: string): Low<AccountDocument | null> {
  return new Low<AccountDocument | null>(new SealedJsonFile(layout.accountFile(fileName)), null);
}

/** The marker of the last complete checkpoint; null if no checkpoint was ever completed. */
export function readCheckpointMarker(layout: DataLayout): Promise<CheckpointMarker | null> {
  return new SealedJsonFile<CheckpointMarker>(layout.checkpointFile).read();
}

export async function readOutbox(layout: DataLayout): Promise<OutboxDocument> {
  return (await new SealedJsonFile<OutboxDocument>(layout.outboxFile).read()) ?? EMPTY_OUTBOX;
}

/**
 * Writes a cut to disk. Each step starts only once the one before it is durable:
 *   1. each tenant's new journal entries, then its usage keys (appended to the current key file,
 *      or the whole set written to a new generation), then its account document (which records
 *      where those entries and keys end); only then is a replaced key file generation deleted;
 *   2. the outbox document;
 *   3. the checkpoint marker, naming the first WAL segment after the cut;
 *   4. the WAL segments before that one are deleted.
 * A crash between any two steps leaves every document either at the previous cut or at this one,
 * each saying which, and the WAL from the old marker on holds everything after the older of them.
 */
export class Checkpointer {
  private readonly outbox: Low<OutboxDocument>;
  private readonly marker: Low<CheckpointMarker>;

  constructor(private readonly layout: DataLayout) {
    this.outbox = new Low(new SealedJsonFile<OutboxDocument>(layout.outboxFile), EMPTY_OUTBOX);
    this.marker = new Low(new SealedJsonFile<CheckpointMarker>(layout.checkpointFile), NO_CHECKPOINT);
  }

  async persist(cut: CheckpointCut): Promise<void> {
    await forEachConcurrently(cut.tenants, PARALLEL_WRITES, async ({ tenant, snapshot, usage }) => {
      const journal = await tenant.journal.fileUpTo(snapshot.entryCount);
      const folder = tenant.journal.folder;
      const previous = tenant.usageKeys;
      const usageKeys = usage.rewrite
        ? await rewriteUsageKeys(folder, tenant.nextUsageGeneration++, usage.triples)
        : await appendUsageKeys(folder, previous, usage.triples);
      const document = openAccountDocument(this.layout, tenant.fileName);
      document.data = { tenantId: tenant.tenantId, journal, usageKeys, account: snapshot };
      await document.write();
      tenant.usageKeys = usageKeys;
      // The document no longer names them: the replaced generation, and any a failed rewrite left.
      for (let generation = previous.generation; generation < usageKeys.generation; generation++) await deleteUsageKeys(folder, generation);
    });
    this.outbox.data = { walSeq: cut.walSeq, alerts: cut.outbox };
    await this.outbox.write();
    this.marker.data = { walSeq: cut.walSeq, walSegment: cut.walSegment };
    await this.marker.write();
    await deleteWalSegmentsBefore(this.layout, cut.walSegment);
  }
}
