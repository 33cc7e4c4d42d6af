import type { WeeklyReport } from '../services/insight/weeklyReport.js';
import type { Minor } from '../services/money.js';
import { button } from './action.js';
import { adaptiveCard, clip, factSet, header, note, section, textBlock, type AdaptiveCard, type CardElement, type Fact } from './elements.js';
import { destinationLabel } from './destinations.js';
import { formatter, localize, type Formatter, type Reader } from './format.js';
import { autoRechargeSummary, runwayText, timesNote } from './fragments.js';
import { autoRechargeViewModel } from './fromLedger.js';
import type { Strings } from './i18n/index.js';
import type { MessageContent } from './problems.js';
import type { AlertViewModel, BalanceViewModel, UsageRowViewModel, UsageViewModel } from './viewModels.js';
import { Verb } from './verbs.js';

/**
 * The weekly report as plain data: the balance card's figures (balance, status, auto-recharge,
 * lots), the usage card's rows (top destinations and callers) and forecast, and the week's
 * spend and payments.
 */
export interface WeeklyReportViewModel {
  currency: string;
  /** The week reported on; `onRequest`: an operator asked for it now. */
  from: string;
  to: string;
  onRequest: boolean;
  balance: Pick<BalanceViewModel, 'balanceMinor' | 'status' | 'autoRecharge' | 'lots'>;
  thisWeek: { minor: Minor; calls: number };
  lastWeekMinor: Minor;
  runway: NonNullable<UsageViewModel['runway']>;
  /** Largest first; `label` set for the "others" row. */
  topDestinations: UsageRowViewModel[];
  /** `label`: the caller's name, or their user id when the bot knows no name; null for calls naming nobody. */
  topUsers: Array<Omit<UsageRowViewModel, 'label'> & { label: string | null }>;
  /** The calls past the top ones, summed. */
  othersDestinations: { count: number; amountMinor: Minor };
  othersUsers: { count: number; amountMinor: Minor };
  autoRecharges: { count: number; amountMinor: Minor };
  otherAdditions: { count: number; amountMinor: Minor };
  failedPayments: WeeklyReport['failedPayments'];
  complete: boolean;
}

type WeeklyReportAlertViewModel = Extract<AlertViewModel, { type: 'weekly-report' }>;

/** The report's view model from the alert the ledger raised (or the one built on request). */
export function weeklyReportViewModel(alert: Pick<WeeklyReportAlertViewModel, 'currency' | 'balanceMinor' | 'report'>): WeeklyReportViewModel {
  const r = alert.report;
  const minutes = (seconds: number) => Math.round(seconds / 6) / 10;
  return {
    currency: alert.currency,
    from: r.from,
    to: r.to,
    onRequest: r.week === null,
    balance: {
      balanceMinor: alert.balanceMinor,
      status: r.status,
      autoRecharge: autoRechargeViewModel(r),
      lots: r.expiring.map((lot) => ({ remainingMinor: lot.remainingMinor, expiresAt: lot.expiresAt })),
    },
    thisWeek: { minor: r.thisWeek.minor, calls: r.thisWeek.calls },
    lastWeekMinor: r.lastWeek.minor,
    runway: {
      daysLeft: r.runway.daysLeft,
      until: r.runway.until,
      dailyBurnMinor: r.runway.dailyBurnMinor,
      suggestedRechargeMinor: r.runway.suggestedRechargeMinor,
    },
    topDestinations: r.topDestinations.map((d) => ({ destination: d.destination, count: d.calls, minutes: minutes(d.seconds), amountMinor: d.minor })),
    topUsers: r.topUsers.map((u) => ({ label: u.name ?? u.userId, count: u.calls, minutes: minutes(u.seconds), amountMinor: u.minor })),
    othersDestinations: { count: r.otherDestinations.calls, amountMinor: r.otherDestinations.minor },
    othersUsers: { count: r.otherUsers.calls, amountMinor: r.otherUsers.minor },
    autoRecharges: { count: r.autoRecharges.count, amountMinor: r.autoRecharges.minor },
    otherAdditions: { count: r.otherAdditions.count, amountMinor: r.otherAdditions.minor },
    failedPayments: { ...r.failedPayments },
    complete: r.complete,
  };
}

/** One part of the report: a title and its facts, or a line saying there is nothing to list. */
export interface ReportSection {
  title: string;
  facts: Fact[];
  empty?: string;
}

/** What the report says, in one language: shared by its card and its email, so they say the same. */
export interface WeeklyReportContent {
  title: string;
  period: string;
  balance: string;
  sections: ReportSection[];
  /** Small print: an incomplete week, how to stop it or change its time. */
  notes: string[];
}

export function weeklyReportContent(vm: WeeklyReportViewModel, reader: Reader): WeeklyReportContent {
  const { t, f } = localize(reader);
  const w = t.weeklyReport;
  const money = (minor: Minor) => f.money(minor, vm.currency);
  const suspended = vm.balance.status === 'suspended';

  const account: ReportSection = {
    title: w.accountTitle,
    facts: [
      { title: t.status.label, value: suspended ? t.status.suspended : t.status.active },
      { title: t.common.autoRecharge, value: autoRechargeSummary(vm.balance.autoRecharge, vm.currency, t, f) },
      { title: t.balance.insightTitle, value: runwayText(vm.runway.daysLeft, vm.runway.until === 'trigger', t, f) },
    ],
  };
  const spend: ReportSection = {
    title: w.spendTitle,
    facts: [
      { title: w.thisWeek, value: w.spendValue(money(vm.thisWeek.minor), f.integer(vm.thisWeek.calls)) },
      { title: w.lastWeek, value: money(vm.lastWeekMinor) },
      { title: w.change, value: changeText(vm.thisWeek.minor, vm.lastWeekMinor, money, w, f) },
    ],
  };
  const rowFact = (label: string, row: { count: number; amountMinor: Minor }): Fact => ({
    title: label,
    value: w.spendValue(money(row.amountMinor), f.integer(row.count)),
  });
  const others = (row: { count: number; amountMinor: Minor }): Fact[] => (row.count > 0 ? [rowFact(w.others, row)] : []);
  const destinations: ReportSection = {
    title: w.topDestinationsTitle,
    facts: [...vm.topDestinations.map((d) => rowFact(clip(destinationLabel(d.destination ?? '', t, f), 40), d)), ...others(vm.othersDestinations)],
    empty: w.noCalls,
  };
  const users: ReportSection = {
    title: w.topUsersTitle,
    facts: [...vm.topUsers.map((u) => rowFact(u.label === null ? w.unknownCaller : clip(u.label, 40), u)), ...others(vm.othersUsers)],
    empty: w.noCalls,
  };
  const expiring: ReportSection = {
    title: w.expiringTitle,
    facts: vm.balance.lots.map((lot) => ({ title: money(lot.remainingMinor), value: t.balance.lotExpires(f.date(lot.expiresAt)) })),
    empty: w.noneExpiring,
  };
  const failure = vm.failedPayments.lastReason;
  const payments: ReportSection = {
    title: w.paymentsTitle,
    facts: [
      { title: w.autoRecharges, value: w.countAmount(f.integer(vm.autoRecharges.count), money(vm.autoRecharges.amountMinor)) },
      { title: w.otherAdditions, value: w.countAmount(f.integer(vm.otherAdditions.count), money(vm.otherAdditions.amountMinor)) },
      {
        title: w.failedPayments,
        value: failure ? w.failedValue(f.integer(vm.failedPayments.count), t.alerts.failure[failure]) : f.integer(vm.failedPayments.count),
      },
    ],
  };
  const notes = [];
  if (!vm.complete) notes.push(w.incomplete);
  notes.push(vm.onRequest ? w.onRequest : w.howToStop);
  return {
    title: w.title,
    period: t.common.atTime(`${f.dateTime(vm.from)} – ${f.dateTime(vm.to)}`, f.zoneName),
    balance: t.summary.line(t.balance.title, money(vm.balance.balanceMinor)),
    sections: [account, spend, destinations, users, expiring, payments],
    notes,
  };
}

/** "up $4.00 (+25%)", "down $2.50 (−10%)", "no change"; no percentage against a week without spend. */
function changeText(now: Minor, before: Minor, money: (minor: Minor) => string, w: Strings['weeklyReport'], f: Formatter): string {
  const difference = now - before;
  if (difference === 0) return w.noChange;
  // A ratio of two amounts, shown rounded: no money is computed from it.
  const percent = before > 0 ? f.integer(Math.round((Math.abs(difference) * 100) / before)) : null;
  return difference > 0 ? w.up(money(difference), percent) : w.down(money(-difference), percent);
}

/**
 * The weekly report card: the balance in large type, then the account, the week's spend against
 * the week before, top destinations and callers, funds expiring within 30 days and the week's
 * payments, with the buttons to see more.
 */
export function renderWeeklyReportCard(vm: WeeklyReportViewModel, reader: Reader): AdaptiveCard {
  const { t, f } = localize(reader);
  const content = weeklyReportContent(vm, reader);
  const body: CardElement[] = [
    header(content.title, content.period),
    textBlock(f.money(vm.balance.balanceMinor, vm.currency), {
      size: 'extraLarge',
      weight: 'bolder',
      color: vm.balance.status === 'suspended' ? 'attention' : 'default',
      spacing: 'medium',
    }),
  ];
  for (const part of content.sections) body.push(...section(part.title, [part.facts.length > 0 ? factSet(part.facts) : note(part.empty ?? t.common.none)]));
  for (const text of content.notes) body.push(note(text, { spacing: 'medium' }));
  body.push(timesNote(t, f));
  return adaptiveCard(body, [
    button(Verb.balanceRefresh, t.actions.showBalance, 'positive'),
    button(Verb.usageOpen, t.actions.usage),
    button(Verb.historyPage, t.actions.history),
    button(Verb.fundsStart, t.actions.addFunds),
  ]);
}

/** "Weekly report: balance $37.66 · spent $12.00 this week". */
export function weeklyReportSummary(vm: WeeklyReportViewModel, reader: Reader): string {
  const { t, f } = localize(reader);
  return t.summary.line(t.weeklyReport.title, t.weeklyReport.summary(f.money(vm.balance.balanceMinor, vm.currency), f.money(vm.thisWeek.minor, vm.currency)));
}

/** "Monday at 09:00 (China Standard Time)": when the report comes, in the reader's language. */
export function weeklyScheduleText(schedule: { day: number; hour: number; timeZone: string }, reader: Reader): string {
  const { t, f } = localize(reader);
  // 2024-01-01 was a Monday: day 1 is the 1st, day 7 the 7th.
  const day = new Intl.DateTimeFormat(f.locale, { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(2024, 0, schedule.day));
  return t.weeklyReport.when(day, `${String(schedule.hour).padStart(2, '0')}:00`, formatter(f.locale, schedule.timeZone).zoneName);
}

/** What an admin's "weekly report …" message did, for the reply. */
export type WeeklyReportSettingsViewModel =
  | { state: 'show' | 'on' | 'off' | 'scheduled'; schedule: { day: number; hour: number; timeZone: string }; youGetIt: boolean }
  | { state: 'unreadable' };

/** The reply to "stop weekly report", "weekly report on", "weekly report Monday 9", or "weekly report". */
export function weeklyReportSettingsContent(vm: WeeklyReportSettingsViewModel, reader: Reader): MessageContent {
  const { t } = localize(reader);
  const w = t.weeklyReport;
  if (vm.state === 'unreadable') return { title: w.badScheduleTitle, text: w.badSchedule, tone: 'warning' };
  const when = weeklyScheduleText(vm.schedule, reader);
  const yours = vm.youGetIt ? w.on(when) : w.off;
  switch (vm.state) {
    case 'scheduled':
      return { title: w.scheduledTitle, text: t.common.sentences(w.scheduled(when), yours), tone: 'good' };
    case 'off':
      return { title: w.offTitle, text: yours, tone: 'info' };
    case 'on':
      return { title: w.onTitle, text: yours, tone: 'good' };
    case 'show':
      return { title: vm.youGetIt ? w.onTitle : w.offTitle, text: yours, tone: 'info' };
  }
}
