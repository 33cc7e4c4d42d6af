import type pg from 'pg';
import type { AlertClaim, AlertDeliveries } from '../../services/alertDeliveries.js';
import type { Alert } from '../../services/alerts.js';
import { alertId, parseAlertId } from './alertId.js';
import { keyFromText, keyText } from './keyText.js';

/** Tenants with unacknowledged alerts and no live claim, oldest first: a read, locking nothing. */
const CLAIMABLE_TENANTS = `
SELECT o.tenant_id FROM alert_outbox o LEFT JOIN alert_claims c ON c.tenant_id = o.tenant_id
WHERE c.lease_until IS NULL OR c.lease_until <= now()
GROUP BY o.tenant_id ORDER BY min(o.raised_at), o.tenant_id LIMIT $1`;

/**
 * Takes a tenant's claim if its lease has ended. Instances claiming at once skip the row another
 * is locking (SKIP LOCKED); a row another claimed meanwhile is re-read when locked and no longer
 * qualifies, so one instance gets it.
 */
const TAKE_CLAIM = `
UPDATE alert_claims SET holder = $2, lease_until = now() + $3 * interval '1 millisecond'
WHERE tenant_id = (SELECT tenant_id FROM alert_claims WHERE tenant_id = $1 AND lease_until <= now() FOR UPDATE SKIP LOCKED)`;

/** The tenant's alerts, oldest first, each with the recipients that already have it. */
const CLAIMED_ALERTS = `
SELECT o.alert_no, o.alert, ARRAY(SELECT d.recipient FROM alert_deliveries d WHERE d.tenant_id = o.tenant_id AND d.alert_no = o.alert_no) AS recipients
FROM alert_outbox o WHERE o.tenant_id = $1 ORDER BY o.alert_no`;

/**
 * Alert deliveries shared by every instance on the database: claims in `alert_claims` (a lease per
 * tenant), who got what in `alert_deliveries`, the alerts in the ledger's `alert_outbox`. Every
 * statement but the look for claimable tenants touches one tenant. What the claimed tenants'
 * recipients already have is read when claimed and kept here while the claim lasts.
 */
export class PostgresAlertDeliveries implements AlertDeliveries {
  /** Alert id → recipients that have it, for the alerts of tenants this claimer holds. */
  private readonly delivered = new Map<string, Set<string>>();

  constructor(
    private readonly pool: pg.Pool,
    /** Names this claimer (instance) in `alert_claims.holder`. */
    private readonly holder: string,
    readonly leaseMs: number,
  ) {}

  async claim(maxTenants: number): Promise<AlertClaim[]> {
    const { rows } = await this.pool.query<{ tenant_id: string }>(CLAIMABLE_TENANTS, [maxTenants]);
    const claims: AlertClaim[] = [];
    for (const { tenant_id: key } of rows) {
      await this.pool.query('INSERT INTO alert_claims (tenant_id) VALUES ($1) ON CONFLICT DO NOTHING', [key]);
      const taken = await this.pool.query(TAKE_CLAIM, [key, this.holder, this.leaseMs]);
      if (taken.rowCount !== 1) continue;
      const tenantId = keyFromText(key);
      const alerts = await this.pool.query<{ alert_no: string; alert: Alert; recipients: string[] }>(CLAIMED_ALERTS, [key]);
      if (alerts.rows.length === 0) {
        // Acknowledged since the look: nothing to deliver.
        await this.release(tenantId);
        continue;
      }
      claims.push({
        tenantId,
        alerts: alerts.rows.map((row) => {
          const id = alertId(tenantId, Number(row.alert_no));
          this.delivered.set(id, new Set(row.recipients));
          return { id, alert: row.alert };
        }),
      });
    }
    return claims;
  }

  async renew(tenantId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      "UPDATE alert_claims SET lease_until = now() + $3 * interval '1 millisecond' WHERE tenant_id = $1 AND holder = $2",
      [keyText(tenantId), this.holder, this.leaseMs],
    );
    return rowCount === 1;
  }

  async release(tenantId: string, retryAfterMs = 0): Promise<void> {
    await this.pool.query("UPDATE alert_claims SET lease_until = now() + $3 * interval '1 millisecond' WHERE tenant_id = $1 AND holder = $2", [
      keyText(tenantId),
      this.holder,
      Math.max(0, Math.floor(retryAfterMs)),
    ]);
    for (const id of this.delivered.keys()) if (parseAlertId(id)?.tenantId === tenantId) this.delivered.delete(id);
  }

  has(alertId: string, recipient: string): boolean {
    return this.delivered.get(alertId)?.has(recipient) ?? false;
  }

  async record(id: string, recipient: string): Promise<void> {
    const parsed = parseAlertId(id);
    if (!parsed) return;
    try {
      await this.pool.query('INSERT INTO alert_deliveries (tenant_id, alert_no, recipient) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
        keyText(parsed.tenantId),
        parsed.alertNo,
        recipient,
      ]);
    } catch (error) {
      // The alert was acknowledged meanwhile (by an instance that took the claim over): nothing left to record.
      if ((error as { code?: unknown }).code !== '23503') throw error;
    }
    this.delivered.get(id)?.add(recipient);
  }

  async acknowledge(id: string): Promise<void> {
    const parsed = parseAlertId(id);
    if (parsed) await this.pool.query('DELETE FROM alert_outbox WHERE tenant_id = $1 AND alert_no = $2', [keyText(parsed.tenantId), parsed.alertNo]);
    this.delivered.delete(id);
  }
}
