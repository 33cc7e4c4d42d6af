import { button } from './action.js';
import { adaptiveCard, container, factSet, header, note, section, textBlock, type AdaptiveCard, type CardElement, type Fact } from './elements.js';
import { destinationName } from './destinations.js';
import { localize, type Formatter, type Reader } from './format.js';
import { timesNote } from './fragments.js';
import type { Strings } from './i18n/index.js';
import type { DestinationCallViewModel, DestinationCallsViewModel } from './viewModels.js';
import { Verb } from './verbs.js';

/** People listed by what they spent; the rest are summed. */
export const DESTINATION_CALLERS_SHOWN = 10;
/** The latest calls listed one by one. */
export const DESTINATION_CALLS_SHOWN = 15;

interface CallerTotals {
  caller: string | null;
  calls: number;
  seconds: number;
  amountMinor: number;
}

/**
 * Where a new-destination alert leads: the calls to that destination in the window, by person
 * (how many, how long, what they cost) and the latest ones (when, who, how long), and where to
 * restrict international calling. Not a dead end after "Calls were made to Sierra Leone".
 */
export function renderDestinationCallsCard(vm: DestinationCallsViewModel, reader: Reader): AdaptiveCard {
  const { t, f } = localize(reader);
  const money = (minor: number) => f.money(minor, vm.currency);
  const totals = callerTotals(vm.calls);
  const all = totals.reduce((sum, c) => ({ calls: sum.calls + c.calls, seconds: sum.seconds + c.seconds, amountMinor: sum.amountMinor + c.amountMinor }), {
    calls: 0,
    seconds: 0,
    amountMinor: 0,
  });

  const body: CardElement[] = [
    header(t.destinationCalls.title(destinationName(vm.destination, f.locale)), f.dateRange(vm.from, vm.to), 'attention'),
    textBlock(
      vm.calls.length === 0 ? t.destinationCalls.none : t.destinationCalls.total(f.integer(all.calls), f.minutes(all.seconds / 60), money(all.amountMinor)),
      {
        weight: 'bolder',
        spacing: 'medium',
      },
    ),
  ];
  const shownCallers = totals.slice(0, DESTINATION_CALLERS_SHOWN);
  const callerFacts: Fact[] = shownCallers.map((c) => ({
    title: callerName(c.caller, t),
    value: t.destinationCalls.callerTotal(f.integer(c.calls), f.minutes(c.seconds / 60), money(c.amountMinor)),
  }));
  const callerItems: CardElement[] = callerFacts.length > 0 ? [factSet(callerFacts)] : [];
  if (totals.length > shownCallers.length) callerItems.push(note(t.common.moreItems(totals.length - shownCallers.length)));
  body.push(...section(t.destinationCalls.byCaller, callerItems));

  const latest = vm.calls.slice(0, DESTINATION_CALLS_SHOWN);
  body.push(...section(t.destinationCalls.latest, latest.length > 0 ? [factSet(latest.map((call) => callFact(call, vm.currency, t, f)))] : []));
  if (vm.calls.length > latest.length) body.push(note(t.common.moreItems(vm.calls.length - latest.length), { spacing: 'none' }));
  if (vm.truncated) body.push(note(t.destinationCalls.truncated));
  body.push(container([textBlock(t.destinationCalls.restrict, { size: 'small' })], { style: 'warning', spacing: 'medium' }));
  if (vm.calls.length > 0) body.push(timesNote(t, f));
  return adaptiveCard(body, [
    button(Verb.usageOpen, t.actions.seeUsage),
    button(Verb.historyPage, t.actions.history),
    button(Verb.balanceRefresh, t.actions.showBalance),
  ]);
}

/** The window's calls summed per person, the biggest spender first. */
function callerTotals(calls: DestinationCallViewModel[]): CallerTotals[] {
  const byCaller = new Map<string | null, CallerTotals>();
  for (const call of calls) {
    const totals = byCaller.get(call.caller) ?? { caller: call.caller, calls: 0, seconds: 0, amountMinor: 0 };
    totals.calls++;
    totals.seconds += call.seconds ?? 0;
    totals.amountMinor += call.amountMinor;
    byCaller.set(call.caller, totals);
  }
  return [...byCaller.values()].sort((a, b) => b.amountMinor - a.amountMinor || b.calls - a.calls);
}

function callerName(caller: string | null, t: Strings): string {
  return caller ? caller.slice(0, 40) : t.destinationCalls.unknownCaller;
}

function callFact(call: DestinationCallViewModel, currency: string, t: Strings, f: Formatter): Fact {
  const minutes = call.seconds === null ? null : f.minutes(call.seconds / 60);
  return { title: f.dateTime(call.at), value: t.destinationCalls.call(callerName(call.caller, t), minutes, f.money(call.amountMinor, currency)) };
}

/** "Calls to Sierra Leone: 7 calls · $12.34". */
export function destinationCallsSummary(vm: DestinationCallsViewModel, reader: Reader): string {
  const { t, f } = localize(reader);
  const spent = vm.calls.reduce((sum, call) => sum + call.amountMinor, 0);
  return t.summary.line(
    t.destinationCalls.title(destinationName(vm.destination, f.locale)),
    t.destinationCalls.callerTotal(f.integer(vm.calls.length), f.minutes(vm.calls.reduce((s, c) => s + (c.seconds ?? 0), 0) / 60), f.money(spent, vm.currency)),
  );
}
