import type { GraphProblem } from './graphPorts.js';

export interface TenantSyncState {
  tenantId: string;
  /** Calls started before this time are read and durably charged (ISO 8601). */
  syncedThrough: string | null;
  /** When a sync last finished with every window read and charged (ISO 8601). */
  lastSyncAt: string | null;
  lastAttemptAt: string | null;
  /** Why the last attempt failed; cleared by a successful one. */
  problem: (GraphProblem & { at: string }) | null;
}

/** What an admin or the operator is told about a tenant's sync. */
export type SyncStatus = Omit<TenantSyncState, 'tenantId'>;

export const blankSyncStatus = (): SyncStatus => ({ syncedThrough: null, lastSyncAt: null, lastAttemptAt: null, problem: null });

/**
 * Where each tenant's usage sync stands, kept durably so a restart (or another instance) resumes
 * from it. Each operation is one tenant's row.
 */
export interface UsageSyncRecords {
  /** The tenant's sync so far (blank before its first). */
  status(tenantId: string): Promise<SyncStatus>;
  /** Sets the given fields of the tenant's status, leaving the others; resolves once durable. */
  record(tenantId: string, change: Partial<SyncStatus>): Promise<void>;
  /** Every tenant's, for copying them elsewhere. */
  all(): Promise<TenantSyncState[]>;
}
