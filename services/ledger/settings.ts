import { err, ok, type Result } from '../result.js';
import type { Change, NoChange } from '../ports.js';
import type { Account } from './account.js';
import { ChangeDraft } from './changeDraft.js';
import type { LedgerError } from './errors.js';
import type { AutoRechargeSettings, SpendControls } from './journal.js';
import { checkAddition, type LedgerPolicy } from './policy.js';
import { startRechargeIfDue } from './autoRecharge.js';
import { isMinorInRange, type Minor } from '../money.js';
import { isTimeZone } from '../calendar.js';

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
  const cap = account.spendControls.monthlyRechargeMaxMinor;
  if (cap !== null && next.amountMinor > cap)
    return { result: err({ code: 'monthly-limit-below-recharge', limitMinor: cap, amountMinor: next.amountMinor, currency: account.currency }) };
  const current = account.autoRecharge;
  const unchanged = next.enabled === current.enabled && next.triggerMinor === current.triggerMinor && next.amountMinor === current.amountMinor;
  if (unchanged && !(next.enabled && account.recharge.paused)) return { result: ok(next) };
  const draft = new ChangeDraft(account, account.tenantId, now);
  draft.record({ detail: { kind: 'settings-changed', autoRecharge: next }, amountMinor: 0, actor, idempotencyKey: null });
  startRechargeIfDue(draft, now);
  return draft.finish(ok(next));
}

/** The most recharges a monthly count cap may allow: more is no cap at all. */
export const MAX_MONTHLY_RECHARGES = 100;

/**
 * Changes the spend controls (caps left out keep their value; null removes one). A monthly amount
 * cap must fit at least one recharge of the set amount; a count cap is 1 to MAX_MONTHLY_RECHARGES;
 * the daily alert amount is above zero. `timeZone` (the setting admin's, when known) decides the
 * months and days they count in. Lifting a cap that paused auto-recharge starts a recharge at once
 * when one is due.
 */
export function changeSpendControls(account: Account, change: Partial<SpendControls>, actor: string, now: number): Decided<SpendControls> {
  const next: SpendControls = { ...account.spendControls, ...change };
  if (change.timeZone !== undefined && !isTimeZone(change.timeZone)) next.timeZone = account.spendControls.timeZone;
  const { monthlyRechargeMaxMinor: maxMinor, monthlyRechargeMaxCount: maxCount, dailySpendAlertMinor: ceiling } = next;
  const currency = account.currency;
  if (maxMinor !== null) {
    if (!isMinorInRange(maxMinor)) return { result: err({ code: 'invalid-amount', input: String(maxMinor), reason: 'too-large' }) };
    if (maxMinor < account.autoRecharge.amountMinor)
      return { result: err({ code: 'monthly-limit-below-recharge', limitMinor: maxMinor, amountMinor: account.autoRecharge.amountMinor, currency }) };
  }
  if (maxCount !== null && !(Number.isSafeInteger(maxCount) && maxCount >= 1 && maxCount <= MAX_MONTHLY_RECHARGES))
    return { result: err({ code: 'recharge-count-invalid', input: String(maxCount), max: MAX_MONTHLY_RECHARGES }) };
  if (ceiling !== null) {
    if (ceiling <= 0) return { result: err({ code: 'amount-too-small', minMinor: 1, currency }) };
    if (!isMinorInRange(ceiling)) return { result: err({ code: 'invalid-amount', input: String(ceiling), reason: 'too-large' }) };
  }
  // The zone follows the admin who last changed a cap: a save that changes none (the card sends every field) keeps it.
  const current = account.spendControls;
  const caps = (c: SpendControls) => [c.monthlyRechargeMaxMinor, c.monthlyRechargeMaxCount, c.dailySpendAlertMinor].join('|');
  if (caps(next) === caps(current)) return { result: ok(current) };
  const draft = new ChangeDraft(account, account.tenantId, now);
  draft.record({ detail: { kind: 'settings-changed', spendControls: next }, amountMinor: 0, actor, idempotencyKey: null });
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
