import type { AlertClaim, AlertDeliveries } from '../services/alertDeliveries.js';
import type { StoredAlert } from '../services/alerts.js';
import type { JsonDocument } from '../services/documentPort.js';
import type { Clock, LedgerStore } from '../services/ports.js';

/** Per pending alert, the recipients (conversations, mailboxes) that already have it. */
export type DeliveryLogData = Record<string, string[]>;

/** Where the embedded store's delivery record lives in `DATA_DIR`. */
export const EMBEDDED_DELIVERY_LOG = 'alert-deliveries.json';

/**
 * Alert deliveries beside the embedded store: the outbox is the store's, who got what is a JSON
 * document, and claims are kept in memory, since one process owns the data folder (a restart
 * starts with no claim, which is right: the process that held them is gone).
 */
export class EmbeddedAlertDeliveries implements AlertDeliveries {
  /** Tenant → when its claim's lease ends (clock milliseconds). */
  private readonly claims = new Map<string, number>();

  constructor(
    private readonly outbox: Pick<LedgerStore, 'pendingAlerts' | 'acknowledgeAlert'>,
    private readonly document: JsonDocument<DeliveryLogData>,
    private readonly clock: Clock,
    readonly leaseMs: number,
  ) {}

  async claim(maxTenants: number): Promise<AlertClaim[]> {
    const pending = await this.outbox.pendingAlerts();
    const now = this.clock.now();
    const byTenant = new Map<string, StoredAlert[]>();
    for (const stored of pending) {
      const tenantId = stored.alert.tenantId;
      if ((this.claims.get(tenantId) ?? Number.NEGATIVE_INFINITY) > now) continue;
      const alerts = byTenant.get(tenantId);
      if (alerts) alerts.push(stored);
      else if (byTenant.size < maxTenants) byTenant.set(tenantId, [stored]);
    }
    for (const tenantId of byTenant.keys()) this.claims.set(tenantId, now + this.leaseMs);
    return [...byTenant].map(([tenantId, alerts]) => ({ tenantId, alerts }));
  }

  async renew(tenantId: string): Promise<boolean> {
    if (!this.claims.has(tenantId)) return false;
    this.claims.set(tenantId, this.clock.now() + this.leaseMs);
    return true;
  }

  async release(tenantId: string, retryAfterMs = 0): Promise<void> {
    if (retryAfterMs > 0) this.claims.set(tenantId, this.clock.now() + retryAfterMs);
    else this.claims.delete(tenantId);
  }

  has(alertId: string, recipient: string): boolean {
    return this.document.data[alertId]?.includes(recipient) ?? false;
  }

  async record(alertId: string, recipient: string): Promise<void> {
    if (this.has(alertId, recipient)) return;
    await this.document.update((draft) => {
      (draft[alertId] ??= []).push(recipient);
    });
  }

  /** The outbox first: a crash between the two leaves a stale record, never an alert delivered twice. */
  async acknowledge(alertId: string): Promise<void> {
    await this.outbox.acknowledgeAlert(alertId);
    if (!this.document.data[alertId]) return;
    await this.document.update((draft) => {
      delete draft[alertId];
    });
  }
}
