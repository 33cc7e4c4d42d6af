import { button, executeAction } from './action.js';
import { HOUR_MS } from '../services/calendar.js';
import { adaptiveCard, factSet, header, textBlock, type AdaptiveCard, type CardAction, type ContainerStyle, type Fact } from './elements.js';
import { destinationName } from './destinations.js';
import { formatter, localize, type Formatter, type Reader } from './format.js';
import { timesNote } from './fragments.js';
import type { AlertViewModel } from './viewModels.js';
import { Verb } from './verbs.js';
import { renderWeeklyReportCard, weeklyReportContent, weeklyReportSummary, weeklyReportViewModel } from './weeklyReport.js';

/** What an alert says, in one language: shared by its card and its notice email. */
export interface AlertContent {
  title: string;
  text: string;
  style: ContainerStyle;
  /** When it happened, and the balance unless the text already says it. */
  facts: Fact[];
  actions: CardAction[];
}

/** Alerts whose sentence states the balance: their card does not repeat it. */
const BALANCE_IN_TEXT: ReadonlySet<AlertViewModel['type']> = new Set(['low-balance', 'suspended', 'resumed', 'auto-recharge-succeeded']);

/** The title, sentence, colour, facts and buttons of an alert; each button says what it does. */
export function alertContent(alert: AlertViewModel, reader: Reader): AlertContent {
  const { t, f } = localize(reader);
  const facts: Fact[] = [{ title: t.alerts.at, value: whenItHappened(alert, f) }];
  if (!BALANCE_IN_TEXT.has(alert.type)) facts.unshift({ title: t.alerts.balance, value: f.money(alert.balanceMinor, alert.currency) });
  return { ...whatHappened(alert, reader), facts };
}

/**
 * The time of the event itself: the hour a spike happened in, the first call to a new
 * destination; otherwise when the change that raised it was made.
 */
function whenItHappened(alert: AlertViewModel, f: Formatter): string {
  if (alert.type === 'unusual-spend' && alert.reason === 'hourly-spike' && alert.hourStart) {
    return `${f.dateTime(alert.hourStart)}–${f.time(new Date(Date.parse(alert.hourStart) + HOUR_MS).toISOString())}`;
  }
  if (alert.type === 'unusual-spend' && alert.firstCallAt) return f.dateTime(alert.firstCallAt);
  return f.dateTime(alert.at);
}

function whatHappened(alert: AlertViewModel, reader: Reader): Omit<AlertContent, 'facts'> {
  const { t, f } = localize(reader);
  const money = (minor: number) => f.money(minor, alert.currency);
  const addFunds = button(Verb.fundsStart, t.actions.addFunds, 'positive');
  const showBalance = button(Verb.balanceRefresh, t.actions.showBalance);
  const autoRecharge = button(Verb.autoRechargeOpen, t.actions.autoRechargeSettings);

  switch (alert.type) {
    case 'low-balance':
      return {
        title: t.alerts.lowBalanceTitle,
        text: t.alerts.lowBalance(money(alert.balanceMinor), money(alert.thresholdMinor)),
        style: 'warning',
        actions: [addFunds, autoRecharge, button(Verb.alertsOpen, t.actions.changeThreshold)],
      };
    case 'suspended':
      return {
        title: t.alerts.suspendedTitle,
        text: t.alerts.suspended(money(alert.balanceMinor)),
        style: 'attention',
        actions: [addFunds, autoRecharge, showBalance],
      };
    case 'resumed':
      return { title: t.alerts.resumedTitle, text: t.alerts.resumed(money(alert.balanceMinor)), style: 'good', actions: [showBalance, autoRecharge] };
    case 'auto-recharge-succeeded':
      return {
        title: t.alerts.rechargeSucceededTitle,
        text: t.alerts.rechargeSucceeded(money(alert.amountMinor), money(alert.balanceMinor)),
        style: 'good',
        actions: [showBalance, autoRecharge],
      };
    case 'auto-recharge-failed': {
      const waits = alert.reason === 'expired-card' || alert.reason === 'no-payment-method';
      const next = alert.paused
        ? t.alerts.rechargePaused(alert.consecutiveFailures)
        : waits
          ? t.alerts.rechargeWaiting
          : alert.retryAt
            ? t.alerts.rechargeRetry(f.dateTime(alert.retryAt))
            : '';
      const actions: CardAction[] = [button(Verb.paymentMethodOpen, t.actions.changePaymentMethod, 'positive')];
      if (alert.paused) actions.push(executeAction({ verb: Verb.autoRechargeToggle, title: t.actions.resume, data: { enabled: true }, ignoreInputs: true }));
      actions.push(autoRecharge, button(Verb.fundsStart, t.actions.addFunds));
      return {
        title: alert.paused ? t.alerts.rechargePausedTitle : t.alerts.rechargeFailedTitle,
        text: t.common.sentences(t.alerts.failure[alert.reason], next),
        style: 'attention',
        actions,
      };
    }
    case 'auto-recharge-limited': {
      const resumes = f.dateTime(alert.resumesAt);
      const what =
        alert.limit === 'count'
          ? t.spendControls.limitedCount(alert.recharges, resumes)
          : t.spendControls.limitedAmount(money(alert.rechargedMinor), money(alert.maxMinor ?? alert.rechargedMinor), resumes);
      return {
        title: t.spendControls.limitedTitle,
        text: t.common.sentences(what, t.spendControls.howToLift),
        style: 'warning',
        actions: [button(Verb.autoRechargeOpen, t.actions.autoRechargeSettings, 'positive'), addFunds, showBalance],
      };
    }
    case 'daily-spend-exceeded':
      return {
        title: t.spendControls.dailyTitle,
        text: t.common.sentences(
          t.spendControls.daily(dayText(alert.day, reader), money(alert.spentMinor), money(alert.ceilingMinor)),
          t.spendControls.dailyHint,
        ),
        style: 'warning',
        actions: [button(Verb.usageOpen, t.actions.seeUsage, 'positive'), autoRecharge, showBalance],
      };
    case 'funds-expiring':
      return {
        title: t.alerts.expiringTitle,
        text: t.alerts.expiring(money(alert.remainingMinor), alert.days, f.date(alert.expiresAt)),
        style: 'warning',
        actions: [showBalance, button(Verb.usageOpen, t.actions.seeUsage)],
      };
    case 'funds-expired':
      return { title: t.alerts.expiredTitle, text: t.alerts.expired(money(alert.amountMinor)), style: 'warning', actions: [addFunds, showBalance] };
    case 'unusual-spend': {
      const what =
        alert.reason === 'new-destination' && alert.destination
          ? newDestinationsText({ ...alert, destination: alert.destination }, reader)
          : alert.hourStart && alert.spendMinor !== null && alert.baselineMinor !== null
            ? typeof alert.thresholdMinor === 'number'
              ? t.alerts.hourlySpikeCompared(f.dateTime(alert.hourStart), money(alert.spendMinor), money(alert.baselineMinor), money(alert.thresholdMinor))
              : t.alerts.hourlySpike(f.dateTime(alert.hourStart), money(alert.spendMinor), money(alert.baselineMinor))
            : t.alerts.hourlySpikeUnknown;
      // A new destination leads to who called it; a spike to the usage breakdown.
      const first: CardAction =
        alert.reason === 'new-destination' && alert.destination
          ? executeAction({
              verb: Verb.destinationCalls,
              title: t.actions.seeWhoCalled,
              style: 'positive',
              data: { destination: alert.destination.slice(0, 80) },
              ignoreInputs: true,
            })
          : button(Verb.usageOpen, t.actions.seeUsage, 'positive');
      const usage = button(Verb.usageOpen, t.actions.seeUsage);
      return {
        title: t.alerts.unusualSpendTitle,
        text: t.common.sentences(what, t.alerts.fraudHint),
        style: 'attention',
        actions:
          alert.reason === 'new-destination' && alert.destination
            ? [first, usage, showBalance]
            : [first, button(Verb.historyPage, t.actions.history), showBalance],
      };
    }
    case 'weekly-report': {
      // Its card and email are the report itself (weeklyReport.ts); this is its one-paragraph form.
      const content = weeklyReportContent(weeklyReportViewModel(alert), reader);
      return { title: content.title, text: content.balance, style: 'emphasis', actions: [showBalance, button(Verb.usageOpen, t.actions.usage)] };
    }
  }
}

/**
 * What the chat list and the notification say for an alert: its title and the one figure that
 * matters ("Calling suspended: balance -$4.50"), in the reader's language.
 */
export function alertSummary(alert: AlertViewModel, reader: Reader): string {
  const { t, f } = localize(reader);
  const money = (minor: number) => f.money(minor, alert.currency);
  const { line, balance } = t.summary;
  switch (alert.type) {
    case 'low-balance':
      return line(t.alerts.lowBalanceTitle, t.summary.lowBalance(money(alert.balanceMinor), money(alert.thresholdMinor)));
    case 'suspended':
      return line(t.alerts.suspendedTitle, balance(money(alert.balanceMinor)));
    case 'resumed':
      return line(t.alerts.resumedTitle, balance(money(alert.balanceMinor)));
    case 'auto-recharge-succeeded':
      return line(t.alerts.rechargeSucceededTitle, `+${money(alert.amountMinor)} · ${balance(money(alert.balanceMinor))}`);
    case 'auto-recharge-failed':
      return line(alert.paused ? t.alerts.rechargePausedTitle : t.alerts.rechargeFailedTitle, t.alerts.failure[alert.reason]);
    case 'auto-recharge-limited':
      return line(t.spendControls.limitedTitle, t.spendControls.summaryLimited(f.dateTime(alert.resumesAt)));
    case 'daily-spend-exceeded':
      return line(t.spendControls.dailyTitle, t.spendControls.summaryDaily(money(alert.spentMinor)));
    case 'funds-expiring':
      return line(t.alerts.expiringTitle, t.summary.expiring(money(alert.remainingMinor), f.date(alert.expiresAt)));
    case 'funds-expired':
      return line(t.alerts.expiredTitle, money(alert.amountMinor));
    case 'unusual-spend': {
      if (alert.reason === 'new-destination' && alert.destination) {
        const more = (alert.moreDestinations?.length ?? 0) + (alert.unnamedDestinations ?? 0);
        return line(t.alerts.unusualSpendTitle, t.summary.newDestinations(destinationName(alert.destination, f.locale), more > 0 ? f.integer(more) : null));
      }
      return alert.spendMinor !== null ? line(t.alerts.unusualSpendTitle, t.summary.spike(money(alert.spendMinor))) : t.alerts.unusualSpendTitle;
    }
    case 'weekly-report':
      return weeklyReportSummary(weeklyReportViewModel(alert), reader);
  }
}

/** A tenant day ("2026-03-10", already in the tenant's zone) as a date in the reader's language, shifted to no zone. */
function dayText(day: string, reader: Reader): string {
  const locale = typeof reader === 'object' && reader !== null ? reader.locale : reader;
  return formatter(locale, 'UTC').date(`${day}T12:00:00.000Z`);
}

/**
 * New destinations, summarised: the first few by name and how many more, whether the tenant's
 * record of destinations is full, and until when no further such alert comes.
 */
function newDestinationsText(alert: Extract<AlertViewModel, { type: 'unusual-spend' }> & { destination: string }, reader: Reader): string {
  const { t, f } = localize(reader);
  const names = [alert.destination, ...(alert.moreDestinations ?? [])].map((name) => destinationName(name, f.locale));
  const unnamed = alert.unnamedDestinations ?? 0;
  const parts = [
    names.length === 1 && unnamed === 0
      ? t.alerts.newDestination(names[0]!)
      : t.alerts.newDestinations(f.list(names, unnamed > 0 ? 'open' : 'complete'), unnamed > 0 ? f.integer(unnamed) : null),
  ];
  if (alert.destinationListFull) parts.push(t.alerts.destinationListFull);
  if (alert.quietUntil) parts.push(t.alerts.newDestinationsQuiet(f.dateTime(alert.quietUntil)));
  return t.common.sentences(...parts);
}

/**
 * One proactive alert: a title in the alert's colour, what happened, when (and the balance where
 * the sentence does not say it), and the button that fixes it (Add funds, Change payment method, …).
 */
export function renderAlertCard(alert: AlertViewModel, reader: Reader): AdaptiveCard {
  if (alert.type === 'weekly-report') return renderWeeklyReportCard(weeklyReportViewModel(alert), reader);
  const { t, f } = localize(reader);
  const content = alertContent(alert, reader);
  return adaptiveCard(
    [header(content.title, t.product, content.style), textBlock(content.text, { spacing: 'medium' }), factSet(content.facts), timesNote(t, f)],
    content.actions,
  );
}
