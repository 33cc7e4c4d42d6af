import type pg from 'pg';
import { blankSyncStatus, type SyncStatus, type TenantSyncState, type UsageSyncRecords } from '../../services/usageSyncState.js';
import { keyFromText, keyText } from './keyText.js';

interface SyncRow {
  tenant_id: string;
  synced_through: Date | null;
  last_sync_at: Date | null;
  last_attempt_at: Date | null;
  problem: SyncStatus['problem'];
}

/** The columns of each status field. */
const COLUMNS = { syncedThrough: 'synced_through', lastSyncAt: 'last_sync_at', lastAttemptAt: 'last_attempt_at', problem: 'problem' } as const;

/** The usage sync's watermarks in PostgreSQL (`usage_sync`), one row per tenant. */
export class PostgresUsageSyncRecords implements UsageSyncRecords {
  constructor(private readonly pool: pg.Pool) {}

  async status(tenantId: string): Promise<SyncStatus> {
    const { rows } = await this.pool.query<SyncRow>('SELECT * FROM usage_sync WHERE tenant_id = $1', [keyText(tenantId)]);
    if (!rows[0]) return blankSyncStatus();
    const { tenantId: _tenantId, ...status } = stateOf(rows[0]);
    return status;
  }

  async record(tenantId: string, change: Partial<SyncStatus>): Promise<void> {
    // Only the fields given are set; the upsert leaves the others as they are.
    const fields = (Object.keys(COLUMNS) as Array<keyof SyncStatus>).filter((field) => field in change);
    if (fields.length === 0) return;
    const values = fields.map((field) => (field === 'problem' ? (change.problem ? JSON.stringify(change.problem) : null) : (change[field] ?? null)));
    const columns = fields.map((field) => COLUMNS[field]);
    await this.pool.query(
      `INSERT INTO usage_sync (tenant_id, ${columns.join(', ')}) VALUES ($1, ${columns.map((_, i) => `$${i + 2}`).join(', ')})
       ON CONFLICT (tenant_id) DO UPDATE SET ${columns.map((column) => `${column} = EXCLUDED.${column}`).join(', ')}`,
      [keyText(tenantId), ...values],
    );
  }

  async all(): Promise<TenantSyncState[]> {
    const { rows } = await this.pool.query<SyncRow>('SELECT * FROM usage_sync ORDER BY tenant_id');
    return rows.map(stateOf);
  }
}

const isoOrNull = (time: Date | null) => (time === null ? null : new Date(time).toISOString());

function stateOf(row: SyncRow): TenantSyncState {
  return {
    tenantId: keyFromText(row.tenant_id),
    syncedThrough: isoOrNull(row.synced_through),
    lastSyncAt: isoOrNull(row.last_sync_at),
    lastAttemptAt: isoOrNull(row.last_attempt_at),
    problem: row.problem,
  };
}
