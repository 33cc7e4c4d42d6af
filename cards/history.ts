import { weeklyScheduleText } from './weeklyReport.js';
import { button, executeAction } from './action.js';
import {
  adaptiveCard,
  clip,
  column,
  columnSet,
  header,
  note,
  openUrlAction,
  textBlock,
  withOverflow,
  type AdaptiveCard,
  type CardAction,
  type CardElement,
  type Column,
} from './elements.js';
import { localize, type Formatter, type Reader } from './format.js';
import { actorLabel, entryKindLabel, timesNote } from './fragments.js';
import type { Strings } from './i18n/index.js';
import { destinationLabel } from './destinations.js';
import type { CsvLinkViewModel, HistoryEntryViewModel, HistoryNote, HistoryView, HistoryViewModel } from './viewModels.js';
import { Verb } from './verbs.js';

/** Rows per history page (an entry, or a day's calls): a full page of long rows stays well under Teams' 28 KB. */
export const HISTORY_MAX_ROWS = 20;
/** Callers named on a day's row; the rest are counted. */
const CALLERS_NAMED = 3;

/** One line of the history: an entry, or one day's calls summed. */
export type HistoryRow =
  | { kind: 'entry'; entry: HistoryEntryViewModel }
  | {
      kind: 'calls';
      /** The reader's calendar day ("2026-03-05"). */
      day: string;
      /** The day's first and last call in this page. */
      firstAt: string;
      lastAt: string;
      calls: number;
      amountMinor: number;
      /** The balance after the newest of these calls. */
      balanceAfterMinor: number;
      callers: string[];
      /** The highest and lowest entry numbers in the row. */
      highestId: number;
      lowestId: number;
    };

/**
 * A page's entries as the rows an admin reads: each call is folded into its day (of the reader's
 * zone, by when the call started, however late it was imported), every other entry is a row of its
 * own. Newest first by when it happened.
 */
export function historyRows(entries: HistoryEntryViewModel[], dayKey: (iso: string) => string): HistoryRow[] {
  const rows: HistoryRow[] = [];
  const days = new Map<string, Extract<HistoryRow, { kind: 'calls' }>>();
  for (const entry of entries) {
    if (entry.kind !== 'usage') {
      rows.push({ kind: 'entry', entry });
      continue;
    }
    const id = Number(entry.id);
    const day = dayKey(entry.at);
    let row = days.get(day);
    if (!row) {
      row = {
        kind: 'calls',
        day,
        firstAt: entry.at,
        lastAt: entry.at,
        calls: 0,
        amountMinor: 0,
        balanceAfterMinor: entry.balanceAfterMinor,
        callers: [],
        highestId: id,
        lowestId: id,
      };
      days.set(day, row);
      rows.push(row);
    }
    row.calls++;
    row.amountMinor += entry.amountMinor;
    if (Date.parse(entry.at) < Date.parse(row.firstAt)) row.firstAt = entry.at;
    if (Date.parse(entry.at) > Date.parse(row.lastAt)) row.lastAt = entry.at;
    if (id > row.highestId) [row.highestId, row.balanceAfterMinor] = [id, entry.balanceAfterMinor];
    row.lowestId = Math.min(row.lowestId, id);
    if (entry.caller && !row.callers.includes(entry.caller)) row.callers.push(entry.caller);
  }
  const when = (row: HistoryRow) => Date.parse(row.kind === 'entry' ? row.entry.at : row.lastAt) || 0;
  const number = (row: HistoryRow) => (row.kind === 'entry' ? Number(row.entry.id) : row.highestId);
  return rows.sort((a, b) => when(b) - when(a) || number(b) - number(a));
}

/**
 * A page of the history, newest first: a day's calls as one row ("Mar 2 · 7 calls · -$4.12", who
 * called), every other change as its own row with the signed amount, the balance after, when and
 * by whom; a payment that failed shows why. Which entries the page covers, Older / Newer / Newest,
 * and the switch between everything and money in and out only.
 */
export function renderHistoryCard(vm: HistoryViewModel, reader: Reader): AdaptiveCard {
  const { t, f } = localize(reader);
  const all = historyRows(vm.entries, f.dayKey);
  const rows = all.slice(0, HISTORY_MAX_ROWS);
  // A longer page than fits is cut, and Older continues right after the last row shown.
  const olderCursor = all.length > rows.length ? String(Math.min(...rows.map(lowestIdOf))) : vm.olderCursor;

  const body: CardElement[] = [header(t.history.title, vm.view === 'money' ? t.history.moneySubtitle : t.history.subtitle)];
  if (vm.span) body.push(note(t.history.span(f.integer(vm.span.first), f.integer(vm.span.last), f.integer(vm.span.total)), { spacing: 'small' }));
  if (rows.length === 0) body.push(note(vm.view === 'money' ? t.history.emptyMoney : t.history.empty, { spacing: 'medium' }));
  for (const row of rows) body.push(row.kind === 'calls' ? callsRow(row, vm.currency, t, f) : entryRow(row.entry, vm.currency, t, f));
  if (rows.length > 0) body.push(timesNote(t, f));
  body.push(note(t.history.csv(f.integer(vm.csvLink.minutes)), { spacing: 'small' }));

  const page = (direction: 'older' | 'newer', cursor: string, title: string) =>
    executeAction({ verb: Verb.historyPage, title, data: { direction, cursor, ...viewData(vm.view) }, ignoreInputs: true });
  const actions: CardAction[] = [];
  if (olderCursor !== null) actions.push(page('older', olderCursor, t.actions.older));
  if (vm.newerCursor !== null) {
    actions.push(page('newer', vm.newerCursor, t.actions.newer));
    actions.push(executeAction({ verb: Verb.historyPage, title: t.actions.newest, data: viewData(vm.view), ignoreInputs: true }));
  }
  const other: HistoryView = vm.view === 'money' ? 'all' : 'money';
  actions.push(
    executeAction({ verb: Verb.historyPage, title: other === 'money' ? t.actions.moneyOnly : t.actions.everything, data: viewData(other), ignoreInputs: true }),
  );
  actions.push(openUrlAction(t.actions.downloadCsv, vm.csvLink.url));
  actions.push(button(Verb.balanceRefresh, t.actions.showBalance));
  return adaptiveCard(body, withOverflow(actions, t.actions.more));
}

/** The answer to "export history": the download button, until when it works, and a warning not to share it. */
export function renderHistoryExportCard(link: CsvLinkViewModel, reader: Reader): AdaptiveCard {
  const { t, f } = localize(reader);
  return adaptiveCard(
    [header(t.exportHistory.title), textBlock(t.exportHistory.text(f.time(link.expiresAt))), timesNote(t, f)],
    [openUrlAction(t.actions.downloadCsv, link.url), button(Verb.historyPage, t.actions.history)],
  );
}

/** The money view travels in the buttons' data; everything is the default and needs none. */
const viewData = (view: HistoryView): { view?: 'money' } => (view === 'money' ? { view } : {});

const lowestIdOf = (row: HistoryRow): number => (row.kind === 'entry' ? Number(row.entry.id) : row.lowestId);

/** A row: what and when on the left; the signed amount and the balance after on the right. */
function row(left: CardElement[], amountMinor: number, balanceAfterMinor: number, currency: string, t: Strings, f: Formatter): CardElement {
  const right: Column = column(
    [
      textBlock(f.signedMoney(amountMinor, currency), { weight: 'bolder', horizontalAlignment: 'right', color: amountMinor > 0 ? 'good' : 'default' }),
      note(t.history.balanceAfter(f.money(balanceAfterMinor, currency)), { spacing: 'none', horizontalAlignment: 'right' }),
    ],
    'auto',
  );
  return columnSet([column(left, 'stretch'), right], { separator: true, spacing: 'small' });
}

function callsRow(calls: Extract<HistoryRow, { kind: 'calls' }>, currency: string, t: Strings, f: Formatter): CardElement {
  const named = calls.callers.slice(0, CALLERS_NAMED).map((name) => clip(name, 30));
  const more = calls.callers.length - named.length;
  const who = named.length === 0 ? null : more > 0 ? t.common.andMore(f.list(named, 'open'), f.integer(more)) : f.list(named, 'complete');
  const times = calls.calls === 1 ? f.time(calls.lastAt) : `${f.time(calls.firstAt)}–${f.time(calls.lastAt)}`;
  const left: CardElement[] = [
    textBlock(t.history.callsOnDay(f.date(calls.lastAt), f.integer(calls.calls), calls.calls), { weight: 'bolder' }),
    note(who ? `${times} · ${who}` : times, { spacing: 'none' }),
  ];
  return row(left, calls.amountMinor, calls.balanceAfterMinor, currency, t, f);
}

function entryRow(entry: HistoryEntryViewModel, currency: string, t: Strings, f: Formatter): CardElement {
  const left: CardElement[] = [
    textBlock(entryKindLabel(entry.kind, entry.source, t), { weight: 'bolder', ...(entry.failure ? { color: 'attention' as const } : {}) }),
    note(t.history.by(f.dateTime(entry.at), actorLabel(entry.actor, t)), { spacing: 'none' }),
  ];
  if (entry.failure) left.push(note(t.alerts.failure[entry.failure], { spacing: 'none' }));
  if (entry.note) left.push(note(noteText(entry.note, currency, t, f), { spacing: 'none' }));
  return row(left, entry.amountMinor, entry.balanceAfterMinor, currency, t, f);
}

/** An entry's detail in the reader's language; only an operator's own note is shown as written. */
function noteText(detail: HistoryNote, currency: string, t: Strings, f: Formatter): string {
  switch (detail.kind) {
    case 'text':
      return clip(detail.text, 80);
    case 'destination':
      return destinationLabel(detail.name, t, f);
    case 'card':
      return t.payment.cardShort(clip(detail.brand, 20), clip(detail.last4, 4));
    case 'recovered':
      return t.history.recovered;
    case 'expires':
      return t.balance.lotExpires(f.date(detail.at));
    case 'settings': {
      const parts: string[] = [];
      const ar = detail.autoRecharge;
      if (ar)
        parts.push(
          t.summary.line(
            t.common.autoRecharge,
            ar.enabled ? t.autoRecharge.on(f.money(ar.triggerMinor, currency), f.money(ar.amountMinor, currency)) : t.autoRecharge.off,
          ),
        );
      if (detail.lowBalanceAlertMinor !== undefined)
        parts.push(t.summary.line(t.balance.lowBalanceAlert, t.balance.lowBalanceAlertValue(f.money(detail.lowBalanceAlertMinor, currency))));
      const sc = detail.spendControls;
      if (sc) {
        const cap = t.spendControls.capValue(
          sc.monthlyMaxMinor === null ? null : f.money(sc.monthlyMaxMinor, currency),
          sc.monthlyMaxCount === null ? null : f.integer(sc.monthlyMaxCount),
        );
        const daily = sc.dailyAlertMinor === null ? t.spendControls.none : t.spendControls.dailyValue(f.money(sc.dailyAlertMinor, currency));
        parts.push(t.summary.line(t.spendControls.monthlyCap, cap), t.summary.line(t.spendControls.dailyAlert, daily));
      }
      const schedule = detail.weeklyReportSchedule;
      if (schedule) parts.push(t.summary.line(t.weeklyReport.title, weeklyScheduleText({ ...schedule, timeZone: schedule.timeZone ?? 'UTC' }, f.locale)));
      if (detail.weeklyReportOff !== undefined) parts.push(detail.weeklyReportOff ? t.weeklyReport.offTitle : t.weeklyReport.onTitle);
      return t.common.sentences(...parts.map((part) => t.history.settingPart(part)));
    }
  }
}

/** "History: entries 141–160 of 160". */
export function historySummary(vm: Pick<HistoryViewModel, 'span' | 'view'>, reader: Reader): string {
  const { t, f } = localize(reader);
  const title = vm.view === 'money' ? t.history.moneyTitle : t.history.title;
  return vm.span ? t.summary.line(title, t.history.span(f.integer(vm.span.first), f.integer(vm.span.last), f.integer(vm.span.total))) : title;
}
