import { iso } from '../../services/calendar.js';
import { accountStatus, type Account } from '../../services/ledger/account.js';
import { rechargedThisMonth, rechargeStatus } from '../../services/ledger/autoRecharge.js';
import type { JournalEntry } from '../../services/ledger/journal.js';
import { toDecimalString } from '../../services/money.js';
import type { AccountJson, AccountSyncExtras, JournalEntryJson } from './responseSchemas.js';

/**
 * The account as the operator API shows it (SPEC §3): decimal strings beside minor units, ISO
 * times. `now` (the ledger's) tells whether a monthly-cap pause holds and what this month took.
 */
export function accountJson(account: Account, now: number, extras: Partial<AccountSyncExtras> = {}): AccountJson {
  const money = (minor: number) => toDecimalString(minor, account.currency);
  const controls = account.spendControls;
  const month = rechargedThisMonth(account, now);
  return {
    tenantId: account.tenantId,
    currency: account.currency,
    balance: money(account.balanceMinor),
    balanceMinor: account.balanceMinor,
    status: accountStatus(account),
    autoRecharge: {
      enabled: account.autoRecharge.enabled,
      status: rechargeStatus(account, now),
      trigger: money(account.autoRecharge.triggerMinor),
      triggerMinor: account.autoRecharge.triggerMinor,
      amount: money(account.autoRecharge.amountMinor),
      amountMinor: account.autoRecharge.amountMinor,
      consecutiveFailures: account.recharge.consecutiveFailures,
      nextRetryAt: account.recharge.nextRetryAt === null ? null : iso(account.recharge.nextRetryAt),
    },
    spendControls: {
      monthlyRechargeMax: controls.monthlyRechargeMaxMinor === null ? null : money(controls.monthlyRechargeMaxMinor),
      monthlyRechargeMaxMinor: controls.monthlyRechargeMaxMinor,
      monthlyRechargeMaxCount: controls.monthlyRechargeMaxCount,
      dailySpendAlert: controls.dailySpendAlertMinor === null ? null : money(controls.dailySpendAlertMinor),
      dailySpendAlertMinor: controls.dailySpendAlertMinor,
      timeZone: controls.timeZone,
      thisMonth: { month: month.month, recharges: month.recharges, addedMinor: month.addedMinor },
    },
    lowBalanceAlert: money(account.lowBalanceAlertMinor),
    lowBalanceAlertMinor: account.lowBalanceAlertMinor,
    lots: account.lots.map((lot) => ({
      id: lot.id,
      purchasedAt: iso(lot.purchasedAt),
      expiresAt: iso(lot.expiresAt),
      originalMinor: lot.originalMinor,
      remainingMinor: lot.remainingMinor,
      source: lot.source,
    })),
    lastUsageAt: account.lastUsageAt === null ? null : iso(account.lastUsageAt),
    journalEntries: account.entryCount,
    ...extras,
  };
}

/** A journal entry as the operator API shows it: the SPEC's fields first, the detail after. */
export function journalEntryJson(entry: JournalEntry): JournalEntryJson {
  const { id, tenantId, kind, amountMinor, balanceAfterMinor, at, actor, idempotencyKey, detail } = entry;
  const { kind: _kind, ...rest } = detail;
  return { id, tenantId, kind, amountMinor, balanceAfterMinor, at, actor, idempotencyKey, detail: rest };
}
