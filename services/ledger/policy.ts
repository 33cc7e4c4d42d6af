import { parseDecimal, type Minor } from '../money.js';
import { err, ok, type Result } from '../result.js';
import type { AccountDefaults } from './account.js';
import type { LedgerError } from './errors.js';

/** The operator's settings for every account, in major units so they apply to any currency. */
export interface LedgerPolicy {
  defaultCurrency: string;
  /** Default low-balance alert threshold, e.g. "10.00". */
  lowBalanceAlert: string;
  /** Smallest and largest manual addition or recharge amount, e.g. "10.00" and "10000.00". */
  minAddition: string;
  maxAddition: string;
  /** Largest charge of one usage record, given or priced from the rate table, e.g. "10000.00". */
  maxUsageCharge: string;
  /** How long usage keys are kept; older usage is rejected as too old. */
  usageWindowDays: number;
  /**
   * How long a confirmation card can be confirmed after it was shown (default 24): the same
   * working day, even after a long meeting, but not a card found days later in the chat history,
   * when the intent, the balance or the card on file may have changed. It also bounds how many
   * open offers an account keeps.
   */
  offerLifetimeHours: number;
}

const majorInMinor = (major: string, currency: string): Minor => {
  const parsed = parseDecimal(major, currency, 'half-up');
  if (!parsed.ok) throw new Error(`ledger policy amount ${major} is not a decimal`);
  return parsed.value;
};

export function accountDefaults(policy: LedgerPolicy, currency: string): AccountDefaults {
  return {
    lowBalanceAlertMinor: majorInMinor(policy.lowBalanceAlert, currency),
    autoRecharge: { enabled: false, triggerMinor: majorInMinor(policy.lowBalanceAlert, currency), amountMinor: majorInMinor('50', currency) },
  };
}

export function additionLimits(policy: LedgerPolicy, currency: string): { minMinor: Minor; maxMinor: Minor } {
  return { minMinor: majorInMinor(policy.minAddition, currency), maxMinor: majorInMinor(policy.maxAddition, currency) };
}

/** The largest charge one usage record may carry; a record above it is rejected on its own. */
export function usageChargeLimit(policy: LedgerPolicy, currency: string): Minor {
  return majorInMinor(policy.maxUsageCharge, currency);
}

/** Reads an amount someone typed or sent: exact, positive, within the currency's decimals. */
export function parseAmount(input: string, currency: string): Result<Minor, LedgerError> {
  const parsed = parseDecimal(input, currency);
  if (!parsed.ok) return err({ code: 'invalid-amount', input, reason: parsed.error.code });
  return ok(parsed.value);
}

/** An addition or recharge amount: at least the minimum and at most the maximum. */
export function checkAddition(amountMinor: Minor, policy: LedgerPolicy, currency: string): Result<Minor, LedgerError> {
  const { minMinor, maxMinor } = additionLimits(policy, currency);
  if (amountMinor < minMinor) return err({ code: 'amount-too-small', minMinor, currency });
  if (amountMinor > maxMinor) return err({ code: 'amount-too-large', maxMinor, currency });
  return ok(amountMinor);
}
