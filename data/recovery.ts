import { lstat, mkdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { invariantViolation } from '../services/ledger/account.js';
import { fromSnapshot } from '../services/ledger/accountSnapshot.js';
import { applyEntry } from '../services/ledger/applyEntry.js';
import { AlertOutbox } from './alertOutbox.js';
import { openAccountDocument, readCheckpointMarker, readOutbox, type CheckpointMarker } from './checkpoint.js';
import { forEachConcurrently } from './concurrency.js';
import { DamagedDataError, OLD_FORMAT, RESTORE_FROM_BACKUP } from './damagedData.js';
import type { DataLayout } from './dataLayout.js';
import { isMissing, listFolder, syncFolder, WRITE_PROBE } from './durableJsonFile.js';
import { tenantFileName } from './tenantFileName.js';
import { checkJournal, holdsLedgerFiles, resetJournal } from './tenantJournal.js';
import { newTenantState, type TenantState } from './tenantState.js';
import { checkUsageKeys, storedUsageKeys } from './usageKeyFile.js';
import { cutTornTail, deleteWalSegmentsBefore, isAcknowledgement, listWalSegments, readWalSegment, type WalTransaction } from './wal.js';

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

/** A change to the data folder that recovery has shown to be safe; run only once everything checked out. */
type Repair = () => Promise<void>;

/**
 * Rebuilds the ledger from disk after a clean close, a crash at any moment, or a failed write (the
 * store runs this again to recover from one).
 *
 * Why this is enough: a transaction is acknowledged only once its WAL line is fsynced, and WAL
 * segments are deleted only after a checkpoint marker covering them is durable. That marker is
 * written only after every account document and the outbox document of its cut are durable, and
 * each account document only after the journal lines and usage keys it counts. So, whatever the
 * moment of the crash: every document is at the marker's cut or a later one; journal files and the
 * usage key file it names hold at least what their account document counts (extra lines and key
 * records are cut off here; key files of other generations are deleted); and the WAL from the
 * marker's segment on holds every transaction after the marker. Replaying it, skipping what each
 * document already includes (by entry number for accounts, by sequence number for the outbox),
 * restores every acknowledged change exactly once. Every step here is safe to repeat if start-up
 * itself is killed.
 *
 * Nothing is deleted or cut that this argument does not prove redundant, and nothing at all until
 * every check passed: every line and document carries a checksum, WAL sequence numbers and segment
 * numbers must run on without a gap from the marker, each account document must sit under its
 * tenant's file name, and a journal without an account document is reset only if the WAL holds
 * that tenant's entries from the first (a crash during its first checkpoint); anything else stops
 * start-up with a `DamagedDataError` naming the file. Files and folders the store does not write
 * are left alone.
 */
export async function recoverLedger(layout: DataLayout): Promise<RecoveredLedger> {
  const repairs: Repair[] = [makeFolders(layout), removeTempFiles(layout)];

  const marker = await readCheckpointMarker(layout);
  const outboxDocument = await readOutbox(layout);
  const segments = await walSegmentsAfter(layout, marker, repairs);
  const { tenants, documents } = await loadAccounts(layout, repairs);
  const report: RecoveryReport = {
    tenantsLoaded: tenants.size,
    walSegmentsRead: 0,
    transactionsReplayed: 0,
    transactionsAlreadyCheckpointed: 0,
    tornTailDropped: false,
  };

  const outbox = new AlertOutbox(outboxDocument.alerts);
  const checkpointedSeq = marker?.walSeq ?? 0;
  let lastSeq = checkpointedSeq;
  for (const [i, segment] of segments.entries()) {
    const file = layout.walSegmentFile(segment);
    const { lines, tornAt } = await readWalSegment(file, i === segments.length - 1);
    report.walSegmentsRead++;
    if (tornAt !== null) {
      report.tornTailDropped = true;
      repairs.push(() => cutTornTail(file, tornAt));
    }
    for (const { record, line } of lines) {
      if (record.seq !== lastSeq + 1) {
        if (marker && lastSeq === marker.walSeq) {
          throw new DamagedDataError(
            layout.checkpointFile,
            `says the write-ahead log goes on after record ${marker.walSeq} in ${file}, whose line ${line} holds record ${record.seq}: the marker and the log do not belong together`,
            RESTORE_FROM_BACKUP,
          );
        }
        const why = record.seq > lastSeq + 1 ? 'records are missing before it (a deleted segment or lines)' : 'the log goes back';
        throw new DamagedDataError(file, `line ${line} holds record ${record.seq} where record ${lastSeq + 1} was due: ${why}`, RESTORE_FROM_BACKUP);
      }
      lastSeq = record.seq;
      const outboxNeedsIt = record.seq > outboxDocument.walSeq;
      if (isAcknowledgement(record)) {
        if (outboxNeedsIt) outbox.remove(record.ack);
        continue;
      }
      if (outboxNeedsIt) outbox.add(record.seq, record.alerts);
      if (replayTransaction(layout, tenants, documents, record, { file, line })) report.transactionsReplayed++;
      else report.transactionsAlreadyCheckpointed++;
    }
  }
  if (outboxDocument.walSeq > lastSeq) {
    throw new DamagedDataError(
      layout.outboxFile,
      `is as of write-ahead log record ${outboxDocument.walSeq}, but the log ends at record ${lastSeq}: the newest segments are missing`,
      RESTORE_FROM_BACKUP,
    );
  }

  for (const tenant of tenants.values()) {
    const violation = invariantViolation(tenant.account);
    if (violation) {
      throw new DamagedDataError(
        layout.accountFile(tenant.fileName),
        `and the log replayed after it give an account that breaks the ledger invariant: ${violation}`,
        RESTORE_FROM_BACKUP,
      );
    }
  }
  await checkJournalsWithoutDocument(layout, tenants, documents, repairs);

  for (const repair of repairs) await repair();
  const nextWalSegment = Math.max(marker?.walSegment ?? 0, (segments.at(-1) ?? -1) + 1);
  return { tenants, outbox, lastSeq, checkpointedSeq, nextWalSegment, report };
}

/**
 * The WAL segments to replay: from the marker's on, numbered without a gap. Older segments are
 * deleted (a repair) once shown to hold nothing after the marker.
 */
async function walSegmentsAfter(layout: DataLayout, marker: CheckpointMarker | null, repairs: Repair[]): Promise<number[]> {
  const all = await listWalSegments(layout);
  const first = marker?.walSegment ?? 0;
  const live = all.filter((segment) => segment >= first);
  if (marker === null && all.length > 0 && all[0] !== 0) {
    throw new DamagedDataError(
      layout.checkpointFile,
      `is missing, yet the write-ahead log starts at ${layout.walSegmentFile(all[0]!)}, not at segment 0: the marker or the segments before that one were deleted`,
      RESTORE_FROM_BACKUP,
    );
  }
  if (marker !== null && live[0] !== first) {
    const problem =
      live.length === 0
        ? `names WAL segment ${first} as the one after the checkpoint, but the log ends ${all.length > 0 ? `at segment ${all.at(-1)}` : 'before any segment'}: the marker is past the end of the log`
        : `names WAL segment ${first} as the one after the checkpoint, and ${layout.walSegmentFile(first)} is missing`;
    throw new DamagedDataError(layout.checkpointFile, problem, RESTORE_FROM_BACKUP);
  }
  for (let i = 1; i < live.length; i++) {
    if (live[i] !== live[i - 1]! + 1) {
      throw new DamagedDataError(
        layout.walSegmentFile(live[i - 1]! + 1),
        `is missing: the write-ahead log goes on at ${layout.walSegmentFile(live[i]!)}`,
        RESTORE_FROM_BACKUP,
      );
    }
  }
  const covered = all.filter((segment) => segment < first);
  for (const segment of covered) {
    const file = layout.walSegmentFile(segment);
    const beyond = (await readWalSegment(file, false)).lines.find(({ record }) => record.seq > marker!.walSeq);
    if (beyond) {
      throw new DamagedDataError(
        layout.checkpointFile,
        `says the checkpoint covers the write-ahead log up to record ${marker!.walSeq}, but ${file} line ${beyond.line} holds record ${beyond.record.seq}: the marker is past the end of what was checkpointed`,
        RESTORE_FROM_BACKUP,
      );
    }
  }
  if (covered.length > 0) repairs.push(() => deleteWalSegmentsBefore(layout, first));
  return live;
}

/** Loads and checks every account document, its journal files and its usage keys. */
async function loadAccounts(layout: DataLayout, repairs: Repair[]): Promise<{ tenants: Map<string, TenantState>; documents: Set<string> }> {
  const fileNames = (await listFolder(layout.accountsFolder)).filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -'.json'.length));
  const tenants = new Map<string, TenantState>();
  await forEachConcurrently(fileNames, 8, async (fileName) => {
    const file = layout.accountFile(fileName);
    const document = openAccountDocument(layout, fileName);
    await document.read();
    if (!document.data) return;
    const { tenantId, journal, usageKeys, account } = document.data;
    if (!usageKeys || 'usage' in account.keys) throw new DamagedDataError(file, 'is in an older format (usage keys inside the document)', OLD_FORMAT);
    const ownFileName = tenantFileName(tenantId);
    if (ownFileName !== fileName || account.tenantId !== tenantId) {
      const own = layout.accountFile(ownFileName);
      const twice = fileNames.includes(ownFileName) && ownFileName !== fileName;
      throw new DamagedDataError(
        file,
        `holds the account of tenant ${JSON.stringify(account.tenantId)}, whose document is ${own}${twice ? ', which exists too: two documents for one tenant' : ''}`,
        `If this file was copied or renamed here, move it out of ${layout.accountsFolder}; if it was edited, restore it from a backup.`,
      );
    }
    const folder = layout.tenantJournalFolder(fileName);
    repairs.push(await checkJournal(folder, tenantId, journal, account.entryCount));
    const recovered = fromSnapshot(account);
    // Checked now, read into the account's table only when it is needed: a tenant with a million keys costs no start-up time.
    repairs.push(await checkUsageKeys(folder, usageKeys));
    if (usageKeys.bytes > 0) recovered.keys.deferStoredUsage(storedUsageKeys(folder, usageKeys));
    tenants.set(tenantId, newTenantState(layout, recovered, 0, journal, account.entryCount, usageKeys));
  });
  return { tenants, documents: new Set(tenants.keys()) };
}

/**
 * A folder under journal/ that holds journal or key files but has no account document: legitimate
 * only after a crash during the tenant's first checkpoint, when the WAL holds all its entries, from
 * the first (the tenant was rebuilt by the replay). Those files are then reset; otherwise the
 * account document is missing and start-up stops. Folders without the store's files are left alone.
 */
async function checkJournalsWithoutDocument(layout: DataLayout, tenants: Map<string, TenantState>, documents: Set<string>, repairs: Repair[]): Promise<void> {
  const replayedFromFirst = new Set([...tenants.values()].filter((tenant) => !documents.has(tenant.tenantId)).map((tenant) => tenant.fileName));
  const documented = new Set([...documents].map(tenantFileName));
  for (const name of await listFolder(layout.journalFolder)) {
    const folder = layout.tenantJournalFolder(name);
    if (documented.has(name) || !(await isFolder(folder))) continue;
    if (!(await holdsLedgerFiles(folder))) continue;
    if (replayedFromFirst.has(name)) {
      repairs.push(() => resetJournal(folder));
      continue;
    }
    throw new DamagedDataError(
      layout.accountFile(name),
      `is missing, but the tenant's journal ${folder} is there and the write-ahead log does not hold the tenant's entries from the first`,
      'Restore the account document from a backup; the journal and usage keys were left in place.',
    );
  }
}

/** Applies a transaction unless the tenant's account document already includes it; says which. */
function replayTransaction(
  layout: DataLayout,
  tenants: Map<string, TenantState>,
  documents: Set<string>,
  transaction: WalTransaction,
  at: { file: string; line: number },
): boolean {
  const { tenantId, entries } = transaction;
  const tenant = tenants.get(tenantId);
  const count = tenant?.account.entryCount ?? 0;
  const first = Number(entries[0]?.id ?? count + 1);
  if (entries.length > 0 && first + entries.length - 1 <= count) return false;
  if (first !== count + 1) {
    if (!tenant || !documents.has(tenantId)) {
      throw new DamagedDataError(
        layout.accountFile(tenantFileName(tenantId)),
        `is missing: the write-ahead log (${at.file} line ${at.line}) holds tenant ${JSON.stringify(tenantId)}'s entries from ${first}, not from the first`,
        'Restore the account document from a backup; the journal and usage keys were left in place.',
      );
    }
    throw new DamagedDataError(
      at.file,
      `line ${at.line} holds entries from ${first} of tenant ${JSON.stringify(tenantId)}, whose account has ${count}`,
      RESTORE_FROM_BACKUP,
    );
  }
  let account = tenant?.account;
  for (const [i, entry] of entries.entries()) {
    if (entry.tenantId !== tenantId || Number(entry.id) !== first + i) {
      throw new DamagedDataError(at.file, `line ${at.line} holds entries of tenant ${JSON.stringify(tenantId)} out of sequence`, RESTORE_FROM_BACKUP);
    }
    account = applyEntry(account, entry);
  }
  if (!account) return true; // alerts without entries
  const state = tenant ?? newTenantState(layout, account);
  state.account = account;
  state.journal.add(entries);
  tenants.set(tenantId, state);
  return true;
}

/** The store's folders, made if missing (a new data folder), durably. */
function makeFolders(layout: DataLayout): Repair {
  return async () => {
    for (const folder of [layout.walFolder, layout.accountsFolder, layout.journalFolder]) await mkdir(folder, { recursive: true });
    await syncFolder(layout.root);
  };
}

async function isFolder(file: string): Promise<boolean> {
  return (await lstat(file)).isDirectory();
}

/**
 * Temporary files of the ledger's own documents (a crash left them before their rename, so no
 * document is in them) and write probes. Other temporary files in the data folder are other
 * modules' and may be in use.
 */
function removeTempFiles(layout: DataLayout): Repair {
  // As writeFileAtomically and canWrite name them: `<file>.<pid>-<counter>.tmp`.
  const tempOf = (file: string) => (name: string) => name.startsWith(`${file}.`) && /^\.\d+-\d+\.tmp$/.test(name.slice(file.length));
  const candidates = [
    { folder: layout.root, isTemp: [tempOf(path.basename(layout.checkpointFile)), tempOf(path.basename(layout.outboxFile))] },
    { folder: layout.accountsFolder, isTemp: [(name: string) => /^.+\.json\.\d+-\d+\.tmp$/.test(name)] },
    { folder: layout.walFolder, isTemp: [tempOf(WRITE_PROBE)] },
  ];
  return async () => {
    for (const { folder, isTemp } of candidates) {
      for (const name of await listFolder(folder)) {
        if (!isTemp.some((test) => test(name))) continue;
        await unlink(path.join(folder, name)).catch((error: unknown) => {
          if (!isMissing(error)) throw error;
        });
      }
    }
  };
}
