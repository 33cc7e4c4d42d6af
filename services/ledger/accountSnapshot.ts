import { IdempotencyKeys, type IdempotencyKeysSnapshot } from './idempotencyKeys.js';
import { usageStatsFromSnapshot, usageStatsToSnapshot, type UsageStatsSnapshot } from '../insight/usageStats.js';
import { legacyRechargeChargeKey } from './operationKeys.js';
import { defaultWeeklyReportSettings, NO_SPEND_CONTROLS, type Account } from './account.js';

/** An account as plain JSON, for checkpoints. */
export type AccountSnapshot = Omit<Account, 'keys' | 'usage'> & { keys: IdempotencyKeysSnapshot; usage: UsageStatsSnapshot };

export function toSnapshot(account: Account): AccountSnapshot {
  const { keys, usage, ...rest } = account;
  return { ...structuredClone(rest), usage: usageStatsToSnapshot(usage), keys: keys.toSnapshot() };
}

/** Reads a snapshot, including one written before offers, namespaced keys and weekly reports existed. */
export function fromSnapshot(snapshot: AccountSnapshot): Account {
  const { keys, usage, ...rest } = snapshot;
  const account: Account = { ...structuredClone(rest), usage: usageStatsFromSnapshot(usage), keys: IdempotencyKeys.fromSnapshot(keys) };
  account.offers ??= {};
  // Snapshots from before spend controls existed.
  account.spendControls ??= { ...NO_SPEND_CONTROLS };
  account.dailySpendAlertedDay ??= null;
  account.recharge.monthly ??= { month: '', recharges: 0, addedMinor: 0 };
  account.recharge.limitedMonth ??= null;
  account.weeklyReport ??= defaultWeeklyReportSettings();
  const attempt = account.recharge.inFlight;
  if (attempt) attempt.chargeKey ??= legacyRechargeChargeKey(attempt.attemptId);
  return account;
}
