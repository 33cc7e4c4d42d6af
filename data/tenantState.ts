import type { Account } from '../services/ledger/account.js';
import type { DataLayout } from './dataLayout.js';
import { tenantFileName } from './tenantFileName.js';
import { EMPTY_JOURNAL, TenantJournal, type JournalEnd } from './tenantJournal.js';
import { EMPTY_USAGE_KEYS, type UsageKeysEnd } from './usageKeyFile.js';

/** What the store holds in memory for one tenant. */
export interface TenantState {
  readonly tenantId: string;
  readonly fileName: string;
  /** The latest account, including changes still on their way to disk. */
  account: Account;
  readonly journal: TenantJournal;
  /** Resolves when the tenant's latest change is durable; a result-only change and a read wait for it. */
  lastCommit: Promise<void> | null;
  /** The WAL sequence number of the tenant's latest change: durable once the WAL is durable up to it. */
  lastSeq: number;
  /** While a read waits for the tenant's changes in flight, new changes wait for this. */
  changesHeld: Promise<void> | null;
  /** The WAL sequence number of the change that opened the account (0 if it was on disk at start). */
  readonly createdSeq: number;
  /** The usage key file the tenant's latest durable account document names, and its length. */
  usageKeys: UsageKeysEnd;
  /** The generation a rewrite of the usage keys uses next: never one used before. */
  nextUsageGeneration: number;
}

export function newTenantState(
  layout: DataLayout,
  account: Account,
  createdSeq = 0,
  journalEnd: JournalEnd = EMPTY_JOURNAL,
  filed = 0,
  usageKeys: UsageKeysEnd = EMPTY_USAGE_KEYS,
): TenantState {
  const fileName = tenantFileName(account.tenantId);
  return {
    tenantId: account.tenantId,
    fileName,
    account,
    journal: new TenantJournal(layout.tenantJournalFolder(fileName), account.tenantId, filed, journalEnd),
    lastCommit: null,
    lastSeq: createdSeq,
    changesHeld: null,
    createdSeq,
    usageKeys,
    nextUsageGeneration: usageKeys.generation + 1,
  };
}
