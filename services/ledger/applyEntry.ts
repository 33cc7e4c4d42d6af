import { entryTimeOf } from '../calendar.js';
import { newAccount, type Account, type Lot, type Offer } from './account.js';
import { legacyRechargeChargeKey, outcomeKeyOf, purchaseKey, usageKeyOf } from './operationKeys.js';
import type { EntryDetail, JournalEntry } from './journal.js';
import { recordUsageStats } from '../insight/usageStats.js';

/**
 * How each journal entry changes an account. The ledger's rules call this for every entry they
 * make, and recovery calls it to rebuild accounts from the journal, so the two cannot disagree.
 * `account` is undefined only for an `account-opened` entry.
 */
export function applyEntry(account: Account | undefined, entry: JournalEntry): Account {
  const at = entryTimeOf(entry.at);
  const detail = entry.detail;
  if (detail.kind === 'account-opened') {
    if (account) throw new Error(`account ${entry.tenantId} opened twice`);
    const opened = newAccount(entry.tenantId, detail.currency, at, detail);
    opened.entryCount = Number(entry.id);
    return opened;
  }
  if (!account) throw new Error(`entry ${entry.id} of ${entry.tenantId} before the account was opened`);
  switch (detail.kind) {
    case 'funds-added':
      addLot(account, entry, detail, at);
      // The offer is settled: its funds are added.
      if (detail.purpose === 'purchase' && entry.idempotencyKey) delete account.offers[entry.idempotencyKey];
      break;
    case 'usage': {
      drawFifo(account, -entry.amountMinor);
      const usageKey = usageKeyOf(entry)!;
      account.keys.addUsage(usageKey.recordId, usageKey.day);
      account.lastUsageAt = Math.max(account.lastUsageAt ?? 0, at);
      recordUsageStats(account.usage, detail.usage, -entry.amountMinor, at);
      break;
    }
    case 'expired':
      forfeitLot(account, detail.lotId, -entry.amountMinor);
      break;
    case 'settings-changed':
      if (detail.autoRecharge) {
        const wasOff = !account.autoRecharge.enabled;
        account.autoRecharge = { ...detail.autoRecharge };
        // Switching auto-recharge on again is how an admin resumes it after a pause.
        if (detail.autoRecharge.enabled && (wasOff || account.recharge.paused)) resetFailures(account);
      }
      if (detail.lowBalanceAlertMinor !== undefined) account.lowBalanceAlertMinor = detail.lowBalanceAlertMinor;
      if (detail.spendControls) {
        account.spendControls = { ...detail.spendControls };
        // New caps are judged afresh: a pause they lift ends, one they still impose is said again.
        account.recharge.limitedMonth = null;
      }
      if (detail.weeklyReportSchedule) account.weeklyReport = { ...account.weeklyReport, ...detail.weeklyReportSchedule };
      if (detail.weeklyReportOptOut) {
        const { actor, optedOut } = detail.weeklyReportOptOut;
        const others = account.weeklyReport.optedOut.filter((a) => a !== actor);
        account.weeklyReport = { ...account.weeklyReport, optedOut: optedOut ? [...others, actor] : others };
      }
      break;
    case 'payment-method-changed':
      if (detail.card && 'methodId' in detail.card) account.paymentMethod = { ...detail.card };
      account.recharge.waitingForPaymentMethod = false;
      account.recharge.paused = false;
      account.recharge.consecutiveFailures = 0;
      account.recharge.nextRetryAt = null;
      break;
    case 'auto-recharge-started':
      account.recharge.inFlight = {
        attemptId: detail.attemptId,
        startedAt: at,
        amountMinor: detail.amountMinor,
        chargeKey: entry.idempotencyKey ?? legacyRechargeChargeKey(detail.attemptId),
        ...(detail.month ? { month: detail.month } : {}),
      };
      account.recharge.attemptsStarted++;
      break;
    case 'auto-recharge-failed':
      account.recharge.inFlight = null;
      account.recharge.consecutiveFailures = detail.consecutiveFailures;
      account.recharge.paused = detail.paused;
      account.recharge.nextRetryAt = detail.retryAt ? Date.parse(detail.retryAt) : null;
      account.recharge.waitingForPaymentMethod = detail.reason === 'expired-card' || detail.reason === 'no-payment-method';
      break;
    case 'auto-recharge-limited':
      account.recharge.limitedMonth = detail.month;
      break;
    case 'daily-spend-exceeded':
      account.dailySpendAlertedDay = detail.day;
      break;
    case 'expiry-reminder': {
      const lot = account.lots.find((l) => l.id === detail.lotId);
      if (lot && !lot.remindersSent.includes(detail.days)) lot.remindersSent.push(detail.days);
      break;
    }
    case 'purchase-offered':
      dropExpiredOffers(account, at);
      account.offers[purchaseKey(detail.offerId)] = {
        offerId: detail.offerId,
        amountMinor: detail.amountMinor,
        currency: detail.currency,
        offeredTo: detail.offeredTo,
        offeredAt: at,
        expiresAt: Date.parse(detail.expiresAt),
        state: 'open',
        failure: null,
      };
      break;
    case 'purchase-charging':
      offerOf(account, entry, detail.offerId).state = 'charging';
      break;
    case 'purchase-failed': {
      const offer = offerOf(account, entry, detail.offerId);
      offer.state = 'failed';
      offer.failure = detail.reason;
      break;
    }
    case 'purchase-cancelled':
      if (detail.offerId !== undefined) delete account.offers[purchaseKey(detail.offerId)];
      break;
    case 'weekly-report':
      // Its key (below) is all it leaves: the week's report is raised.
      break;
    case 'payment-customer-linked':
      account.paymentCustomerId = detail.customerId;
      break;
    case 'payment-authenticating': {
      const authentication = { chargeId: detail.chargeId, url: detail.url };
      const offer = account.offers[detail.key];
      if (offer) offer.authentication = authentication;
      else if (account.recharge.inFlight?.chargeKey === detail.key) account.recharge.inFlight.authentication = authentication;
      else throw new Error(`entry ${entry.id} of ${entry.tenantId} waits for a payment (${detail.key}) the account is not making`);
      break;
    }
    case 'gateway-event':
      break;
    case 'funds-refunded':
      refundFromLot(account, detail.lotId, -entry.amountMinor);
      break;
  }
  const outcomeKey = outcomeKeyOf(entry);
  if (outcomeKey) {
    account.keys.operations.set(outcomeKey, {
      entryId: entry.id,
      kind: entry.kind,
      amountMinor: entry.amountMinor,
      balanceAfterMinor: account.balanceMinor,
      at,
    });
  }
  account.entryCount = Number(entry.id);
  return account;
}

/** New funds repay the debt first; what is left becomes a lot. */
function addLot(account: Account, entry: JournalEntry, detail: Extract<EntryDetail, { kind: 'funds-added' }>, at: number): void {
  const amount = entry.amountMinor;
  const repaid = Math.min(account.debtMinor, amount);
  account.debtMinor -= repaid;
  account.balanceMinor += amount;
  if (detail.source === 'auto-recharge') {
    countInMonth(account, amount);
    account.recharge.inFlight = null;
    resetFailures(account);
  }
  if (amount - repaid === 0) return;
  const lot: Lot = {
    id: detail.lotId,
    purchasedAt: at,
    expiresAt: Date.parse(detail.expiresAt),
    originalMinor: amount,
    remainingMinor: amount - repaid,
    source: detail.source,
    addedBy: entry.actor,
    remindersSent: [],
    ...(entry.idempotencyKey ? { paidBy: { key: entry.idempotencyKey, chargeId: detail.chargeId ?? null } } : {}),
  };
  // Lots stay in purchase order; an entry is never older than the lots before it.
  account.lots.push(lot);
}

/** A credited recharge counts against the monthly cap of the month its attempt started in. */
function countInMonth(account: Account, amount: number): void {
  const month = account.recharge.inFlight?.month;
  if (!month) return;
  const monthly = account.recharge.monthly;
  account.recharge.monthly =
    monthly.month === month
      ? { month, recharges: monthly.recharges + 1, addedMinor: monthly.addedMinor + amount }
      : { month, recharges: 1, addedMinor: amount };
}

/** Charges draw the oldest lots first; what they cannot cover becomes debt. */
function drawFifo(account: Account, charge: number): void {
  let owed = charge;
  let emptied = 0;
  for (const lot of account.lots) {
    if (owed === 0) break;
    const take = Math.min(lot.remainingMinor, owed);
    lot.remainingMinor -= take;
    owed -= take;
    if (lot.remainingMinor === 0) emptied++;
  }
  if (emptied > 0) account.lots.splice(0, emptied);
  account.debtMinor += owed;
  account.balanceMinor -= charge;
}

function forfeitLot(account: Account, lotId: string, amount: number): void {
  const index = account.lots.findIndex((l) => l.id === lotId);
  const lot = account.lots[index];
  if (!lot || lot.remainingMinor !== amount) throw new Error(`expiry of lot ${lotId} does not match its remaining amount`);
  account.lots.splice(index, 1);
  account.balanceMinor -= amount;
}

/** A refund takes what it can from its lot; the rest (used since it was asked) is drawn like a charge. */
function refundFromLot(account: Account, lotId: string, amount: number): void {
  const index = account.lots.findIndex((l) => l.id === lotId);
  const lot = account.lots[index];
  const fromLot = Math.min(lot?.remainingMinor ?? 0, amount);
  if (lot) {
    lot.remainingMinor -= fromLot;
    if (lot.remainingMinor === 0) account.lots.splice(index, 1);
    account.balanceMinor -= fromLot;
  }
  if (amount > fromLot) drawFifo(account, amount - fromLot);
}

function offerOf(account: Account, entry: JournalEntry, offerId: string): Offer {
  const offer = account.offers[purchaseKey(offerId)];
  if (!offer) throw new Error(`entry ${entry.id} of ${entry.tenantId} names offer ${offerId}, which the account does not hold`);
  return offer;
}

/**
 * Open and refused offers past their expiry can no longer be confirmed, so they are dropped when
 * the next offer is made (this keeps the account small; an offer being charged stays until it is
 * settled). Done here, at an entry's time, so replaying the journal drops the same offers.
 */
function dropExpiredOffers(account: Account, at: number): void {
  for (const [key, offer] of Object.entries(account.offers)) {
    if (offer.state !== 'charging' && offer.expiresAt <= at) delete account.offers[key];
  }
}

function resetFailures(account: Account): void {
  account.recharge.consecutiveFailures = 0;
  account.recharge.paused = false;
  account.recharge.nextRetryAt = null;
  account.recharge.waitingForPaymentMethod = false;
}
