import { divideRoundingUp, toDecimalString, type Minor } from '../services/money.js';
import { clip, factSet, note, textBlock, type CardElement, type Spacing } from './elements.js';
import type { Formatter } from './format.js';
import type { Strings } from './i18n/index.js';
import type { ProjectionPointViewModel, SpendDayViewModel, SpendSliceViewModel } from './viewModels.js';

/**
 * Teams' chart elements (Microsoft's "Charts in Adaptive Cards"), drawn by Teams desktop and web
 * inside a 1.5 card. Hosts that do not know them (Teams mobile, older clients) show the fallback,
 * so every chart carries one: a short text or facts saying what the chart shows.
 */

export type ChartColor = 'good' | 'warning' | 'attention' | 'neutral' | 'categoricalBlue' | 'categoricalTeal' | 'categoricalPurple' | 'categoricalMarigold';

interface ChartBase {
  id?: string;
  spacing?: Spacing;
  separator?: boolean;
  /** Not set: not every host draws it, so a chart's heading is a text block above it (`titled`). */
  title?: string;
  /** What a host without charts shows instead. */
  fallback: CardElement;
}

export interface VerticalBarChart extends ChartBase {
  type: 'Chart.VerticalBar';
  xAxisTitle?: string;
  yAxisTitle?: string;
  color?: ChartColor;
  showBarValues?: boolean;
  data: Array<{ x: string; y: number; color?: ChartColor }>;
}

export interface DonutChart extends ChartBase {
  type: 'Chart.Donut';
  colorSet?: 'categorical' | 'sequential' | 'diverging';
  data: Array<{ legend: string; value: number; color?: ChartColor }>;
}

export interface LineChart extends ChartBase {
  type: 'Chart.Line';
  xAxisTitle?: string;
  yAxisTitle?: string;
  data: Array<{ legend: string; color?: ChartColor; values: Array<{ x: string; y: number }> }>;
}

export type Chart = VerticalBarChart | DonutChart | LineChart;

/** An amount as a chart plots it: the exact decimal in major units, read as a JSON number (display only, never arithmetic). */
export const chartAmount = (minor: Minor, currency: string): number => Number(toDecimalString(minor, currency));

/** Slices a donut shows; the rest are one "Other" slice. */
export const SPLIT_MAX_SLICES = 5;
const SLICE_COLORS: ChartColor[] = ['categoricalBlue', 'categoricalTeal', 'categoricalPurple', 'categoricalMarigold', 'good', 'neutral'];

/**
 * The x axis of days ("2026-03-05", UTC): "5" (zh-CN "5日"), the day of the month alone, since
 * Teams cuts the labels of 30 bars short. A day whose number came earlier in the series (a span
 * longer than a month, or across February) is "3/5" instead: the chart keys points by their label.
 */
function dayLabels(days: string[], f: Pick<Formatter, 'axisDay'>): string[] {
  const used = new Set<string>();
  return days.map((day) => {
    const at = Date.parse(`${day}T00:00:00Z`);
    if (Number.isNaN(at)) return day;
    const short = f.axisDay(at, false);
    const label = used.has(short) ? f.axisDay(at, true) : short;
    used.add(label);
    return label;
  });
}

/** A chart under its heading: the heading shows in every host, the chart or its fallback below it. */
export function titled(title: string, chart: Chart): CardElement[] {
  return [textBlock(title, { weight: 'bolder', spacing: 'medium' }), chart];
}

/** Spend per day as bars; without charts, the busiest day and the daily average. */
export function spendPerDayChart(days: SpendDayViewModel[], currency: string, t: Strings, f: Formatter): VerticalBarChart {
  const busiest = days.reduce<SpendDayViewModel | null>((top, day) => (!top || day.minor > top.minor ? day : top), null);
  const total = days.reduce((sum, day) => sum + day.minor, 0);
  const average = days.length === 0 ? 0 : divideRoundingUp(total, days.length);
  return {
    type: 'Chart.VerticalBar',
    xAxisTitle: t.insight.dayAxis,
    yAxisTitle: currency,
    color: 'categoricalBlue',
    data: dayLabels(
      days.map((day) => day.day),
      f,
    ).map((x, i) => ({ x, y: chartAmount(days[i]!.minor, currency) })),
    spacing: 'small',
    fallback: note(
      busiest && busiest.minor > 0
        ? t.insight.perDayFallback(f.date(`${busiest.day}T12:00:00Z`), f.money(busiest.minor, currency), f.money(average, currency))
        : t.insight.perDayNone,
      { spacing: 'small' },
    ),
  };
}

/** Where the money went as a donut (the largest slices and "Other"); without charts, the same as shares in a line of facts. */
export function spendSplitChart(slices: SpendSliceViewModel[], currency: string, t: Strings, f: Formatter): DonutChart {
  const sorted = [...slices].filter((slice) => slice.minor > 0).sort((a, b) => b.minor - a.minor);
  const shown = sorted.slice(0, SPLIT_MAX_SLICES).map((slice) => ({ label: clip(slice.label, 30), minor: slice.minor }));
  const rest = sorted.slice(SPLIT_MAX_SLICES).reduce((sum, slice) => sum + slice.minor, 0);
  if (rest > 0) shown.push({ label: t.insight.other, minor: rest });
  const total = shown.reduce((sum, slice) => sum + slice.minor, 0);
  const share = (minor: Minor) => `${total === 0 ? 0 : Math.round((minor * 100) / total)}%`;
  return {
    type: 'Chart.Donut',
    data: shown.map((slice, i) => ({ legend: slice.label, value: chartAmount(slice.minor, currency), color: SLICE_COLORS[i] })),
    spacing: 'small',
    fallback: factSet(
      shown.map((slice) => ({ title: slice.label, value: `${f.money(slice.minor, currency)} · ${share(slice.minor)}` })),
      { spacing: 'small' },
    ),
  };
}

/** The projected balance day by day down to the floor (the trigger or zero); without charts, when it gets there. */
export function runwayChart(
  points: ProjectionPointViewModel[],
  floorMinor: Minor,
  untilTrigger: boolean,
  currency: string,
  t: Strings,
  f: Formatter,
): LineChart {
  const last = points.at(-1);
  const labels = dayLabels(
    points.map((p) => p.day),
    f,
  );
  const series: LineChart['data'] = [
    { legend: t.insight.projectedBalance, color: 'categoricalBlue', values: points.map((p, i) => ({ x: labels[i]!, y: chartAmount(p.minor, currency) })) },
  ];
  if (untilTrigger) series.push({ legend: t.insight.triggerLine, color: 'warning', values: labels.map((x) => ({ x, y: chartAmount(floorMinor, currency) })) });
  const reaches = last && last.minor <= floorMinor;
  return {
    type: 'Chart.Line',
    xAxisTitle: t.insight.dayAxis,
    yAxisTitle: currency,
    data: series,
    spacing: 'small',
    fallback: note(
      last && reaches
        ? t.insight.runwayFallback(f.money(floorMinor, currency), f.date(`${last.day}T12:00:00Z`), untilTrigger)
        : t.insight.runwayBeyond(f.integer(points.length - 1)),
      { spacing: 'small' },
    ),
  };
}
