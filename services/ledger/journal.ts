import type { Minor } from '../money.js';
import type { ChargeFailureReason } from '../ports.js';

/** Every change to an account is one of these, appended to its journal and never rewritten. */
export type EntryKind =
  | 'account-opened'
  | 'funds-added'
  | 'usage'
  | 'expired'
  | 'settings-changed'
  | 'payment-method-changed'
  | 'auto-recharge-started'
  | 'auto-recharge-failed'
  | 'auto-recharge-limited'
  | 'daily-spend-exceeded'
  | 'expiry-reminder'
  | 'purchase-offered'
  | 'purchase-charging'
  | 'purchase-failed'
  | 'purchase-cancelled'
  | 'weekly-report';

export type LotSource = 'manual' | 'auto-recharge';

/**
 * Which key space a funds-added entry's key lives in (see `operationKeys.ts`): an admin's card
 * purchase, an auto-recharge, an operator's grant. Entries written before keys were namespaced
 * have none.
 */
export type FundsPurpose = 'purchase' | 'recharge' | 'grant';

/** What a usage entry keeps of its call record, so usage can be broken down and forecast later. */
export interface UsageDetail {
  recordId: string;
  startDateTime: string;
  durationSeconds: number | null;
  callType: string | null;
  destinationContext: string | null;
  destinationName: string | null;
  userId: string | null;
  conferenceId: string | null;
  pricedFrom: 'charge' | 'rate-table';
  /** Who placed the call, as the call-log row names them (absent on rows that name nobody, and on older entries). */
  userPrincipalName?: string;
  userDisplayName?: string;
  /** The caller's administrative unit or department, where the row carried one. */
  department?: string;
  /**
   * Set on the one call of a change that raised the tenant's new-destination alert, so replaying
   * the journal counts the hour's alerts again (they are rate-limited per hour).
   */
  newDestinationAlert?: true;
}

export interface AutoRechargeSettings {
  enabled: boolean;
  triggerMinor: Minor;
  amountMinor: Minor;
}

export type RechargeFailureReason = ChargeFailureReason;

/**
 * What admins may cap (issue 11): auto-recharge per calendar month, by amount and/or by count, and
 * a day's spend before they are alerted. Null: no cap. Months and days are the tenant's, in
 * `timeZone` (IANA), the zone of the admin who last set them.
 */
export interface SpendControls {
  monthlyRechargeMaxMinor: Minor | null;
  monthlyRechargeMaxCount: number | null;
  dailySpendAlertMinor: Minor | null;
  timeZone: string;
}

/** Which monthly cap stopped a recharge. */
export type RechargeLimitKind = 'amount' | 'count';

export type EntryDetail =
  | {
      kind: 'account-opened';
      currency: string;
      lowBalanceAlertMinor: Minor;
      autoRecharge: AutoRechargeSettings;
    }
  | {
      kind: 'funds-added';
      lotId: string;
      source: LotSource;
      expiresAt: string;
      note: string | null;
      purpose?: FundsPurpose;
      /** The gateway's charge that paid for the lot (purchases and recharges; null for grants). */
      chargeId?: string | null;
    }
  | { kind: 'usage'; usage: UsageDetail }
  | { kind: 'expired'; lotId: string }
  | {
      kind: 'settings-changed';
      autoRecharge?: AutoRechargeSettings;
      lowBalanceAlertMinor?: Minor;
      spendControls?: SpendControls;
      /** The weekly report's day and hour, in the zone of the admin who set them. */
      weeklyReportSchedule?: { day: number; hour: number; timeZone: string | null };
      /** One admin switched their own weekly report off (`optedOut`) or back on. */
      weeklyReportOptOut?: { actor: string; optedOut: boolean };
    }
  /** `description` in words for the operator's journal; `card` for cards to say in the reader's language (absent before it was kept). */
  | { kind: 'payment-method-changed'; description: string; card?: { brand: string; last4: string } }
  /** `month`: the tenant's calendar month the attempt counts in against the monthly cap (absent before caps existed). */
  | { kind: 'auto-recharge-started'; attemptId: string; amountMinor: Minor; month?: string }
  | {
      kind: 'auto-recharge-failed';
      attemptId: string;
      reason: RechargeFailureReason;
      consecutiveFailures: number;
      paused: boolean;
      retryAt: string | null;
    }
  /**
   * A recharge was due but the monthly cap would be passed: auto-recharge pauses until `month` is
   * over or an admin lifts the cap. What the month has taken so far, for the alert and the history.
   */
  | { kind: 'auto-recharge-limited'; month: string; limit: RechargeLimitKind; rechargedMinor: Minor; recharges: number }
  /** The tenant's day `day` spent more than the daily alert amount; recorded so it is said once a day. */
  | { kind: 'daily-spend-exceeded'; day: string; spentMinor: Minor; ceilingMinor: Minor }
  | { kind: 'expiry-reminder'; lotId: string; days: number; expiresAt: string }
  /**
   * A confirmation card was shown: the offer Confirm may charge and credit, exactly this amount,
   * for the person it was shown to, until it expires. The entry's key is the purchase key.
   */
  | { kind: 'purchase-offered'; offerId: string; amountMinor: Minor; currency: string; offeredTo: string; expiresAt: string }
  /** Confirm claimed the offer and is charging the card: Cancel can no longer stop it. */
  | { kind: 'purchase-charging'; offerId: string }
  /** The gateway refused the offer's charge; nothing was charged. */
  | { kind: 'purchase-failed'; offerId: string; reason: ChargeFailureReason }
  /**
   * An admin cancelled a confirmation card before Confirm claimed it: it can never charge.
   * Entries written before offers existed have no `offerId`.
   */
  | { kind: 'purchase-cancelled'; offerId?: string }
  /**
   * The week's report was raised (its alert is stored with this entry). The key,
   * `report:<tenant>:<week>`, makes it once a week: the store refuses a second entry with it.
   */
  | { kind: 'weekly-report'; week: string; dueAt: string };

export interface JournalEntry {
  /** The tenant's entry number ("1", "2", …): with `tenantId`, unique; also the paging cursor. */
  id: string;
  tenantId: string;
  kind: EntryKind;
  /** Signed change of the balance: funds +, usage and expiry −, everything else 0. */
  amountMinor: Minor;
  balanceAfterMinor: Minor;
  at: string;
  /** A user id, `operator`, or `system`. */
  actor: string;
  idempotencyKey: string | null;
  detail: EntryDetail;
}
