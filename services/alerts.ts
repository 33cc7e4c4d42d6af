import type { Minor } from './money.js';
import type { RechargeFailureReason, RechargeLimitKind } from './ledger/journal.js';
import type { WeeklyReport } from './insight/weeklyReport.js';

/**
 * What admins are told without asking. Alerts are raised inside the ledger change that caused
 * them and stored with it, so one is delivered only once the change is durable, and still
 * delivered after a crash.
 */
export type Alert =
  | (AlertBase & { type: 'low-balance'; thresholdMinor: Minor })
  | (AlertBase & { type: 'suspended' })
  | (AlertBase & { type: 'resumed' })
  | (AlertBase & { type: 'auto-recharge-succeeded'; amountMinor: Minor; attemptId: string })
  | (AlertBase & {
      type: 'auto-recharge-failed';
      attemptId: string;
      reason: RechargeFailureReason;
      consecutiveFailures: number;
      paused: boolean;
      retryAt: string | null;
    })
  /**
   * Auto-recharge reached its monthly cap and pauses until `resumesAt` (the next month, in the
   * tenant's zone): what the month took, the caps, so the card can say how to lift them.
   */
  | (AlertBase & {
      type: 'auto-recharge-limited';
      limit: RechargeLimitKind;
      month: string;
      maxMinor: Minor | null;
      maxCount: number | null;
      rechargedMinor: Minor;
      recharges: number;
      resumesAt: string;
    })
  /** The tenant's day `day` (in its zone) spent more than the admins' daily alert amount. */
  | (AlertBase & { type: 'daily-spend-exceeded'; day: string; spentMinor: Minor; ceilingMinor: Minor })
  | (AlertBase & { type: 'funds-expiring'; lotId: string; days: number; remainingMinor: Minor; expiresAt: string })
  | (AlertBase & { type: 'funds-expired'; lotId: string; amountMinor: Minor })
  | (AlertBase & {
      type: 'unusual-spend';
      reason: 'hourly-spike' | 'new-destination';
      /** For a spike: the hour, its spend and the week's hourly average. */
      hourStart: string | null;
      spendMinor: Minor | null;
      baselineMinor: Minor | null;
      /** For a spike: the spend it compared the hour with (alerts stored by earlier versions lack it). */
      thresholdMinor?: Minor | null;
      /** For new destinations: the first country called. */
      destination: string | null;
      /**
       * For new destinations, summarised (alerts stored by earlier versions lack these): the next
       * few countries, how many more there were, the end of the hour until which no further
       * new-destination alert comes (rate-limited per tenant), and whether the tenant's list of known
       * destinations is full (then a destination not on it counts as new each time).
       */
      moreDestinations?: string[];
      /** For new destinations: when the first call to one started (the event, not its import). */
      firstCallAt?: string | null;
      unnamedDestinations?: number;
      quietUntil?: string | null;
      destinationListFull?: boolean;
    })
  /**
   * The weekly summary, raised once per tenant and ISO week by the sweep (or built on an
   * operator's request, then never stored). It goes to admins' personal chats and mailboxes only,
   * not to channels, and not to the admins in `optedOut` (actors who said "stop weekly report").
   */
  | (AlertBase & { type: 'weekly-report'; report: WeeklyReport; optedOut: string[] });

export interface AlertBase {
  tenantId: string;
  currency: string;
  /** The balance right after the change that raised the alert. */
  balanceMinor: Minor;
  at: string;
}

export type AlertType = Alert['type'];

/** The source document promises an email for these three; the monthly cap's pause and the weekly report are mailed too; Teams gets every alert. */
export const EMAILED_ALERTS: ReadonlySet<AlertType> = new Set([
  'auto-recharge-succeeded',
  'auto-recharge-failed',
  'auto-recharge-limited',
  'suspended',
  'weekly-report',
]);

/** Whether the admin `actor` gets this alert: everyone, except a weekly report they switched off. */
export function wantsAlert(alert: Alert, actor: string | null): boolean {
  return alert.type !== 'weekly-report' || actor === null || !alert.optedOut.includes(actor);
}

export interface StoredAlert {
  id: string;
  alert: Alert;
}
