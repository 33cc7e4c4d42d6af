import type { GraphProblem } from './graphPorts.js';

/** Where each tenant's usage sync stands; kept durably so a restart resumes from it. */
export interface UsageSyncState {
  tenants: TenantSyncState[];
}

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

export const emptyUsageSyncState = (): UsageSyncState => ({ tenants: [] });

/** What an admin or the operator is told about a tenant's sync. */
export type SyncStatus = Omit<TenantSyncState, 'tenantId'>;

export function tenantSyncStatus(state: UsageSyncState, tenantId: string): SyncStatus {
  const { tenantId: _tenantId, ...status } = state.tenants.find((t) => t.tenantId === tenantId) ?? blankTenantState(tenantId);
  return status;
}

/** The tenant's entry in a draft of the state, added when missing. */
export function tenantEntry(draft: UsageSyncState, tenantId: string): TenantSyncState {
  let entry = draft.tenants.find((t) => t.tenantId === tenantId);
  if (!entry) {
    entry = blankTenantState(tenantId);
    draft.tenants.push(entry);
  }
  return entry;
}

const blankTenantState = (tenantId: string): TenantSyncState => ({ tenantId, syncedThrough: null, lastSyncAt: null, lastAttemptAt: null, problem: null });
