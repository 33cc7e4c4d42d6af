import { addDays, iso } from '../calendar.js';
import type { Change, NoChange } from '../ports.js';
import type { Account } from './account.js';
import { ChangeDraft } from './changeDraft.js';
import { startRechargeIfDue } from './autoRecharge.js';

/** Admins are reminded this many days before funds expire. */
export const EXPIRY_REMINDER_DAYS = [30, 7, 1] as const;

export interface SweepOutcome {
  expiredLots: number;
  reminders: number;
}

/**
 * Forfeits what is left of lots 12 months after purchase and reminds admins of lots about to
 * expire. A reminder threshold passed while the bot was down is recorded, but only the most
 * urgent one is raised.
 */
export function expireLots(account: Account, now: number): Change<SweepOutcome> | NoChange<SweepOutcome> {
  const draft = new ChangeDraft(account, account.tenantId, now);
  const outcome: SweepOutcome = { expiredLots: 0, reminders: 0 };
  const base = { tenantId: account.tenantId, currency: account.currency, at: iso(now) };
  for (const lot of account.lots.filter((l) => l.expiresAt <= now)) {
    const amount = lot.remainingMinor;
    draft.record({ detail: { kind: 'expired', lotId: lot.id }, amountMinor: -amount, actor: 'system', idempotencyKey: null });
    draft.raise({ ...base, balanceMinor: account.balanceMinor, type: 'funds-expired', lotId: lot.id, amountMinor: amount });
    outcome.expiredLots++;
  }
  for (const lot of account.lots) {
    const due = EXPIRY_REMINDER_DAYS.filter((d) => !lot.remindersSent.includes(d) && now >= addDays(lot.expiresAt, -d));
    if (due.length === 0) continue;
    for (const days of due) {
      draft.record({
        detail: { kind: 'expiry-reminder', lotId: lot.id, days, expiresAt: iso(lot.expiresAt) },
        amountMinor: 0,
        actor: 'system',
        idempotencyKey: null,
      });
    }
    const days = Math.min(...due);
    draft.raise({
      ...base,
      balanceMinor: account.balanceMinor,
      type: 'funds-expiring',
      lotId: lot.id,
      days,
      remainingMinor: lot.remainingMinor,
      expiresAt: iso(lot.expiresAt),
    });
    outcome.reminders++;
  }
  startRechargeIfDue(draft, now);
  return draft.finish(outcome);
}
