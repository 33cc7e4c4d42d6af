import { z } from 'zod';
import type { EntryKind } from '../../services/ledger/journal.js';
import { NO_DEPARTMENT, UNKNOWN_CALL_TYPE, UNKNOWN_USER, USAGE_GROUPS } from '../../services/insight/usageBreakdown.js';

/**
 * The operator API's answers as zod schemas. The routes build their bodies typed by these (so a
 * missing or mistyped field does not compile) and the OpenAPI document is generated from them;
 * the shapes are closed (`strictObject`), so the tests that check real answers against the
 * document also catch a field the document does not name.
 */

/** Integer minor units (cents for USD): the exact amount beside each decimal string. */
const Minor = z.number().int();
const Count = z.number().int().nonnegative();
/** An exact decimal in the account's currency: "37.66", "-1.20", "500" for JPY. */
const Decimal = z.string().regex(/^-?\d+(\.\d+)?$/);
/** A moment in UTC, ISO 8601 ("2026-01-31T12:00:00.000Z"). */
export const Time = z.iso.datetime().describe('A moment in UTC, ISO 8601.');

const Lot = z
  .strictObject({
    id: z.string(),
    purchasedAt: Time,
    expiresAt: Time,
    originalMinor: Minor,
    remainingMinor: Minor,
    source: z.enum(['manual', 'auto-recharge']),
  })
  .describe('Funds added at once; drawn first-in, first-out and forfeited 12 months after purchase.');

/** The account's Microsoft Graph usage sync, shown beside the account when Graph is configured. */
export const AccountSyncExtras = z.strictObject({
  lastSyncAt: Time.nullable().describe('When a sync last read and charged every window.'),
  usageSync: z.strictObject({
    syncedThrough: Time.nullable().describe('Calls started before this are read and charged.'),
    lastAttemptAt: Time.nullable(),
    problem: z
      .discriminatedUnion('kind', [
        z.strictObject({
          kind: z.literal('no-consent'),
          message: z.string(),
          consentUrl: z.url().describe("Where the tenant's admin grants consent."),
          at: Time,
        }),
        z.strictObject({ kind: z.literal('unavailable'), message: z.string(), at: Time }),
      ])
      .nullable()
      .describe('Why the last attempt failed; null once one succeeds.'),
  }),
});
export type AccountSyncExtras = z.infer<typeof AccountSyncExtras>;

export const AccountJson = z
  .strictObject({
    tenantId: z.string(),
    currency: z.string().describe('ISO 4217.'),
    balance: Decimal,
    balanceMinor: Minor,
    status: z.enum(['active', 'suspended']).describe('Suspended at or below zero: no credit-funded call is authorised.'),
    autoRecharge: z.strictObject({
      enabled: z.boolean(),
      status: z
        .enum(['off', 'ready', 'in-flight', 'retrying', 'waiting-for-payment-method', 'paused', 'limited-this-month'])
        .describe('`limited-this-month`: the monthly cap was reached; auto-recharge resumes next month or when an admin lifts the cap.'),
      trigger: Decimal,
      triggerMinor: Minor,
      amount: Decimal,
      amountMinor: Minor,
      consecutiveFailures: Count,
      nextRetryAt: Time.nullable(),
    }),
    spendControls: z
      .strictObject({
        monthlyRechargeMax: Decimal.nullable(),
        monthlyRechargeMaxMinor: Minor.nullable(),
        monthlyRechargeMaxCount: Count.nullable(),
        dailySpendAlert: Decimal.nullable(),
        dailySpendAlertMinor: Minor.nullable(),
        timeZone: z.string().describe('IANA time zone the months and days count in.'),
        thisMonth: z.strictObject({ month: z.string().describe('YYYY-MM in `timeZone`.'), recharges: Count, addedMinor: Minor }),
      })
      .describe('Monthly auto-recharge caps and the daily spend alert (null: none), and what auto-recharge added this month.'),
    lowBalanceAlert: Decimal,
    lowBalanceAlertMinor: Minor,
    lots: z.array(Lot).describe('Lots with money left, oldest purchase first.'),
    lastUsageAt: Time.nullable(),
    journalEntries: Count,
    ...AccountSyncExtras.partial().shape,
  })
  .describe("A tenant's account: decimal strings beside minor units. `lastSyncAt` and `usageSync` appear when Microsoft Graph is configured.");
export type AccountJson = z.infer<typeof AccountJson>;

const ChargeFailureReason = z.enum(['declined', 'expired-card', 'no-payment-method', 'gateway-error']);
const AutoRechargeSettings = z.strictObject({ enabled: z.boolean(), triggerMinor: Minor, amountMinor: Minor });

/** What each kind of journal entry keeps in `detail`; every kind has one (checked against `EntryKind`). */
const DETAIL_BY_KIND = {
  'account-opened': z.strictObject({ currency: z.string(), lowBalanceAlertMinor: Minor, autoRecharge: AutoRechargeSettings }),
  'funds-added': z.strictObject({
    lotId: z.string(),
    source: Lot.shape.source,
    expiresAt: Time,
    note: z.string().nullable(),
    purpose: z
      .enum(['purchase', 'recharge', 'grant'])
      .optional()
      .describe("The key space of the entry's idempotency key; absent on entries written before keys were namespaced."),
    chargeId: z.string().nullable().optional().describe('The gateway charge that paid for the lot; null for grants.'),
  }),
  usage: z.strictObject({
    usage: z.strictObject({
      recordId: z.string(),
      startDateTime: z.iso.datetime({ offset: true }),
      durationSeconds: Count.nullable(),
      callType: z.string().nullable(),
      destinationContext: z.string().nullable(),
      destinationName: z.string().nullable(),
      userId: z.string().nullable(),
      conferenceId: z.string().nullable(),
      pricedFrom: z.enum(['charge', 'rate-table']),
      userPrincipalName: z.string().optional().describe('Who placed the call; absent when the record named nobody.'),
      userDisplayName: z.string().optional(),
      department: z.string().optional().describe("The caller's administrative unit or department, where the record carried one."),
      newDestinationAlert: z.literal(true).optional().describe("Set on the call that raised the tenant's new-destination alert."),
    }),
  }),
  expired: z.strictObject({ lotId: z.string() }),
  'settings-changed': z.strictObject({
    autoRecharge: AutoRechargeSettings.optional(),
    lowBalanceAlertMinor: Minor.optional(),
    spendControls: z
      .strictObject({
        monthlyRechargeMaxMinor: Minor.nullable(),
        monthlyRechargeMaxCount: Count.nullable(),
        dailySpendAlertMinor: Minor.nullable(),
        timeZone: z.string().describe('IANA time zone the months and days count in.'),
      })
      .optional()
      .describe('Monthly auto-recharge caps (null: none) and the daily spend alert amount.'),
    weeklyReportSchedule: z
      .strictObject({ day: z.int().min(1).max(7), hour: z.int().min(0).max(23), timeZone: z.string().nullable() })
      .optional()
      .describe("The weekly report's ISO weekday (1 Monday) and hour, on the wall clock of `timeZone`."),
    weeklyReportOptOut: z
      .strictObject({ actor: z.string(), optedOut: z.boolean() })
      .optional()
      .describe('One admin switched their own weekly report off or back on.'),
  }),
  'payment-method-changed': z.strictObject({ description: z.string() }),
  'auto-recharge-started': z.strictObject({
    attemptId: z.string(),
    amountMinor: Minor,
    month: z.string().optional().describe("The tenant's calendar month (YYYY-MM) the attempt counts in against the monthly cap."),
  }),
  'auto-recharge-failed': z.strictObject({
    attemptId: z.string(),
    reason: ChargeFailureReason,
    consecutiveFailures: Count,
    paused: z.boolean(),
    retryAt: Time.nullable(),
  }),
  'auto-recharge-limited': z
    .strictObject({ month: z.string(), limit: z.enum(['amount', 'count']), rechargedMinor: Minor, recharges: Count })
    .describe('A recharge was due but would pass the monthly cap: auto-recharge pauses for the rest of `month`.'),
  'daily-spend-exceeded': z
    .strictObject({ day: z.string(), spentMinor: Minor, ceilingMinor: Minor })
    .describe("The tenant's day (YYYY-MM-DD, its time zone) spent more than the daily alert amount."),
  'expiry-reminder': z.strictObject({ lotId: z.string(), days: Count, expiresAt: Time }),
  'purchase-offered': z.strictObject({ offerId: z.string(), amountMinor: Minor, currency: z.string(), offeredTo: z.string(), expiresAt: Time }),
  'purchase-charging': z.strictObject({ offerId: z.string() }),
  'purchase-failed': z.strictObject({ offerId: z.string(), reason: ChargeFailureReason }),
  'purchase-cancelled': z.strictObject({ offerId: z.string().optional().describe('Absent on entries written before offers existed.') }),
  'weekly-report': z.strictObject({ week: z.string().describe('ISO week in the tenant\'s zone, e.g. "2026-W49".'), dueAt: Time }),
} satisfies Record<EntryKind, z.ZodType>;

export const JournalEntryJson = z
  .strictObject({
    id: z
      .string()
      .regex(/^[1-9]\d*$/)
      .describe("The tenant's entry number, from 1; also the paging cursor (`after`)."),
    tenantId: z.string(),
    kind: z.keyof(z.object(DETAIL_BY_KIND)),
    amountMinor: Minor.describe('Signed change of the balance: funds +, usage and expiry −, everything else 0.'),
    balanceAfterMinor: Minor,
    at: Time,
    actor: z.string().describe('A user id, `operator`, or `system`.'),
    idempotencyKey: z.string().nullable(),
    detail: z.union(Object.values(DETAIL_BY_KIND)).describe("What the entry's kind keeps (see `kind`)."),
  })
  .describe('One change to an account, appended to its journal and never rewritten.');
export type JournalEntryJson = z.infer<typeof JournalEntryJson>;

export const JournalPage = z.strictObject({
  entries: z.array(JournalEntryJson).describe('Oldest first.'),
  next: z.string().nullable().describe('The `after` of the next page; null on the last page.'),
});
export type JournalPage = z.infer<typeof JournalPage>;

export const UsageAnswer = z.strictObject({
  accepted: Count,
  duplicates: Count.describe('Records whose id was already charged: charged once, counted here.'),
  rejected: z.array(z.strictObject({ index: Count.describe("The record's position in `records`."), error: z.string() })),
});
export type UsageAnswer = z.infer<typeof UsageAnswer>;

export const FundsAnswer = z.strictObject({
  entryId: z.string(),
  amountMinor: Minor,
  balanceAfterMinor: Minor,
  replayed: z.boolean().describe('True when this key was already granted: nothing new was added.'),
  account: AccountJson,
});
export type FundsAnswer = z.infer<typeof FundsAnswer>;

const UsageTotals = { calls: Count, seconds: Count, minor: Minor };

export const InsightJson = z
  .strictObject({
    tenantId: z.string(),
    runway: z.strictObject({
      spentMinor: Minor.describe('Usage charged in the trailing 30 days.'),
      dailyBurnMinor: Minor,
      daysLeft: Count.nullable().describe('Whole days until the balance reaches `until`; null with no usage.'),
      until: z.enum(['trigger', 'zero']),
      suggestedRechargeMinor: Minor.nullable(),
    }),
    breakdown: z.strictObject({
      rows: z.array(z.strictObject({ callType: z.string(), destination: z.string(), ...UsageTotals })).describe('Largest spend first.'),
      total: z.strictObject(UsageTotals),
    }),
  })
  .describe('Usage of the last 30 days by call type and destination, and the runway forecast.');
export type InsightJson = z.infer<typeof InsightJson>;

export const SyncReportJson = z
  .strictObject({
    tenantId: z.string(),
    from: Time,
    to: Time,
    read: Count.describe('read = accepted + duplicates + skipped'),
    accepted: Count,
    duplicates: Count,
    skipped: Count.describe('Rows not charged: other licenses and the rejected ones.'),
    otherLicenses: Count,
    rejected: z.array(z.strictObject({ id: z.string().nullable(), error: z.string() })),
  })
  .describe('What one usage sync read from Microsoft Graph and did.');
export type SyncReportJson = z.infer<typeof SyncReportJson>;

/** A sync Graph stopped: what was done before that, and why (with the consent link when consent is missing). */
export const SyncFailureJson = SyncReportJson.extend({
  error: z.enum(['no-consent', 'graph-unavailable']),
  consentUrl: z.url().optional(),
  message: z.string(),
});
export type SyncFailureJson = z.infer<typeof SyncFailureJson>;

export const ReportAnswer = z
  .strictObject({
    tenantId: z.string(),
    from: Time.describe('The seven days reported on start here…'),
    to: Time.describe('…and end here (now).'),
    delivered: z
      .array(
        z.strictObject({
          channel: z.enum(['teams', 'email']),
          to: z.string().nullable().describe('The Teams conversation id, or the mail address (null when the bot knows none).'),
          name: z.string().nullable().describe("The admin's display name, when known."),
        }),
      )
      .describe("Whom the report reached: each admin's personal chat and mailbox, except admins who switched the weekly report off."),
    complete: z.boolean().describe('False when Teams or the mail transport failed or took too long for some admins (the log says which).'),
  })
  .describe("The weekly report, sent now to the tenant's admins. It is not the week's report, which still comes at its time.");
export type ReportAnswer = z.infer<typeof ReportAnswer>;
const UsageGroupTotals = {
  calls: Count,
  seconds: Count,
  amountMinor: Minor.describe('What the calls cost, in minor units.'),
  amount: Decimal.describe('The same as an exact decimal in the account currency.'),
};

export const UsageBreakdownJson = z
  .strictObject({
    tenantId: z.string(),
    currency: z.string(),
    groupBy: z.enum(USAGE_GROUPS),
    from: Time.describe('Calls that started from this moment…'),
    to: Time.describe('…until this one (exclusive).'),
    rows: z
      .array(
        z.strictObject({
          key: z
            .string()
            .describe(
              `The group: a user's sign-in name (else their user id), a department, a destination, a call type or a UTC day; "${UNKNOWN_USER}", "${NO_DEPARTMENT}" or "${UNKNOWN_CALL_TYPE}" for calls without one.`,
            ),
          label: z.string().describe("The group as people read it: a user's display name, else the key."),
          unknown: z.boolean().describe('The key stands for "none".'),
          ...UsageGroupTotals,
        }),
      )
      .describe('Largest spend first; by day, oldest first (days without calls are left out).'),
    total: z.strictObject(UsageGroupTotals),
    truncated: z.boolean().describe("The journal scan stopped at its limit: the range's oldest calls are missing from the totals."),
  })
  .describe('Usage of the calls that started in a range, grouped.');
export type UsageBreakdownJson = z.infer<typeof UsageBreakdownJson>;
