import { callStartOf, dayNumber } from '../calendar.js';
import type { JournalEntry } from './journal.js';

/**
 * Every idempotency key lives in the key space of its purpose, so a key of one purpose can never
 * match another's (SPEC §1.8): an admin's card cannot replay an auto-recharge charge or pre-empt an
 * operator's grant, and the other way round. The prefixed key is what the ledger's operation map
 * holds, what the journal shows and what the payment gateway is sent. Usage record ids are the
 * fourth space: they are kept apart in the usage fingerprint table (`IdempotencyKeys.addUsage`)
 * and never reach the operation map or the gateway.
 */

/** An admin's purchase: the id of the offer the bot recorded when it showed the confirmation card. */
export const purchaseKey = (offerId: string): string => `purchase:${offerId}`;

/** One auto-recharge attempt (`recharge-N`, numbered per tenant). */
export const rechargeKey = (attemptId: string): string => `recharge:${attemptId}`;

/** An operator's grant or refund, keyed by the operator's own idempotency key. */
export const grantKey = (operatorKey: string): string => `grant:${operatorKey}`;

/** The weekly report of one tenant for one ISO week ("2026-W49"): raised once, whatever restarts or instances. */
export const weeklyReportKey = (tenantId: string, week: string): string => `report:${tenantId}:${week}`;

export const isPurchaseKey = (key: string): boolean => key.startsWith('purchase:');

export const isRechargeKey = (key: string): boolean => key.startsWith('recharge:');

/** An operator's refund of part of a lot, keyed by the operator's own idempotency key. */
export const refundKey = (operatorKey: string): string => `refund:${operatorKey}`;

/** A payment gateway's webhook event, acted on once. */
export const gatewayEventKey = (eventId: string): string => `gateway-event:${eventId}`;

/**
 * Where a key written before keys were namespaced is kept. Such a journal entry does not say which
 * purpose its key served, so it keeps a space of its own: no new key (always prefixed as above)
 * can match it, and an operator retrying a grant key of that time still finds its first outcome.
 */
export const legacyKey = (key: string): string => `legacy:${key}`;

/** The gateway key an auto-recharge attempt started before keys were namespaced was charged with. */
export const legacyRechargeChargeKey = (attemptId: string): string => `auto-${attemptId}`;

/**
 * The operation-map key of an entry that records an operation's outcome (funds added, a purchase
 * cancelled): its key as written, or, for an entry written before keys were namespaced, that key
 * in the legacy space. Null for entries whose outcome is not kept.
 */
export function outcomeKeyOf(entry: JournalEntry): string | null {
  const { detail, idempotencyKey } = entry;
  if (idempotencyKey === null) return null;
  if (detail.kind === 'funds-added') return detail.purpose ? idempotencyKey : legacyKey(idempotencyKey);
  if (detail.kind === 'purchase-cancelled') return detail.offerId !== undefined ? idempotencyKey : legacyKey(idempotencyKey);
  if (detail.kind === 'weekly-report') return idempotencyKey;
  if (detail.kind === 'funds-refunded' || detail.kind === 'gateway-event') return idempotencyKey;
  return null;
}

/**
 * The usage record id a usage entry charged, with the UTC day its call started (usage keys are
 * kept for the acceptance window, by day). Null for every other entry.
 */
export function usageKeyOf(entry: JournalEntry): { recordId: string; day: number } | null {
  const { detail } = entry;
  return detail.kind === 'usage' ? { recordId: detail.usage.recordId, day: dayNumber(callStartOf(detail.usage.startDateTime)) } : null;
}
