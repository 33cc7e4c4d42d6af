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
  /** Resolves when the tenant's latest change is durable; a result-only change waits for it. */
  lastCommit: Promise<void> | null;
  /** The usage key file the tenant's latest durable account document names, and its length. */
  usageKeys: UsageKeysEnd;
  /** The generation a rewrite of the usage keys uses next: never one used before. */
  nextUsageGeneration: number;
}

export function newTenantState(
  layout: DataLayout,
  account: Account,
  journalEnd: JournalEnd = EMPTY_JOURNAL,
  filed = 0,
  usageKeys: UsageKeysEnd = EMPTY_USAGE_KEYS,
): TenantState {
  const fileName = tenantFileName(account.tenantId);
  return {
    tenantId: account.tenantId,
    fileName,
    account,
    journal: new TenantJournal(layout.tenantJournalFolder(fileName), filed, journalEnd),
    lastCommit: null,
    usageKeys,
    nextUsageGeneration: usageKeys.generation + 1,
  };
}
