import { mkdir, readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { invariantViolation } from '../services/ledger/account.js';
import { fromSnapshot } from '../services/ledger/accountSnapshot.js';
import { applyEntry } from '../services/ledger/applyEntry.js';
import { AlertOutbox } from './alertOutbox.js';
import { openAccountDocument, readCheckpointMarker, readOutbox } from './checkpoint.js';
import { forEachConcurrently } from './concurrency.js';
import type { DataLayout } from './dataLayout.js';
import { syncFolder, TEMP_SUFFIX } from './durableJsonFile.js';
import { reconcileJournal, removeJournal } from './tenantJournal.js';
import { newTenantState, type TenantState } from './tenantState.js';
import { loadUsageKeys } from './usageKeyFile.js';
import { deleteWalSegmentsBefore, isAcknowledgement, listWalSegments, readWalSegment, type WalTransaction } from './wal.js';

/** What opening the store found; the counters show that start-up replays only the WAL's tail. */
export interface RecoveryReport {
  tenantsLoaded: number;
  walSegmentsRead: number;
  transactionsReplayed: number;
  /** WAL transactions skipped because a tenant's account document already included them. */
  transactionsAlreadyCheckpointed: number;
  tornTailDropped: boolean;
}

export interface RecoveredLedger {
  tenants: Map<string, TenantState>;
  outbox: AlertOutbox;
  /** The highest WAL sequence number ever used. */
  lastSeq: number;
  /** The WAL sequence number the last complete checkpoint covers. */
  checkpointedSeq: number;
  /** The WAL segment to write next: after every existing one, and never before the checkpoint's. */
  nextWalSegment: number;
  report: RecoveryReport;
}

/**
 * Rebuilds the ledger from disk after a clean close or a crash at any moment.
 *
 * Why this is enough: a transaction is acknowledged only once its WAL line is fsynced, and WAL
 * segments are deleted only after a checkpoint marker covering them is durable. That marker is
 * written only after every account document and the outbox document of its cut are durable, and
 * each account document only after the journal lines and usage keys it counts. So, whatever the
 * moment of the crash: every document is at the marker's cut or a later one; journal files and the
 * usage key file it names hold at least what their account document counts (extra lines and key
 * records are cut off here; key files of other generations are deleted); and the WAL from the marker's
 * segment on holds every transaction after the marker. Replaying it, skipping what each document
 * already includes (by entry number for accounts, by sequence number for the outbox), restores
 * every acknowledged change exactly once. Every step here is safe to repeat if start-up itself
 * is killed.
 */
export async function recoverLedger(layout: DataLayout): Promise<RecoveredLedger> {
  for (const folder of [layout.walFolder, layout.accountsFolder, layout.journalFolder]) await mkdir(folder, { recursive: true });
  await syncFolder(layout.root);
  await removeTempFiles(layout.root);
  await removeTempFiles(layout.accountsFolder);

  const marker = await readCheckpointMarker(layout);
  await deleteWalSegmentsBefore(layout, marker.walSegment);
  const tenants = await loadAccounts(layout);
  const report: RecoveryReport = {
    tenantsLoaded: tenants.size,
    walSegmentsRead: 0,
    transactionsReplayed: 0,
    transactionsAlreadyCheckpointed: 0,
    tornTailDropped: false,
  };

  const outboxDocument = await readOutbox(layout);
  const outbox = new AlertOutbox(outboxDocument.alerts);
  let lastSeq = Math.max(marker.walSeq, outboxDocument.walSeq);
  let previousSeq = marker.walSeq;
  const segments = await listWalSegments(layout);
  for (const [i, segment] of segments.entries()) {
    const file = layout.walSegmentFile(segment);
    const { records, tornTailDropped } = await readWalSegment(file, i === segments.length - 1);
    report.walSegmentsRead++;
    report.tornTailDropped ||= tornTailDropped;
    for (const record of records) {
      if (record.seq <= previousSeq) throw new Error(`The write-ahead log ${file} goes back to sequence number ${record.seq} after ${previousSeq}.`);
      previousSeq = record.seq;
      const outboxNeedsIt = record.seq > outboxDocument.walSeq;
      if (isAcknowledgement(record)) {
        if (outboxNeedsIt) outbox.remove(record.ack);
        continue;
      }
      if (outboxNeedsIt) outbox.add(record.seq, record.alerts);
      if (replayTransaction(layout, tenants, record)) report.transactionsReplayed++;
      else report.transactionsAlreadyCheckpointed++;
    }
    lastSeq = Math.max(lastSeq, previousSeq);
  }

  for (const tenant of tenants.values()) {
    const violation = invariantViolation(tenant.account);
    if (violation) throw new Error(`The recovered account of tenant ${tenant.tenantId} breaks the ledger invariant: ${violation}.`);
  }
  const nextWalSegment = Math.max(marker.walSegment, (segments.at(-1) ?? -1) + 1);
  return { tenants, outbox, lastSeq, checkpointedSeq: marker.walSeq, nextWalSegment, report };
}

/** Loads every account document and cuts its journal files back to match it. */
async function loadAccounts(layout: DataLayout): Promise<Map<string, TenantState>> {
  const fileNames = (await readdir(layout.accountsFolder)).filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -'.json'.length));
  const tenants = new Map<string, TenantState>();
  await forEachConcurrently(fileNames, 8, async (fileName) => {
    const document = openAccountDocument(layout, fileName);
    await document.read();
    if (!document.data) return;
    const { journal, usageKeys, account } = document.data;
    if (!usageKeys || 'usage' in account.keys) {
      throw new Error(
        `The account document ${layout.accountFile(fileName)} is in an older format (usage keys inside the document), which this version cannot open.`,
      );
    }
    const folder = layout.tenantJournalFolder(fileName);
    await reconcileJournal(folder, journal);
    const recovered = fromSnapshot(account);
    recovered.keys.loadUsage(await loadUsageKeys(folder, usageKeys));
    tenants.set(document.data.tenantId, newTenantState(layout, recovered, journal, account.entryCount, usageKeys));
  });
  // A tenant with journal files but no account document yet died in its first checkpoint.
  const withDocuments = new Set(fileNames);
  for (const name of await readdir(layout.journalFolder)) {
    if (!withDocuments.has(name)) await removeJournal(layout.tenantJournalFolder(name));
  }
  return tenants;
}

/** Applies a transaction unless the tenant's account document already includes it; says which. */
function replayTransaction(layout: DataLayout, tenants: Map<string, TenantState>, transaction: WalTransaction): boolean {
  const { seq, tenantId, entries } = transaction;
  const tenant = tenants.get(tenantId);
  const count = tenant?.account.entryCount ?? 0;
  const first = Number(entries[0]?.id ?? count + 1);
  if (entries.length > 0 && first + entries.length - 1 <= count) return false;
  if (first !== count + 1) {
    throw new Error(`The write-ahead log's record ${seq} holds entries from ${first} of tenant ${tenantId}, whose account has ${count}.`);
  }
  let account = tenant?.account;
  for (const [i, entry] of entries.entries()) {
    if (entry.tenantId !== tenantId || Number(entry.id) !== first + i) {
      throw new Error(`The write-ahead log's record ${seq} of tenant ${tenantId} holds entries out of sequence.`);
    }
    account = applyEntry(account, entry);
  }
  if (!account) return true; // alerts without entries
  const state = tenant ?? newTenantState(layout, account);
  state.account = account;
  state.journal.add(entries.map((entry) => JSON.stringify(entry)));
  tenants.set(tenantId, state);
  return true;
}

async function removeTempFiles(folder: string): Promise<void> {
  for (const name of await readdir(folder)) {
    if (name.endsWith(TEMP_SUFFIX)) await unlink(path.join(folder, name));
  }
}
