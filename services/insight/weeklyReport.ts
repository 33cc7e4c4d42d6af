import { addDays, iso } from '../calendar.js';
import { scanBack, type JournalSource } from '../journalScan.js';
import { accountStatus, type Account, type AccountStatus, type RechargeState } from '../ledger/account.js';
import type { AutoRechargeSettings, JournalEntry, RechargeFailureReason, SpendControls } from '../ledger/journal.js';
import type { Minor } from '../money.js';
import type { Runway } from './runway.js';
import { UsageBreakdownBuilder, usageCallOf, type UsageGroupRow } from './usageBreakdown.js';
import type { UsageTotals } from './usageStats.js';

/** Destinations and callers a report names; the rest are summed as "others". */
export const REPORT_TOP = 5;
/** Funds expiring within this many days are listed. */
export const REPORT_EXPIRING_DAYS = 30;
/**
 * Journal entries a report reads at most (two weeks of a tenant's calls, charges and failures).
 * A tenant with more calls than this in a fortnight gets a report marked incomplete rather than
 * a sweep that reads millions of entries.
 */
export const REPORT_MAX_ENTRIES = 200_000;
/**
 * Entries read per journal request. The embedded store reads a whole segment file (10,000 entries)
 * for any page of filed entries, so a scan of a fortnight in pages of 200 read each file 50 times
 * (150,000 entries: 125 s); pages of a segment read each about once.
 */
const REPORT_PAGE = 10_000;

/**
 * A tenant's weekly summary as the ledger raised it: the figures the card and the email show,
 * fixed when it was raised, so every admin (and a delivery retried after a restart) sees the same.
 */
export interface WeeklyReport {
  /** The ISO week it is the report of; null for one an operator asked for now (not the week's). */
  week: string | null;
  /** The seven days reported on: [from, to). */
  from: string;
  to: string;
  status: AccountStatus;
  autoRecharge: AutoRechargeSettings;
  recharge: RechargeState;
  /** The monthly caps, so the report says when the cap paused auto-recharge. */
  spendControls: SpendControls;
  lowBalanceAlertMinor: Minor;
  /** Calls that started in the week, and in the seven days before it. */
  thisWeek: UsageTotals;
  lastWeek: UsageTotals;
  runway: Runway;
  /** Largest spend first, at most REPORT_TOP; `others` sums the rest. */
  topDestinations: Array<UsageTotals & { destination: string }>;
  otherDestinations: UsageTotals;
  /** Who placed the calls (the call record's user id, null when it names nobody), with the name the bot knows. */
  topUsers: Array<UsageTotals & { userId: string | null; name: string | null }>;
  otherUsers: UsageTotals;
  /** Lots that expire within REPORT_EXPIRING_DAYS, soonest first. */
  expiring: Array<{ remainingMinor: Minor; expiresAt: string }>;
  /** Money added in the week: auto-recharges, and admins' purchases with operators' grants. */
  autoRecharges: { count: number; minor: Minor };
  otherAdditions: { count: number; minor: Minor };
  /** Payments that failed in the week (auto-recharges and card purchases), and the last reason. */
  failedPayments: { count: number; lastReason: RechargeFailureReason | null };
  /** False when the fortnight held more entries than REPORT_MAX_ENTRIES: the figures cover only the newest. */
  complete: boolean;
}

export interface ReportPeriod {
  week: string | null;
  /** The end of the week reported on (the scheduled time, or now). */
  to: number;
}

/**
 * Builds the report of the seven days before `period.to` from the account and its journal: one
 * backward scan over two weeks of entries, keeping only sums (the usage breakdown's, by
 * destination and by user, and the payments). Calls are counted by when they
 * started (a call imported late still counts in its week): rows arrive at most a few days late
 * and never before they started, so scanning back to entries written before the fortnight began
 * sees every call that started in it.
 */
export async function collectWeeklyReport(
  source: JournalSource,
  account: Account,
  period: ReportPeriod,
  runway: Runway,
  nameOf: (userId: string) => Promise<string | null>,
): Promise<WeeklyReport> {
  const to = period.to;
  const from = addDays(to, -7);
  const fortnight = addDays(to, -14);
  // The usage card's and the operator API's breakdown, fed from one scan.
  const byDestination = new UsageBreakdownBuilder({ groupBy: 'destination', from, to });
  const byUser = new UsageBreakdownBuilder({ groupBy: 'user', from, to });
  const weekBefore = new UsageBreakdownBuilder({ groupBy: 'day', from: fortnight, to: from });
  const autoRecharges = { count: 0, minor: 0 };
  const otherAdditions = { count: 0, minor: 0 };
  const failedPayments: WeeklyReport['failedPayments'] = { count: 0, lastReason: null };
  const inWeek = (at: number) => at >= from && at < to;
  let stopped = false;

  const take = (entry: JournalEntry) => {
    const at = Date.parse(entry.at);
    if (at < fortnight) {
      stopped = true;
      return 'stop';
    }
    const detail = entry.detail;
    const call = usageCallOf(entry);
    if (call) {
      for (const builder of [byDestination, byUser, weekBefore]) builder.add(call);
    } else if (inWeek(at) && detail.kind === 'funds-added') {
      const sum = detail.source === 'auto-recharge' ? autoRecharges : otherAdditions;
      sum.count++;
      sum.minor += entry.amountMinor;
    } else if (inWeek(at) && (detail.kind === 'auto-recharge-failed' || detail.kind === 'purchase-failed')) {
      // Scanning newest first: the first failure met is the last one.
      if (failedPayments.count === 0) failedPayments.lastReason = detail.reason;
      failedPayments.count++;
    }
    return 'skip';
  };
  const scan = await scanBack(source, account.tenantId, { before: account.entryCount + 1, maxRead: REPORT_MAX_ENTRIES, take, window: REPORT_PAGE });
  const destinations = top(byDestination.result().rows);
  const users = top(byUser.result().rows);

  return {
    week: period.week,
    from: iso(from),
    to: iso(to),
    ...reportAccountFigures(account, to),
    thisWeek: byDestination.result().total,
    lastWeek: weekBefore.result().total,
    runway,
    topDestinations: destinations.top.map((row) => ({ destination: row.key, ...totalsOf(row) })),
    otherDestinations: destinations.others,
    topUsers: await Promise.all(
      users.top.map(async (row) => ({
        userId: row.unknown ? null : row.key,
        // The name on the call record, else the one the bot knows for the user id.
        name: row.unknown ? null : row.label !== row.key ? row.label : await nameOf(row.key),
        ...totalsOf(row),
      })),
    ),
    otherUsers: users.others,
    autoRecharges,
    otherAdditions,
    failedPayments,
    // The scan ended on an entry older than the fortnight, or at the first entry: it saw it all.
    complete: stopped || scan.lowest <= 1,
  };
}

/** The first REPORT_TOP rows (largest spend first, as the breakdown sorts them) and the rest summed. */
function top(rows: UsageGroupRow[]): { top: UsageGroupRow[]; others: UsageTotals } {
  const others: UsageTotals = { calls: 0, seconds: 0, minor: 0 };
  for (const row of rows.slice(REPORT_TOP)) {
    others.calls += row.calls;
    others.seconds += row.seconds;
    others.minor += row.minor;
  }
  return { top: rows.slice(0, REPORT_TOP), others };
}

const totalsOf = ({ calls, seconds, minor }: UsageTotals): UsageTotals => ({ calls, seconds, minor });

/** What a report says of the account as it stands (taken again inside the change that raises it). */
export function reportAccountFigures(
  account: Account,
  to: number,
): Pick<WeeklyReport, 'status' | 'autoRecharge' | 'recharge' | 'spendControls' | 'lowBalanceAlertMinor' | 'expiring'> {
  const horizon = addDays(to, REPORT_EXPIRING_DAYS);
  return {
    status: accountStatus(account),
    autoRecharge: { ...account.autoRecharge },
    recharge: structuredClone(account.recharge),
    spendControls: { ...account.spendControls },
    lowBalanceAlertMinor: account.lowBalanceAlertMinor,
    expiring: account.lots
      .filter((lot) => lot.expiresAt < horizon)
      .sort((a, b) => a.expiresAt - b.expiresAt)
      .map((lot) => ({ remainingMinor: lot.remainingMinor, expiresAt: iso(lot.expiresAt) })),
  };
}
