import { toDecimalString } from '../services/money.js';
import { button, executeAction } from './action.js';
import {
  actionSet,
  adaptiveCard,
  clip,
  column,
  columnSet,
  factSet,
  header,
  note,
  section,
  textBlock,
  type AdaptiveCard,
  type CardElement,
  type ColumnSet,
} from './elements.js';
import { destinationLabel } from './destinations.js';
import { localize, type Formatter, type Reader } from './format.js';
import { runwayText } from './fragments.js';
import type { Strings } from './i18n/index.js';
import type { SpendSliceViewModel, TopSpendersViewModel, UsageRowViewModel, UsageViewModel } from './viewModels.js';
import { spendPerDayChart, spendSplitChart, titled } from './charts.js';
import { Verb } from './verbs.js';

/** Rows shown; the rest are summed up in one line (the total still counts them). */
export const USAGE_MAX_ROWS = 25;

/** "Outgoing · International", "呼出通话 · 塞拉利昂": the call type and destination in the reader's language. */
export function usageRowLabel(row: UsageRowViewModel, t: Strings, f: Pick<Formatter, 'locale'>): string {
  if (row.label) return clip(row.label, 40);
  const callType = row.callType ? (t.usage.callTypes[row.callType] ?? clip(row.callType, 20)) : t.usage.unknown;
  const destination = row.destination?.trim();
  const where = !destination || destination.toLowerCase() === 'unknown' ? null : clip(destinationLabel(destination, t, f), 24);
  return where ? `${callType} · ${where}` : callType;
}

/** Recent usage by call type and destination, the total, and the runway forecast. */
export function renderUsageCard(vm: UsageViewModel, reader: Reader): AdaptiveCard {
  const { t, f } = localize(reader);
  const money = (minor: number) => f.money(minor, vm.currency);
  const row = (cells: [string, string, string, string], options: { bold?: boolean; separator?: boolean } = {}): ColumnSet =>
    columnSet(
      cells.map((text, i) =>
        column([textBlock(text, { weight: options.bold ? 'bolder' : 'default', horizontalAlignment: i === 0 ? 'left' : 'right' })], [5, 2, 2, 3][i]!),
      ),
      { spacing: 'small', separator: options.separator ?? false },
    );

  const body: CardElement[] = [header(t.usage.title, f.dateRange(vm.from, vm.to))];
  if (vm.perDay?.some((day) => day.minor > 0)) body.push(...titled(t.insight.perDayTitle, spendPerDayChart(vm.perDay, vm.currency, t, f)));
  if (vm.rows.length > 0) body.push(...titled(t.insight.splitTitle, spendSplitChart(destinationSlices(vm.rows, t, f), vm.currency, t, f)));
  if (vm.rows.length === 0) {
    body.push(note(t.usage.empty, { spacing: 'medium' }));
  } else {
    body.push(row([t.usage.callType, t.usage.calls, t.usage.minutes, t.usage.amount], { bold: true }));
    const shown = vm.rows.slice(0, USAGE_MAX_ROWS);
    for (const r of shown) body.push(row([usageRowLabel(r, t, f), f.integer(r.count), f.minutes(r.minutes), money(r.amountMinor)], { separator: true }));
    const rest = vm.rows.slice(USAGE_MAX_ROWS);
    if (rest.length > 0) {
      const sum = (pick: (r: UsageRowViewModel) => number) => rest.reduce((total, r) => total + pick(r), 0);
      body.push(
        row([t.common.moreItems(rest.length), f.integer(sum((r) => r.count)), f.minutes(sum((r) => r.minutes)), money(sum((r) => r.amountMinor))], {
          separator: true,
        }),
      );
    }
    const calls = vm.rows.reduce((total, r) => total + r.count, 0);
    const minutes = vm.rows.reduce((total, r) => total + r.minutes, 0);
    body.push(row([t.usage.total, f.integer(calls), f.minutes(minutes), money(vm.totalMinor)], { bold: true, separator: true }));
  }

  if (vm.topSpenders) body.push(...section(t.insight.topSpendersTitle, topSpenderItems(vm.topSpenders, vm.currency, t, f)));

  const forecast: CardElement[] = [];
  const suggestion = vm.runway?.suggestedRechargeMinor ?? null;
  if (vm.runway) {
    forecast.push(textBlock(runwayText(vm.runway.daysLeft, vm.runway.until === 'trigger', t, f), { spacing: 'small' }));
    if (vm.runway.dailyBurnMinor) forecast.push(note(t.usage.dailyBurn(money(vm.runway.dailyBurnMinor))));
    if (suggestion) {
      // The suggestion is acted on where it is read: add it now, or make it the auto-recharge amount.
      const amount = toDecimalString(suggestion, vm.currency);
      forecast.push(note(t.usage.suggested(money(suggestion))));
      forecast.push(
        actionSet(
          [
            executeAction({ verb: Verb.fundsReview, title: t.actions.addAmount(money(suggestion)), style: 'positive', data: { amount }, ignoreInputs: true }),
            executeAction({ verb: Verb.autoRechargeOpen, title: t.actions.useForAutoRecharge(money(suggestion)), data: { amount }, ignoreInputs: true }),
          ],
          { spacing: 'small' },
        ),
      );
    }
  }
  body.push(...section(t.balance.insightTitle, forecast));

  const actions = [button(Verb.balanceRefresh, t.actions.showBalance), button(Verb.historyPage, t.actions.history)];
  if (!suggestion) actions.push(button(Verb.autoRechargeOpen, t.actions.autoRecharge), button(Verb.fundsStart, t.actions.addFunds));
  return adaptiveCard(body, actions);
}

/** Spend by destination (Domestic, the country called) in the reader's language, from the rows by call type and destination. */
function destinationSlices(rows: UsageRowViewModel[], t: Strings, f: Formatter): SpendSliceViewModel[] {
  const byLabel = new Map<string, number>();
  for (const row of rows) {
    const destination = row.destination?.trim();
    const label = !destination || destination.toLowerCase() === 'unknown' ? t.insight.other : destinationLabel(destination, t, f);
    byLabel.set(label, (byLabel.get(label) ?? 0) + row.amountMinor);
  }
  return [...byLabel].map(([label, minor]) => ({ label, minor }));
}

/** "Ana Lima — $12.30 · 14 calls", largest first; calls naming nobody as "Unknown user". */
function topSpenderItems(top: TopSpendersViewModel, currency: string, t: Strings, f: Formatter): CardElement[] {
  if (top.rows.length === 0) return [note(t.insight.topSpendersNone)];
  const items: CardElement[] = [
    factSet(
      top.rows.map((row) => ({
        title: row.unknown ? t.insight.unknownUser : clip(row.label, 40),
        value: `${f.money(row.minor, currency)} · ${t.insight.calls(f.integer(row.calls))}`,
      })),
    ),
  ];
  if (top.truncated) items.push(note(t.insight.partial));
  return items;
}

/** "Usage: Feb 4 – Mar 5, 2026 · $68.05". */
export function usageSummary(vm: UsageViewModel, reader: Reader): string {
  const { t, f } = localize(reader);
  return t.summary.line(t.usage.title, `${f.dateRange(vm.from, vm.to)} · ${f.money(vm.totalMinor, vm.currency)}`);
}
