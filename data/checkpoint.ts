import { Low } from 'lowdb';
import type { AccountSnapshot } from '../services/ledger/accountSnapshot.js';
import type { OutboxEntry } from './alertOutbox.js';
import { forEachConcurrently } from './concurrency.js';
import type { DataLayout } from './dataLayout.js';
import { DurableBatch } from './durableBatch.js';
import { SealedJsonFile, sealedDocument } from './sealedJsonFile.js';
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

/**
 * How many tenants one batch writes: their files are all open until the batch's fsyncs, up to
 * three or four each, so this bounds the file descriptors a checkpoint holds.
 */
const TENANTS_PER_BATCH = 200;

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
 * Writes a cut to disk, the tenants in batches (see DurableBatch): each batch writes its tenants'
 * new journal entries and usage keys (appended after the ends their documents record, or the whole
 * key set as a new generation) and their new account documents beside the old ones; fsyncs all of
 * those files, and each folder that got a new entry, at once; only then renames the documents into
 * place and fsyncs the accounts folder, once. Key file generations the new documents no longer
 * name are deleted after that. Then, each step once the one before it is durable:
 *   2. the outbox document;
 *   3. the checkpoint marker, naming the first WAL segment after the cut;
 *   4. the WAL segments before that one are deleted.
 * A crash at any moment leaves every document either at the previous cut or at this one, each
 * saying which, and the journal files and key files holding at least what it counts; the WAL from
 * the old marker on holds everything after the older of them.
 */
export class Checkpointer {
  private readonly outbox: Low<OutboxDocument>;
  private readonly marker: Low<CheckpointMarker>;

  constructor(private readonly layout: DataLayout) {
    this.outbox = new Low(new SealedJsonFile<OutboxDocument>(layout.outboxFile), EMPTY_OUTBOX);
    this.marker = new Low(new SealedJsonFile<CheckpointMarker>(layout.checkpointFile), NO_CHECKPOINT);
  }

  async persist(cut: CheckpointCut): Promise<void> {
    for (let first = 0; first < cut.tenants.length; first += TENANTS_PER_BATCH) {
      await this.persistTenants(cut.tenants.slice(first, first + TENANTS_PER_BATCH));
    }
    this.outbox.data = { walSeq: cut.walSeq, alerts: cut.outbox };
    await this.outbox.write();
    this.marker.data = { walSeq: cut.walSeq, walSegment: cut.walSegment };
    await this.marker.write();
    await deleteWalSegmentsBefore(this.layout, cut.walSegment);
  }

  private async persistTenants(cuts: TenantCut[]): Promise<void> {
    const batch = new DurableBatch();
    const staged: Array<{ tenant: TenantState; entryCount: number; journal: JournalEnd; usageKeys: UsageKeysEnd }> = [];
    try {
      await forEachConcurrently(cuts, cuts.length, async ({ tenant, snapshot, usage }) => {
        const journal = await tenant.journal.stageUpTo(snapshot.entryCount, batch);
        const folder = tenant.journal.folder;
        const usageKeys = usage.rewrite
          ? await rewriteUsageKeys(batch, folder, tenant.nextUsageGeneration++, usage.triples)
          : await appendUsageKeys(batch, folder, tenant.usageKeys, usage.triples);
        const document: AccountDocument = { tenantId: tenant.tenantId, journal, usageKeys, account: snapshot };
        await batch.replace(this.layout.accountFile(tenant.fileName), sealedDocument(document));
        staged.push({ tenant, entryCount: snapshot.entryCount, journal, usageKeys });
      });
      await batch.commit();
    } catch (error) {
      await batch.abandon();
      throw error;
    }
    for (const { tenant, entryCount, journal, usageKeys } of staged) {
      tenant.journal.markFiled(entryCount, journal);
      const previous = tenant.usageKeys;
      tenant.usageKeys = usageKeys;
      // The document no longer names them: the replaced generation, and any a failed rewrite left.
      for (let generation = previous.generation; generation < usageKeys.generation; generation++) {
        await deleteUsageKeys(tenant.journal.folder, generation);
      }
    }
  }
}
