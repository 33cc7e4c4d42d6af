import { err, ok, type Result } from '../result.js';
import type { Change, NoChange } from '../ports.js';
import type { Account } from './account.js';
import { ChangeDraft } from './changeDraft.js';
import type { LedgerError } from './errors.js';
import type { AutoRechargeSettings } from './journal.js';
import { checkAddition, type LedgerPolicy } from './policy.js';
import { startRechargeIfDue } from './autoRecharge.js';
import type { Minor } from '../money.js';

type Decided<T> = Change<Result<T, LedgerError>> | NoChange<Result<T, LedgerError>>;

/**
 * Changes auto-recharge: on/off, the trigger ("when the balance is below") and the amount ("add
 * this amount"). Fields left out keep their value. Switching it on when the balance is already
 * below the trigger starts an attempt at once.
 */
export function changeAutoRecharge(
  account: Account,
  change: Partial<AutoRechargeSettings>,
  actor: string,
  policy: LedgerPolicy,
  now: number,
): Decided<AutoRechargeSettings> {
  const next: AutoRechargeSettings = { ...account.autoRecharge, ...change };
  if (next.triggerMinor < 0) return { result: err({ code: 'trigger-negative' }) };
  if (change.amountMinor !== undefined || next.enabled) {
    const amount = checkAddition(next.amountMinor, policy, account.currency);
    if (!amount.ok) return { result: amount };
  }
  const current = account.autoRecharge;
  const unchanged = next.enabled === current.enabled && next.triggerMinor === current.triggerMinor && next.amountMinor === current.amountMinor;
  if (unchanged && !(next.enabled && account.recharge.paused)) return { result: ok(next) };
  const draft = new ChangeDraft(account, account.tenantId, now);
  draft.record({ detail: { kind: 'settings-changed', autoRecharge: next }, amountMinor: 0, actor, idempotencyKey: null });
  startRechargeIfDue(draft, now);
  return draft.finish(ok(next));
}

/** The balance under which admins get a low-balance alert; zero or more. */
export function changeLowBalanceAlert(account: Account, thresholdMinor: Minor, actor: string, now: number): Decided<Minor> {
  if (thresholdMinor < 0) return { result: err({ code: 'trigger-negative' }) };
  if (thresholdMinor === account.lowBalanceAlertMinor) return { result: ok(thresholdMinor) };
  const draft = new ChangeDraft(account, account.tenantId, now);
  draft.record({ detail: { kind: 'settings-changed', lowBalanceAlertMinor: thresholdMinor }, amountMinor: 0, actor, idempotencyKey: null });
  return draft.finish(ok(thresholdMinor));
}

/** A new card on file lets auto-recharge try again after an expired card or a pause. */
export function recordPaymentMethodChange(
  account: Account,
  description: string,
  actor: string,
  now: number,
  card?: { brand: string; last4: string },
): Change<null> | NoChange<null> {
  const draft = new ChangeDraft(account, account.tenantId, now);
  draft.record({
    detail: { kind: 'payment-method-changed', description, ...(card ? { card: { brand: card.brand, last4: card.last4 } } : {}) },
    amountMinor: 0,
    actor,
    idempotencyKey: null,
  });
  startRechargeIfDue(draft, now);
  return draft.finish(null);
}
