import { z } from 'zod';

/**
 * Teams' chart elements as Microsoft documents them ("Charts in Adaptive Cards", Teams platform
 * docs): the properties each type has and the shape of its data. The `adaptivecards` library does
 * not know these types and drops them, so cards are checked against these instead. Closed shapes:
 * a property the documentation does not name is a mistake. This project's own rule on top: every
 * chart has a fallback element (Teams mobile does not draw charts).
 */

const COLORS = [
  'good',
  'warning',
  'attention',
  'neutral',
  'categoricalRed',
  'categoricalPurple',
  'categoricalLavender',
  'categoricalBlue',
  'categoricalLightBlue',
  'categoricalTeal',
  'categoricalGreen',
  'categoricalLime',
  'categoricalMarigold',
  'sequential1',
  'sequential2',
  'sequential3',
  'sequential4',
  'sequential5',
  'sequential6',
  'sequential7',
  'sequential8',
  'divergingBlue',
  'divergingLightBlue',
  'divergingCyan',
  'divergingTeal',
  'divergingYellow',
  'divergingPeach',
  'divergingLightRed',
  'divergingRed',
  'divergingMaroon',
  'divergingGray',
] as const;

/** Adaptive Card enums are read without regard to case ("Medium", "medium"). */
const oneOf = (values: readonly string[]) =>
  z.string().refine((v) => values.some((value) => value.toLowerCase() === v.toLowerCase()), `one of ${values.join(', ')}`);

const Color = z.enum(COLORS);
const Label = z.union([z.string(), z.number()]);

const common = {
  id: z.string().optional(),
  title: z.string().optional(),
  colorSet: z.string().optional(),
  // Required here (the project's rule); the element itself is checked as a card element.
  fallback: z.looseObject({ type: z.string() }),
  'grid.area': z.string().optional(),
  height: oneOf(['auto', 'stretch']).optional(),
  horizontalAlignment: oneOf(['Left', 'Center', 'Right']).optional(),
  isVisible: z.boolean().optional(),
  lang: z.string().optional(),
  requires: z.record(z.string(), z.string()).optional(),
  separator: z.boolean().optional(),
  spacing: oneOf(['None', 'ExtraSmall', 'Small', 'Default', 'Medium', 'Large', 'ExtraLarge', 'Padding']).optional(),
  targetWidth: z.string().optional(),
};
const axes = { xAxisTitle: z.string().optional(), yAxisTitle: z.string().optional() };
const xy = z.strictObject({ x: Label, y: z.number(), color: Color.optional() });
const legendValue = z.strictObject({ legend: z.string().optional(), value: z.number().optional(), color: Color.optional() });

export const CHART_SCHEMAS: Record<string, z.ZodType> = {
  'Chart.VerticalBar': z.strictObject({
    type: z.literal('Chart.VerticalBar'),
    ...common,
    ...axes,
    color: Color.optional(),
    showBarValues: z.boolean().optional(),
    data: z.array(xy).min(1),
  }),
  'Chart.HorizontalBar': z.strictObject({
    type: z.literal('Chart.HorizontalBar'),
    ...common,
    ...axes,
    color: Color.optional(),
    displayMode: oneOf(['AbsoluteWithAxis', 'AbsoluteNoAxis', 'PartToWhole']).optional(),
    data: z.array(xy).min(1),
  }),
  'Chart.Line': z.strictObject({
    type: z.literal('Chart.Line'),
    ...common,
    ...axes,
    color: Color.optional(),
    data: z
      .array(z.strictObject({ legend: z.string().optional(), color: Color.optional(), values: z.array(z.strictObject({ x: Label, y: z.number() })).min(1) }))
      .min(1),
  }),
  'Chart.Donut': z.strictObject({ type: z.literal('Chart.Donut'), ...common, data: z.array(legendValue).min(1) }),
  'Chart.Pie': z.strictObject({ type: z.literal('Chart.Pie'), ...common, data: z.array(legendValue).min(1) }),
  'Chart.Gauge': z.strictObject({
    type: z.literal('Chart.Gauge'),
    ...common,
    value: z.number().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    valueFormat: oneOf(['Percentage', 'Fraction']).optional(),
    subLabel: z.string().optional(),
    showLegend: z.boolean().optional(),
    showMinMax: z.boolean().optional(),
    segments: z.array(z.strictObject({ legend: z.string().optional(), size: z.number().nonnegative(), color: Color.optional() })).optional(),
  }),
};

/** What is wrong with a chart element by its documented shape; empty when it fits. */
export function chartProblems(chart: unknown, path: string): string[] {
  const type = typeof chart === 'object' && chart !== null ? (chart as { type?: unknown }).type : undefined;
  const schema = typeof type === 'string' ? CHART_SCHEMAS[type] : undefined;
  if (!schema) return [`${path}: ${JSON.stringify(type)} is not a documented chart type`];
  const parsed = schema.safeParse(chart);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${path}.${issue.path.join('.')}: ${issue.message}`);
}

export const isChartType = (type: unknown): boolean => typeof type === 'string' && type.startsWith('Chart.');
