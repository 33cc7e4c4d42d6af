import { iso } from '../services/calendar.js';
import type { Runway, CallTypeDestinationRow } from '../services/insight/runway.js';
import { rechargedThisMonth, rechargeStatus } from '../services/ledger/autoRecharge.js';
import { startOfNextZonedMonth } from '../services/calendar.js';
import { isCardExpired } from '../services/payments/cardExpiry.js';
import { accountStatus, type Account, type Lot } from '../services/ledger/account.js';
import type { EntryKind, JournalEntry, RechargeFailureReason } from '../services/ledger/journal.js';
import type { CardOnFile } from '../services/ports.js';
import { RECOVERED_NOTE } from '../services/ledgerService.js';
import { regionCodeOf } from './destinations.js';
import type {
  AutoRechargeViewModel,
  BalanceViewModel,
  CardOnFileViewModel,
  HistoryEntryViewModel,
  HistoryView,
  DestinationCallViewModel,
  LotViewModel,
  SpendControlsViewModel,
  TransactionViewModel,
  UsageViewModel,
} from './viewModels.js';

/**
 * From the ledger's types to view models: the few derivations the bot would otherwise repeat
 * (which auto-recharge state to show, whether a card has expired). Pure; reads nothing else.
 */

/** `now` tells whether a monthly-cap pause still holds; without it such a pause shows as on. */
export function autoRechargeViewModel(account: Pick<Account, 'autoRecharge' | 'recharge' | 'spendControls'>, now?: number): AutoRechargeViewModel {
  const { autoRecharge: settings, recharge } = account;
  const base = { triggerMinor: settings.triggerMinor, amountMinor: settings.amountMinor, consecutiveFailures: recharge.consecutiveFailures };
  switch (rechargeStatus(account, now)) {
    case 'limited-this-month':
      return { ...base, state: 'limited', resumesAt: iso(startOfNextZonedMonth(now!, account.spendControls.timeZone)) };
    case 'off':
      return { ...base, state: 'off' };
    case 'in-flight':
      return { ...base, state: 'in-progress', inFlightMinor: recharge.inFlight!.amountMinor };
    case 'paused':
      return { ...base, state: 'paused' };
    case 'waiting-for-payment-method':
      return { ...base, state: 'waiting-for-payment-method' };
    case 'retrying':
      return { ...base, state: 'retrying', nextRetryAt: iso(recharge.nextRetryAt!) };
    case 'ready':
      return { ...base, state: 'on' };
  }
}

export function spendControlsViewModel(account: Pick<Account, 'recharge' | 'spendControls'>, now: number): SpendControlsViewModel {
  const controls = account.spendControls;
  const month = rechargedThisMonth(account, now);
  return {
    monthlyMaxMinor: controls.monthlyRechargeMaxMinor,
    monthlyMaxCount: controls.monthlyRechargeMaxCount,
    dailyAlertMinor: controls.dailySpendAlertMinor,
    thisMonth: { recharges: month.recharges, addedMinor: month.addedMinor },
    timeZone: controls.timeZone,
  };
}

/** `test`: the sandbox gateway holds it (every card it has is a test card). */
export function cardOnFileViewModel(card: CardOnFile | null, now: number, test = false): CardOnFileViewModel | null {
  if (!card) return null;
  return { brand: card.brand, last4: card.last4, expMonth: card.expMonth, expYear: card.expYear, expired: isCardExpired(card, now), ...(test ? { test } : {}) };
}

export const lotViewModel = (lot: Lot): LotViewModel => ({ remainingMinor: lot.remainingMinor, expiresAt: iso(lot.expiresAt), source: lot.source });

export function transactionViewModel(entry: JournalEntry): TransactionViewModel {
  const vm: TransactionViewModel = { kind: entry.kind, amountMinor: entry.amountMinor, at: entry.at };
  if (entry.detail.kind === 'funds-added') vm.source = entry.detail.source;
  return vm;
}

/**
 * What a history shows. Everything, but not the confirmation cards' bookkeeping (shown, being
 * charged, cancelled: nothing happened to money); a failed payment stays, since the admin needs
 * to see the attempt. The money view: money in and out, and the payments that failed.
 */
/** Entries that record how a payment is going, not money: the confirmation cards' and the payment gateway's. */
const BOOKKEEPING: ReadonlySet<JournalEntry['kind']> = new Set([
  'purchase-offered',
  'purchase-charging',
  'purchase-cancelled',
  'payment-customer-linked',
  'payment-authenticating',
  'gateway-event',
]);

export function isShownInHistory(entry: Pick<JournalEntry, 'kind'>, view: HistoryView): boolean {
  if (entry.kind === 'purchase-failed' || entry.kind === 'auto-recharge-failed') return true;
  if (view === 'money') return isMoneyInOrOut(entry);
  return !BOOKKEEPING.has(entry.kind);
}

/** When an entry happened, as a history dates it: a call when it started (however late it was imported). */
export function historyTime(entry: JournalEntry): string {
  return entry.detail.kind === 'usage' && !Number.isNaN(Date.parse(entry.detail.usage.startDateTime)) ? entry.detail.usage.startDateTime : entry.at;
}

/** `actorName` turns a user id into a display name when the bot knows one. A call is dated by when it started. */
export function historyEntryViewModel(entry: JournalEntry, actorName: (actor: string) => string = (actor) => actor): HistoryEntryViewModel {
  const vm: HistoryEntryViewModel = {
    id: entry.id,
    kind: entry.kind,
    amountMinor: entry.amountMinor,
    balanceAfterMinor: entry.balanceAfterMinor,
    at: entry.at,
    actor: entry.actor === 'system' || entry.actor === 'operator' ? entry.actor : actorName(entry.actor),
  };
  const detail = entry.detail;
  if (detail.kind === 'funds-added') {
    vm.source = detail.source;
    if (detail.note) vm.note = detail.note === RECOVERED_NOTE ? { kind: 'recovered' } : { kind: 'text', text: detail.note };
  } else if (detail.kind === 'usage') {
    const where = detail.usage.destinationName ?? detail.usage.destinationContext;
    if (where) vm.note = { kind: 'destination', name: where };
    vm.at = historyTime(entry);
    if (detail.usage.userId) vm.caller = actorName(detail.usage.userId);
  } else if (detail.kind === 'payment-method-changed') {
    const card = detail.card ?? legacyCard(detail.description);
    vm.note = card ? { kind: 'card', brand: card.brand, last4: card.last4 } : { kind: 'text', text: detail.description };
  } else if (detail.kind === 'settings-changed') {
    vm.note = {
      kind: 'settings',
      ...(detail.autoRecharge ? { autoRecharge: { ...detail.autoRecharge } } : {}),
      ...(detail.lowBalanceAlertMinor !== undefined ? { lowBalanceAlertMinor: detail.lowBalanceAlertMinor } : {}),
      ...(detail.spendControls
        ? {
            spendControls: {
              monthlyMaxMinor: detail.spendControls.monthlyRechargeMaxMinor,
              monthlyMaxCount: detail.spendControls.monthlyRechargeMaxCount,
              dailyAlertMinor: detail.spendControls.dailySpendAlertMinor,
            },
          }
        : {}),
      ...(detail.weeklyReportSchedule ? { weeklyReportSchedule: { ...detail.weeklyReportSchedule } } : {}),
      ...(detail.weeklyReportOptOut ? { weeklyReportOff: detail.weeklyReportOptOut.optedOut } : {}),
    };
  } else if (detail.kind === 'expiry-reminder') {
    vm.note = { kind: 'expires', at: detail.expiresAt };
  } else if (detail.kind === 'purchase-failed' || detail.kind === 'auto-recharge-failed') {
    vm.failure = detail.reason;
  }
  return vm;
}

/** A card change recorded before the card was kept as data: "Mastercard ending 0002". */
function legacyCard(description: string): { brand: string; last4: string } | null {
  const match = /^(.{1,30}) ending (\d{4})$/.exec(description);
  return match ? { brand: match[1]!, last4: match[2]! } : null;
}

/**
 * Money in and out, as an admin reads a statement: funds added (purchases, auto-recharges,
 * grants and refunds), funds refunded to the card, and funds expired. Calls are money out too, but one entry each: they are
 * summed per day instead.
 */
export const MONEY_IN_OR_OUT: readonly EntryKind[] = ['funds-added', 'expired', 'funds-refunded'];
export const isMoneyInOrOut = (entry: Pick<JournalEntry, 'kind'>): boolean => MONEY_IN_OR_OUT.includes(entry.kind);

/**
 * The balance card's data. `recent` holds the latest journal entries the bot read (any order):
 * money in and out, and the auto-recharge failures among them. `wholeJournal`: they are all the
 * account has, so a tenant that never had funds can be told apart.
 */
export function balanceViewModel(
  account: Account,
  recent: JournalEntry[],
  options: { now: number; insight?: BalanceViewModel['insight']; cardOnFile?: CardOnFileViewModel | null; wholeJournal?: boolean },
): BalanceViewModel {
  const newestFirst = [...recent].sort((a, b) => Number(b.id) - Number(a.id));
  const vm: BalanceViewModel = {
    currency: account.currency,
    balanceMinor: account.balanceMinor,
    status: accountStatus(account),
    autoRecharge: autoRechargeViewModel(account, options.now),
    lowBalanceAlertMinor: account.lowBalanceAlertMinor,
    lots: account.lots.map(lotViewModel),
    recent: newestFirst.filter(isMoneyInOrOut).map(transactionViewModel),
    asOf: iso(options.now),
    rechargeFailure: account.recharge.consecutiveFailures > 0 ? lastRechargeFailure(newestFirst) : null,
    newTenant: Boolean(options.wholeJournal) && neverFunded(account, newestFirst),
  };
  if (options.cardOnFile !== undefined) vm.cardOnFile = options.cardOnFile;
  if (options.insight) vm.insight = options.insight;
  return vm;
}

function lastRechargeFailure(newestFirst: JournalEntry[]): RechargeFailureReason | null {
  const failed = newestFirst.find((entry) => entry.detail.kind === 'auto-recharge-failed');
  return failed?.detail.kind === 'auto-recharge-failed' ? failed.detail.reason : null;
}

/** No funds were ever added or used and no recharge tried: the account is as it was opened. */
function neverFunded(account: Account, journal: JournalEntry[]): boolean {
  return (
    account.balanceMinor === 0 &&
    account.lots.length === 0 &&
    account.lastUsageAt === null &&
    account.recharge.attemptsStarted === 0 &&
    !journal.some((entry) => entry.amountMinor !== 0 || isMoneyInOrOut(entry))
  );
}

/** The usage card's data from `usageByCallTypeAndDestination` (seconds become minutes) and `runway`. */
export function usageViewModel(
  breakdown: { rows: CallTypeDestinationRow[]; total: { minor: number } },
  period: { currency: string; from: number; to: number },
  forecast?: Runway,
): UsageViewModel {
  const vm: UsageViewModel = {
    currency: period.currency,
    from: iso(period.from),
    to: iso(period.to),
    rows: breakdown.rows.map((row) => ({
      callType: row.callType,
      destination: row.destination,
      count: row.calls,
      minutes: Math.round(row.seconds / 6) / 10,
      amountMinor: row.minor,
    })),
    totalMinor: breakdown.total.minor,
  };
  if (forecast) {
    vm.runway = {
      daysLeft: forecast.daysLeft,
      until: forecast.until,
      dailyBurnMinor: forecast.dailyBurnMinor,
      suggestedRechargeMinor: forecast.suggestedRechargeMinor,
    };
  }
  return vm;
}

/**
 * A call to `destination` (matched by its region code, so "Korea, Republic of" is "South Korea"),
 * or null for any other entry. `callerName` turns a user id into a display name.
 */
export function destinationCallViewModel(entry: JournalEntry, destination: string, callerName: (userId: string) => string): DestinationCallViewModel | null {
  if (entry.detail.kind !== 'usage') return null;
  const usage = entry.detail.usage;
  if (!usage.destinationName || !sameDestination(usage.destinationName, destination)) return null;
  return { at: historyTime(entry), caller: usage.userId ? callerName(usage.userId) : null, seconds: usage.durationSeconds, amountMinor: -entry.amountMinor };
}

function sameDestination(a: string, b: string): boolean {
  if (a.trim().toLowerCase() === b.trim().toLowerCase()) return true;
  const code = regionCodeOf(a);
  return code !== null && code === regionCodeOf(b);
}
