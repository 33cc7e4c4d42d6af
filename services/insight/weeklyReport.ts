import { addDays, iso } from '../calendar.js';
import { scanBack, type JournalSource } from '../journalScan.js';
import { accountStatus, type Account, type AccountStatus, type RechargeState } from '../ledger/account.js';
import type { AutoRechargeSettings, JournalEntry, RechargeFailureReason } from '../ledger/journal.js';
import type { Minor } from '../money.js';
import type { Runway } from './runway.js';
import { destinationOf, type UsageTotals } from './usageStats.js';

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
 * backward scan over two weeks of entries, keeping only sums. Calls are counted by when they
 * started (a call imported late still counts in its week): rows arrive at most a few days late
 * and never before they started, so scanning back to entries written before the fortnight began
 * sees every call that started in it.
 */
export async function collectWeeklyReport(
  source: JournalSource,
  account: Account,
  period: ReportPeriod,
  runway: Runway,
  nameOf: (userId: string) => string | null,
): Promise<WeeklyReport> {
  const to = period.to;
  const from = addDays(to, -7);
  const fortnight = addDays(to, -14);
  const thisWeek = totals();
  const lastWeek = totals();
  const destinations = new Map<string, UsageTotals>();
  const users = new Map<string | null, UsageTotals>();
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
    if (detail.kind === 'usage') {
      const started = Date.parse(detail.usage.startDateTime);
      const charge = -entry.amountMinor;
      const seconds = detail.usage.durationSeconds ?? 0;
      if (started >= fortnight && started < from) add(lastWeek, seconds, charge);
      if (!inWeek(started)) return 'skip';
      add(thisWeek, seconds, charge);
      add(bucket(destinations, destinationOf(detail.usage)), seconds, charge);
      add(bucket(users, detail.usage.userId), seconds, charge);
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
  const scan = await scanBack(source, account.tenantId, { before: account.entryCount + 1, maxRead: REPORT_MAX_ENTRIES, take });
  const top = <K>(map: Map<K, UsageTotals>) => {
    // Largest spend first; ties by name, so the report does not depend on the order calls came in.
    const sorted = [...map].sort((a, b) => b[1].minor - a[1].minor || b[1].calls - a[1].calls || String(a[0] ?? '').localeCompare(String(b[0] ?? '')));
    const others = totals();
    for (const [, t] of sorted.slice(REPORT_TOP)) {
      others.calls += t.calls;
      others.seconds += t.seconds;
      others.minor += t.minor;
    }
    return { top: sorted.slice(0, REPORT_TOP), others };
  };
  const byDestination = top(destinations);
  const byUser = top(users);

  return {
    week: period.week,
    from: iso(from),
    to: iso(to),
    ...reportAccountFigures(account, to),
    thisWeek,
    lastWeek,
    runway,
    topDestinations: byDestination.top.map(([destination, t]) => ({ destination, ...t })),
    otherDestinations: byDestination.others,
    topUsers: byUser.top.map(([userId, t]) => ({ userId, name: userId === null ? null : nameOf(userId), ...t })),
    otherUsers: byUser.others,
    autoRecharges,
    otherAdditions,
    failedPayments,
    // The scan ended on an entry older than the fortnight, or at the first entry: it saw it all.
    complete: stopped || scan.lowest <= 1,
  };
}

/** What a report says of the account as it stands (taken again inside the change that raises it). */
export function reportAccountFigures(
  account: Account,
  to: number,
): Pick<WeeklyReport, 'status' | 'autoRecharge' | 'recharge' | 'lowBalanceAlertMinor' | 'expiring'> {
  const horizon = addDays(to, REPORT_EXPIRING_DAYS);
  return {
    status: accountStatus(account),
    autoRecharge: { ...account.autoRecharge },
    recharge: structuredClone(account.recharge),
    lowBalanceAlertMinor: account.lowBalanceAlertMinor,
    expiring: account.lots
      .filter((lot) => lot.expiresAt < horizon)
      .sort((a, b) => a.expiresAt - b.expiresAt)
      .map((lot) => ({ remainingMinor: lot.remainingMinor, expiresAt: iso(lot.expiresAt) })),
  };
}

const totals = (): UsageTotals => ({ calls: 0, seconds: 0, minor: 0 });

function bucket<K>(map: Map<K, UsageTotals>, key: K): UsageTotals {
  let t = map.get(key);
  if (!t) map.set(key, (t = totals()));
  return t;
}

function add(t: UsageTotals, seconds: number, minor: Minor): void {
  t.calls++;
  t.seconds += seconds;
  t.minor += minor;
}
