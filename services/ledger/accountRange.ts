import { largestUsageTotal } from '../insight/usageStats.js';
import { isMinorInRange, MAX_MINOR, type Minor } from '../money.js';
import type { Account } from './account.js';

/**
 * The account range rule: every figure of an account (its balance, debt, each lot, each day's and
 * hour's usage total) stays within ±MAX_MINOR, where integers are exact and so are the sums made of
 * them (Σ lots, Σ journal, a week of hourly totals). Rules ask here before they record, since an
 * entry is applied in place and cannot be taken back, and refuse what would break the range;
 * `invariantViolation` checks it after every change and at recovery.
 */

/**
 * Whether adding `amountMinor` of funds would break the range. A recharge in flight counts as
 * added: once the card is charged it is credited whatever happened meanwhile.
 */
export function fundsBreakRange(account: Account | undefined, amountMinor: Minor): boolean {
  const inFlight = account?.recharge.inFlight?.amountMinor ?? 0;
  return !isMinorInRange(amountMinor) || !isMinorInRange((account?.balanceMinor ?? 0) + inFlight + amountMinor);
}

/** Whether charging `chargeMinor` for a call that started at `startDateTime` would break the range. */
export function chargeBreaksRange(account: Account | undefined, startDateTime: string, chargeMinor: Minor): boolean {
  if (!isMinorInRange(chargeMinor) || !isMinorInRange((account?.balanceMinor ?? 0) - chargeMinor)) return true;
  return account !== undefined && !isMinorInRange(largestUsageTotal(account.usage, startDateTime) + chargeMinor);
}

/** The first ledger figure outside the range, if any. */
export function rangeViolation(account: Pick<Account, 'balanceMinor' | 'debtMinor' | 'lots'>): string | null {
  if (!isMinorInRange(account.balanceMinor)) return `balance ${account.balanceMinor} is outside ±${MAX_MINOR}`;
  if (!isMinorInRange(account.debtMinor)) return `debt ${account.debtMinor} is outside ±${MAX_MINOR}`;
  for (const lot of account.lots) {
    if (!isMinorInRange(lot.originalMinor)) return `lot ${lot.id} of ${lot.originalMinor} is outside ±${MAX_MINOR}`;
  }
  return null;
}
