import type { Minor } from '../money.js';
import type { AutoRechargeSettings, LotSource } from './journal.js';
import { IdempotencyKeys } from './idempotencyKeys.js';
import { emptyUsageStats, type UsageStats } from '../insight/usageStats.js';
import { rangeViolation } from './accountRange.js';

/** One addition of funds. It is drawn first-in, first-out and forfeited 12 months after purchase. */
export interface Lot {
  id: string;
  purchasedAt: number;
  expiresAt: number;
  originalMinor: Minor;
  remainingMinor: Minor;
  source: LotSource;
  addedBy: string;
  /** Expiry reminders already raised for this lot, in days before expiry (30, 7, 1). */
  remindersSent: number[];
}

/** Where the auto-recharge state machine stands; changed only by journal entries. */
export interface RechargeState {
  inFlight: { attemptId: string; startedAt: number; amountMinor: Minor } | null;
  consecutiveFailures: number;
  paused: boolean;
  nextRetryAt: number | null;
  /** An expired or missing card is not retried until the payment method changes. */
  waitingForPaymentMethod: boolean;
  attemptsStarted: number;
}

export interface Account {
  tenantId: string;
  currency: string;
  openedAt: number;
  /** Σ lots remaining − debt. */
  balanceMinor: Minor;
  /** Usage charged beyond the remaining lots; new funds repay it first. */
  debtMinor: Minor;
  /** Lots with money left, oldest purchase first. */
  lots: Lot[];
  autoRecharge: AutoRechargeSettings;
  recharge: RechargeState;
  lowBalanceAlertMinor: Minor;
  /** How many journal entries the account has; the next entry's id is this plus one. */
  entryCount: number;
  keys: IdempotencyKeys;
  lastUsageAt: number | null;
  /** Recent usage totals for breakdowns, the runway forecast and spend alerts. */
  usage: UsageStats;
}

export type AccountStatus = 'active' | 'suspended';

/** At or below zero no credit-funded call is authorised. */
export function accountStatus(account: Pick<Account, 'balanceMinor'>): AccountStatus {
  return account.balanceMinor > 0 ? 'active' : 'suspended';
}

export interface AccountDefaults {
  lowBalanceAlertMinor: Minor;
  autoRecharge: AutoRechargeSettings;
}

export function newAccount(tenantId: string, currency: string, at: number, defaults: AccountDefaults): Account {
  return {
    tenantId,
    currency,
    openedAt: at,
    balanceMinor: 0,
    debtMinor: 0,
    lots: [],
    autoRecharge: { ...defaults.autoRecharge },
    recharge: {
      inFlight: null,
      consecutiveFailures: 0,
      paused: false,
      nextRetryAt: null,
      waitingForPaymentMethod: false,
      attemptsStarted: 0,
    },
    lowBalanceAlertMinor: defaults.lowBalanceAlertMinor,
    entryCount: 0,
    keys: new IdempotencyKeys(),
    lastUsageAt: null,
    usage: emptyUsageStats(),
  };
}

/** The ledger's invariant, the account range rule included; a violation is a bug, never a user error. */
export function invariantViolation(account: Account): string | null {
  const outOfRange = rangeViolation(account);
  if (outOfRange) return outOfRange;
  let remaining = 0;
  for (const lot of account.lots) {
    if (lot.remainingMinor <= 0 || lot.remainingMinor > lot.originalMinor) {
      return `lot ${lot.id} has ${lot.remainingMinor} of ${lot.originalMinor}`;
    }
    remaining += lot.remainingMinor;
  }
  if (account.debtMinor < 0) return `negative debt ${account.debtMinor}`;
  if (account.debtMinor > 0 && account.lots.length > 0) return 'debt while lots remain';
  if (account.balanceMinor !== remaining - account.debtMinor) {
    return `balance ${account.balanceMinor} ≠ lots ${remaining} − debt ${account.debtMinor}`;
  }
  return null;
}
