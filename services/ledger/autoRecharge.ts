import { iso, monthKey, startOfNextZonedMonth } from '../calendar.js';
import type { ChargeOutcome } from '../ports.js';
import type { Account } from './account.js';
import { fundsBreakRange } from './accountRange.js';
import type { ChangeDraft } from './changeDraft.js';
import type { RechargeFailureReason, RechargeLimitKind } from './journal.js';
import { creditCharge } from './creditCharge.js';
import type { LedgerError } from './errors.js';
import { rechargeKey } from './operationKeys.js';
import type { Minor } from '../money.js';

/** After this many declines in a row auto-recharge pauses until an admin switches it on again. */
export const MAX_CONSECUTIVE_FAILURES = 3;
/** Wait before retrying after the first and second failure. */
export const RETRY_BACKOFF_MS = [15 * 60_000, 60 * 60_000] as const;

/**
 * Auto-recharge is on, not paused or waiting, nothing in flight, the balance below the trigger,
 * and the amount fits the account range (a charged recharge is always credited).
 */
export function rechargeDue(account: Account, now: number): boolean {
  const { autoRecharge, recharge } = account;
  return (
    autoRecharge.enabled &&
    !recharge.paused &&
    !recharge.waitingForPaymentMethod &&
    recharge.inFlight === null &&
    account.balanceMinor < autoRecharge.triggerMinor &&
    (recharge.nextRetryAt === null || now >= recharge.nextRetryAt) &&
    !fundsBreakRange(account, autoRecharge.amountMinor)
  );
}

/** What the tenant's current calendar month has taken by auto-recharge (credited recharges). */
export function rechargedThisMonth(account: Pick<Account, 'recharge' | 'spendControls'>, now: number): { month: string; recharges: number; addedMinor: Minor } {
  const month = monthKey(now, account.spendControls.timeZone);
  const { monthly } = account.recharge;
  return monthly.month === month ? { ...monthly } : { month, recharges: 0, addedMinor: 0 };
}

/**
 * The monthly cap one more recharge of the set amount would pass, if any. Decided from the
 * account's own tally inside the change that would start it, and only one attempt is ever in
 * flight, so no interleaving of changes or instances can make one recharge too many.
 */
export function monthlyCapReached(account: Account, now: number): RechargeLimitKind | null {
  const { monthlyRechargeMaxMinor: maxMinor, monthlyRechargeMaxCount: maxCount } = account.spendControls;
  const month = rechargedThisMonth(account, now);
  if (maxCount !== null && month.recharges + 1 > maxCount) return 'count';
  if (maxMinor !== null && month.addedMinor + account.autoRecharge.amountMinor > maxMinor) return 'amount';
  return null;
}

/** Auto-recharge is paused for the rest of this month by its monthly cap. */
export const pausedForMonth = (account: Pick<Account, 'recharge' | 'spendControls'>, now: number): boolean =>
  account.recharge.limitedMonth !== null && account.recharge.limitedMonth === monthKey(now, account.spendControls.timeZone);

/**
 * Starts an attempt inside the change that left the balance below the trigger, so concurrent
 * changes (serialised per tenant) can never start two: the second sees the one in flight. When
 * the monthly cap would be passed it starts none: auto-recharge pauses for the rest of the month,
 * recorded once, and admins hear why and how to lift it.
 */
export function startRechargeIfDue(draft: ChangeDraft, now: number): void {
  const account = draft.account;
  if (!account || !rechargeDue(account, now)) return;
  const limit = monthlyCapReached(account, now);
  if (limit) {
    if (pausedForMonth(account, now)) return;
    const { month, recharges, addedMinor } = rechargedThisMonth(account, now);
    draft.record({
      detail: { kind: 'auto-recharge-limited', month, limit, rechargedMinor: addedMinor, recharges },
      amountMinor: 0,
      actor: 'system',
      idempotencyKey: null,
    });
    const { monthlyRechargeMaxMinor, monthlyRechargeMaxCount, timeZone } = account.spendControls;
    draft.raise({
      tenantId: account.tenantId,
      currency: account.currency,
      balanceMinor: account.balanceMinor,
      at: iso(now),
      type: 'auto-recharge-limited',
      limit,
      month,
      maxMinor: monthlyRechargeMaxMinor,
      maxCount: monthlyRechargeMaxCount,
      rechargedMinor: addedMinor,
      recharges,
      resumesAt: iso(startOfNextZonedMonth(now, timeZone)),
    });
    return;
  }
  const attemptId = `recharge-${account.recharge.attemptsStarted + 1}`;
  draft.record({
    detail: {
      kind: 'auto-recharge-started',
      attemptId,
      amountMinor: account.autoRecharge.amountMinor,
      month: monthKey(now, account.spendControls.timeZone),
    },
    amountMinor: 0,
    actor: 'system',
    // The key the card is charged with, in the auto-recharge key space.
    idempotencyKey: rechargeKey(attemptId),
  });
}

/**
 * Records what the payment gateway said about the attempt in flight: a lot of exactly what was
 * charged on success; on failure a back-off, a pause after the third failure in a row, or a wait
 * for a new payment method when the card is expired or missing. Admins hear of the first failure
 * and of the pause. A charge that cannot be credited (another currency than the account's) is
 * returned as an error and leaves the attempt in flight.
 */
export function completeRecharge(draft: ChangeDraft, attemptId: string, outcome: ChargeOutcome, now: number): LedgerError | null {
  const account = draft.account;
  const attempt = account?.recharge.inFlight;
  if (!account || !attempt || attempt.attemptId !== attemptId) return null;
  const base = { tenantId: account.tenantId, currency: account.currency, at: iso(now) };
  if (outcome.ok) {
    const credited = creditCharge(draft, {
      key: rechargeKey(attemptId),
      purpose: 'recharge',
      chargeId: outcome.chargeId,
      amountMinor: outcome.amountMinor,
      currency: outcome.currency,
      actor: 'system',
      note: null,
    });
    if (!credited.ok) return credited.error;
    draft.raise({ ...base, balanceMinor: account.balanceMinor, type: 'auto-recharge-succeeded', amountMinor: outcome.amountMinor, attemptId });
    return null;
  }
  // A refusal of the key charged nothing; the next attempt has a key of its own.
  const reason: RechargeFailureReason = outcome.reason === 'key-reused' ? 'gateway-error' : outcome.reason;
  const consecutiveFailures = account.recharge.consecutiveFailures + 1;
  const paused = consecutiveFailures >= MAX_CONSECUTIVE_FAILURES;
  const waits = reason === 'expired-card' || reason === 'no-payment-method';
  const retryAt = paused || waits ? null : iso(now + RETRY_BACKOFF_MS[Math.min(consecutiveFailures, RETRY_BACKOFF_MS.length) - 1]!);
  draft.record({
    detail: { kind: 'auto-recharge-failed', attemptId, reason, consecutiveFailures, paused, retryAt },
    amountMinor: 0,
    actor: 'system',
    idempotencyKey: null,
  });
  if (consecutiveFailures === 1 || paused) {
    draft.raise({ ...base, balanceMinor: account.balanceMinor, type: 'auto-recharge-failed', attemptId, reason, consecutiveFailures, paused, retryAt });
  }
  return null;
}

export type RechargeStatus = 'off' | 'ready' | 'in-flight' | 'retrying' | 'waiting-for-payment-method' | 'paused' | 'limited-this-month';

/**
 * One word for where auto-recharge stands, for cards and the operator API. With `now`, also
 * whether a monthly-cap pause still holds (it ends with the month); without, that pause reads as ready.
 */
export function rechargeStatus(account: Pick<Account, 'autoRecharge' | 'recharge' | 'spendControls'>, now?: number): RechargeStatus {
  const { autoRecharge, recharge } = account;
  if (!autoRecharge.enabled) return 'off';
  if (recharge.inFlight) return 'in-flight';
  if (recharge.paused) return 'paused';
  if (now !== undefined && pausedForMonth(account, now)) return 'limited-this-month';
  if (recharge.waitingForPaymentMethod) return 'waiting-for-payment-method';
  if (recharge.nextRetryAt !== null) return 'retrying';
  return 'ready';
}
