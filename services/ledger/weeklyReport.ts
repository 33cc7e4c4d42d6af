import { iso } from '../calendar.js';
import { reportAccountFigures, type WeeklyReport } from '../insight/weeklyReport.js';
import type { ScheduledReport, WeeklySchedule } from '../insight/weeklySchedule.js';
import type { Change, NoChange } from '../ports.js';
import type { Account } from './account.js';
import { ChangeDraft } from './changeDraft.js';
import { weeklyReportKey } from './operationKeys.js';

/**
 * Raises the week's report inside a ledger change: a `weekly-report` entry under the key of the
 * tenant and the week, and the alert the dispatcher delivers to each admin. A key the account
 * already holds raises nothing, so the report is raised once per week across restarts, crashes
 * mid-delivery (the stored alert is delivered again, the delivery log skipping whoever has it)
 * and instances sharing PostgreSQL (whose `operation_keys` key refuses a second writer). True
 * when it was raised now.
 */
export function raiseWeeklyReport(account: Account, due: ScheduledReport, report: WeeklyReport, now: number): Change<boolean> | NoChange<boolean> {
  const key = weeklyReportKey(account.tenantId, due.week);
  if (account.keys.operations.has(key)) return { result: false };
  const draft = new ChangeDraft(account, account.tenantId, now);
  draft.record({ detail: { kind: 'weekly-report', week: due.week, dueAt: iso(due.dueAt) }, amountMinor: 0, actor: 'system', idempotencyKey: key });
  draft.raise({
    tenantId: account.tenantId,
    currency: account.currency,
    balanceMinor: account.balanceMinor,
    at: iso(now),
    type: 'weekly-report',
    // The usage figures were summed before the change; the account's own are taken as it is now.
    report: { ...report, ...reportAccountFigures(account, due.dueAt) },
    optedOut: [...account.weeklyReport.optedOut],
  });
  return draft.finish(true);
}

/** Sets the report's day and hour in `timeZone` (validated by the caller: a weekday 1–7, an hour 0–23, a zone Intl knows). */
export function changeWeeklyReportSchedule(
  account: Account,
  schedule: WeeklySchedule & { timeZone: string | null },
  actor: string,
  now: number,
): Change<null> | NoChange<null> {
  const current = account.weeklyReport;
  if (current.day === schedule.day && current.hour === schedule.hour && current.timeZone === schedule.timeZone) return { result: null };
  const draft = new ChangeDraft(account, account.tenantId, now);
  draft.record({
    detail: { kind: 'settings-changed', weeklyReportSchedule: { day: schedule.day, hour: schedule.hour, timeZone: schedule.timeZone } },
    amountMinor: 0,
    actor,
    idempotencyKey: null,
  });
  return draft.finish(null);
}

/** One admin switches their own weekly report off ("stop weekly report") or back on. */
export function changeWeeklyReportOptOut(account: Account, actor: string, optedOut: boolean, now: number): Change<null> | NoChange<null> {
  if (account.weeklyReport.optedOut.includes(actor) === optedOut) return { result: null };
  const draft = new ChangeDraft(account, account.tenantId, now);
  draft.record({ detail: { kind: 'settings-changed', weeklyReportOptOut: { actor, optedOut } }, amountMinor: 0, actor, idempotencyKey: null });
  return draft.finish(null);
}
