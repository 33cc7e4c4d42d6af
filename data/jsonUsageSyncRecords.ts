import type { JsonDocument } from '../services/documentPort.js';
import { blankSyncStatus, type SyncStatus, type TenantSyncState, type UsageSyncRecords } from '../services/usageSyncState.js';
import { openJsonDocument } from './jsonDocument.js';

/** The embedded store's `graph-usage-sync.json`. */
export interface UsageSyncState {
  tenants: TenantSyncState[];
}

export const emptyUsageSyncState = (): UsageSyncState => ({ tenants: [] });

/** The usage sync's watermarks in one small JSON document (`DATA_DIR/graph-usage-sync.json`). */
export class JsonUsageSyncRecords implements UsageSyncRecords {
  constructor(private readonly document: JsonDocument<UsageSyncState>) {}

  static async open(file: string): Promise<JsonUsageSyncRecords> {
    return new JsonUsageSyncRecords(await openJsonDocument(file, emptyUsageSyncState()));
  }

  async status(tenantId: string): Promise<SyncStatus> {
    const { tenantId: _tenantId, ...status } = this.document.data.tenants.find((t) => t.tenantId === tenantId) ?? { tenantId, ...blankSyncStatus() };
    return structuredClone(status);
  }

  async record(tenantId: string, change: Partial<SyncStatus>): Promise<void> {
    await this.document.update((draft) => {
      const entry = draft.tenants.find((t) => t.tenantId === tenantId);
      if (entry) Object.assign(entry, change);
      else draft.tenants.push({ tenantId, ...blankSyncStatus(), ...change });
    });
  }

  async all(): Promise<TenantSyncState[]> {
    return structuredClone(this.document.data.tenants);
  }
}
