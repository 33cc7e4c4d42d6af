import type { StoredAlert } from './alerts.js';

/**
 * Who already got an alert still being delivered. A sink records each recipient right after the
 * send and checks before it, so an alert delivered again (after a restart, or by the instance that
 * took over a claim) reaches only those it had not reached.
 */
export interface DeliveryRecord {
  /** Whether `recipient` has the alert; answers for the alerts of tenants this process holds a claim on. */
  has(alertId: string, recipient: string): boolean;
  record(alertId: string, recipient: string): Promise<void>;
}

/** A tenant's unacknowledged alerts, oldest first, held by one claimer until its lease ends. */
export interface AlertClaim {
  tenantId: string;
  alerts: StoredAlert[];
}

/**
 * The alert outbox seen by the instances that deliver it. A tenant's alerts are claimed together by
 * one instance at a time, so they arrive in the order they were raised, with a lease: a claim not
 * renewed (its instance died or lost the database) can be claimed again once the lease ends. An
 * alert is acknowledged (removed with its delivery records) once every sink took it.
 */
export interface AlertDeliveries extends DeliveryRecord {
  /**
   * Claims the unacknowledged alerts of up to `maxTenants` tenants whose alerts no live claim
   * holds (this claimer's own live claims included), oldest tenant first, for the lease time.
   */
  claim(maxTenants: number): Promise<AlertClaim[]>;
  /** Extends this claimer's lease on the tenant; false when the claim is no longer its own. */
  renew(tenantId: string): Promise<boolean>;
  /** Removes the alert and what was recorded of its delivery (an unknown id: nothing to do). */
  acknowledge(alertId: string): Promise<void>;
  /** Gives up the claim: anyone may claim the tenant's alerts again after `retryAfterMs` (default at once). */
  release(tenantId: string, retryAfterMs?: number): Promise<void>;
  /** How long a claim lasts unless renewed. */
  readonly leaseMs: number;
}
