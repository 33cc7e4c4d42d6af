import { describe, expect, it } from 'vitest';
import { renderBalanceCard, renderUsageCard, runwayProjection, spendPerDay, topSpenders, type AdaptiveCard } from '../../cards/index.js';
import { breakDownUsage, type UsageCall } from '../../services/insight/usageBreakdown.js';
import { chartProblems } from './chartSchemas.js';
import { balance, PER_DAY, PROJECTION, TOP_SPENDERS, usage } from './fixtures.js';
import { cardBytes, cardProblems, cardText, MAX_CARD_BYTES, type Json } from './validateCard.js';

type Element = { type: string; [key: string]: Json };

/** Every element of a card's body, containers' items included (fallbacks not). */
function elements(card: AdaptiveCard): Element[] {
  const out: Element[] = [];
  const walk = (items: unknown) => {
    for (const item of (items as Element[] | undefined) ?? []) {
      out.push(item);
      walk(item.items);
      for (const column of (item.columns as Element[] | undefined) ?? []) walk(column.items);
    }
  };
  walk(card.body);
  return out;
}
const chart = (card: AdaptiveCard, type: string) => elements(card).find((e) => e.type === type);

const LOCALES = ['en-US', 'zh-CN'] as const;

describe('charts in the usage card', () => {
  for (const locale of LOCALES) {
    it(`${locale}: spend per day as 30 bars, the split by destination as a donut, each with a fallback, valid and within Teams' size`, () => {
      const card = renderUsageCard(usage({ perDay: PER_DAY, topSpenders: TOP_SPENDERS }), locale);
      expect(cardProblems(card)).toEqual([]);
      expect(cardBytes(card)).toBeLessThan(MAX_CARD_BYTES);
      expect(card.version).toBe('1.5');

      const bars = chart(card, 'Chart.VerticalBar')!;
      expect(chartProblems(bars, 'bars')).toEqual([]);
      const data = bars.data as Array<{ x: string; y: number }>;
      expect(data).toHaveLength(30);
      // Amounts are the exact decimals in major units: 100 + (i*37 % 900) cents, 0 on every seventh day.
      expect(data.map((d) => d.y)).toEqual(PER_DAY.map((d) => d.minor / 100));
      // Days of the month (Feb 4 … Mar 5): Teams cuts longer labels of 30 bars.
      expect(data[0]!.x).toBe(locale === 'en-US' ? '4' : '4日');
      expect(data[25]!.x).toBe(locale === 'en-US' ? '1' : '1日');
      expect((bars.fallback as { type: string }).type).toBe('TextBlock');

      const donut = chart(card, 'Chart.Donut')!;
      expect(chartProblems(donut, 'donut')).toEqual([]);
      const slices = donut.data as Array<{ legend: string; value: number }>;
      // The fixture's rows: International 41.20, Domestic 22.80, United Kingdom 3.10, and a labelled row (Other) 0.95.
      expect(slices.map((s) => s.value)).toEqual([41.2, 22.8, 3.1, 0.95]);
      expect(slices.reduce((sum, s) => sum + Math.round(s.value * 100), 0)).toBe(6805);
      expect((donut.fallback as { type: string }).type).toBe('FactSet');
    });
  }

  it('the fallbacks say in words what the charts show (English and Chinese)', () => {
    const en = renderUsageCard(usage({ perDay: PER_DAY }), 'en-US');
    const busiest = PER_DAY.reduce((top, d) => (d.minor > top.minor ? d : top));
    // Day 24 (Feb 28, 988) is a day without calls (24 % 7 = 3): the busiest is day 23, Feb 27.
    expect(busiest).toEqual({ day: '2026-02-27', minor: 951 });
    // Average: 30 days, ceil(Σ / 30).
    const average = Math.ceil(PER_DAY.reduce((sum, d) => sum + d.minor, 0) / 30);
    expect((chart(en, 'Chart.VerticalBar')!.fallback as { text: string }).text).toBe(
      `Busiest day: Feb 27, 2026, $9.51. Average: $${(average / 100).toFixed(2)} a day.`,
    );
    const enDonut = chart(en, 'Chart.Donut')!.fallback as { facts: Array<{ title: string; value: string }> };
    expect(enDonut.facts[0]).toEqual({ title: 'International', value: '$41.20 · 61%' });

    const zh = renderUsageCard(usage({ perDay: PER_DAY }), 'zh-CN');
    expect((chart(zh, 'Chart.VerticalBar')!.fallback as { text: string }).text).toMatch(/^支出最多的一天：2026年2月27日，US\$9\.51。日均：/);
    // Headings are text above the charts (not every host draws a chart's title).
    expect(cardText(zh)).toContain('最近 30 天每日支出\n');
    expect(cardText(en)).toContain('Spend per day, last 30 days\n');
    expect(cardText(en)).toContain('Spend by destination\n');
    expect((chart(zh, 'Chart.Donut')!.fallback as { facts: Array<{ title: string }> }).facts[0]!.title).toBe('国际');
  });

  it('labels each bar once, even when the 30 days hold a day number twice (across February)', () => {
    const days = Array.from({ length: 30 }, (_, i) => ({
      day: new Date(Date.parse('2026-02-01T00:00:00Z') + i * 86_400_000).toISOString().slice(0, 10),
      minor: 100,
    }));
    const labels = (chart(renderUsageCard(usage({ perDay: days }), 'en-US'), 'Chart.VerticalBar')!.data as Array<{ x: string }>).map((d) => d.x);
    expect(labels.slice(0, 3)).toEqual(['1', '2', '3']);
    expect(labels.slice(27)).toEqual(['28', '3/1', '3/2']);
    expect(new Set(labels).size).toBe(30);
  });

  it('puts the sixth destination and beyond in one "Other" slice', () => {
    const rows = Array.from({ length: 8 }, (_, i) => ({ callType: 'user_out', destination: `Place ${i}`, count: 1, minutes: 1, amountMinor: 800 - i * 100 }));
    const card = renderUsageCard(usage({ rows, totalMinor: 3600 }), 'en-US');
    const slices = chart(card, 'Chart.Donut')!.data as Array<{ legend: string; value: number }>;
    expect(slices.map((s) => [s.legend, s.value])).toEqual([
      ['Place 0', 8],
      ['Place 1', 7],
      ['Place 2', 6],
      ['Place 3', 5],
      ['Place 4', 4],
      ['Other', 6],
    ]);
  });

  it('no charts without spend: an empty month shows neither bars nor donut', () => {
    const card = renderUsageCard(usage({ rows: [], totalMinor: 0, perDay: PER_DAY.map((d) => ({ ...d, minor: 0 })) }), 'en-US');
    expect(elements(card).filter((e) => e.type.startsWith('Chart.'))).toEqual([]);
    expect(cardProblems(card)).toEqual([]);
  });

  it('lists this month\'s top spenders, "Unknown user" for calls naming nobody, and says when the count is partial', () => {
    const en = renderUsageCard(usage({ topSpenders: TOP_SPENDERS }), 'en-US');
    expect(cardText(en)).toContain('Top spenders this month');
    expect(cardText(en)).toContain('Megan Bowen\n$23.10 · 14 calls');
    expect(cardText(en)).toContain('Unknown user\n$4.10 · 3 calls');
    expect(cardText(en)).not.toContain('unknown user');
    expect(cardText(en)).not.toContain('most recent calls only');
    const partial = renderUsageCard(usage({ topSpenders: { ...TOP_SPENDERS, truncated: true } }), 'zh-CN');
    expect(cardText(partial)).toContain('本月支出最多的用户');
    expect(cardText(partial)).toContain('未知用户\nUS$4.10 · 3 次通话');
    expect(cardText(partial)).toContain('仅统计了最近的通话');
    expect(cardText(renderUsageCard(usage({ topSpenders: { ...TOP_SPENDERS, rows: [] } }), 'en-US'))).toContain('No calls this month yet.');
  });
});

describe('the runway chart in the balance card', () => {
  for (const locale of LOCALES) {
    it(`${locale}: the projected balance down to the trigger, with the trigger as a second line and a text fallback`, () => {
      const card = renderBalanceCard(balance({ insight: { runwayDays: 7, runwayUntil: 'trigger', projection: PROJECTION, floorMinor: 2000 } }), locale);
      expect(cardProblems(card)).toEqual([]);
      expect(cardBytes(card)).toBeLessThan(MAX_CARD_BYTES);
      const line = chart(card, 'Chart.Line')!;
      expect(chartProblems(line, 'line')).toEqual([]);
      expect(cardText(card)).toContain(locale === 'en-US' ? 'Projected balance\n' : '预计余额\n');
      const [balanceLine, trigger] = line.data as Array<{ legend: string; values: Array<{ x: string; y: number }> }>;
      expect(balanceLine!.values.map((v) => v.y)).toEqual([37.66, 35.39, 33.12, 30.85, 28.58, 26.31, 24.04, 21.77, 20]);
      expect(trigger!.values.every((v) => v.y === 20)).toBe(true);
      expect((line.fallback as { text: string }).text).toBe(
        locale === 'en-US'
          ? 'At this pace the balance reaches the auto-recharge trigger ($20.00) around Mar 13, 2026.'
          : '按当前速度，余额约在 2026年3月13日 降到自动充值触发金额（US$20.00）。',
      );
    });
  }

  it('draws no line without a projection (no usage), or with today alone', () => {
    for (const projection of [undefined, [], PROJECTION.slice(0, 1)]) {
      const card = renderBalanceCard(balance({ insight: { runwayDays: null, projection } }), 'en-US');
      expect(chart(card, 'Chart.Line')).toBeUndefined();
    }
  });
});

describe('the documented chart shapes', () => {
  const fallback = { type: 'TextBlock', text: 'x', wrap: true };

  it('refuse what Teams would not draw: wrong data shape, unknown property, bad colour, no fallback', () => {
    expect(chartProblems({ type: 'Chart.VerticalBar', data: [{ legend: 'a', value: 1 }], fallback }, 'c')).not.toEqual([]);
    expect(chartProblems({ type: 'Chart.Donut', data: [{ x: 'a', y: 1 }], fallback }, 'c')).not.toEqual([]);
    expect(chartProblems({ type: 'Chart.Line', data: [{ legend: 'a', value: 1 }], fallback }, 'c')).not.toEqual([]);
    expect(chartProblems({ type: 'Chart.VerticalBar', data: [{ x: 'a', y: 1 }], fallback, legend: true }, 'c')).not.toEqual([]);
    expect(chartProblems({ type: 'Chart.VerticalBar', data: [{ x: 'a', y: 1, color: 'red' }], fallback }, 'c')).not.toEqual([]);
    expect(chartProblems({ type: 'Chart.VerticalBar', data: [{ x: 'a', y: 1 }] }, 'c')).not.toEqual([]);
    expect(chartProblems({ type: 'Chart.Radar', data: [], fallback }, 'c')).not.toEqual([]);
    expect(chartProblems({ type: 'Chart.Gauge', value: 35, valueFormat: 'fraction', segments: [{ legend: 'Used', size: 35 }], fallback }, 'c')).toEqual([]);
  });

  it('a card with a chart without fallback, or a broken fallback, is not valid', () => {
    const card = (element: object) => ({
      type: 'AdaptiveCard',
      version: '1.5',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      body: [element],
    });
    expect(cardProblems(card({ type: 'Chart.Pie', data: [{ legend: 'a', value: 1 }], fallback }))).toEqual([]);
    expect(cardProblems(card({ type: 'Chart.Pie', data: [{ legend: 'a', value: 1 }] }))).not.toEqual([]);
    expect(cardProblems(card({ type: 'Chart.Pie', data: [{ legend: 'a', value: 1 }], fallback: { type: 'TextBlock', txt: 'x' } }))).not.toEqual([]);
  });
});

describe('chart figures from the breakdowns', () => {
  it('30 days of spend, days without calls at 0, from one breakdown by day', () => {
    const call = (day: string, minor: number): UsageCall => ({
      startedAt: Date.parse(`${day}T10:00:00Z`),
      seconds: 60,
      minor,
      callType: 'user_out',
      destination: 'Domestic',
      user: null,
      userDisplayName: null,
      department: null,
    });
    const from = Date.parse('2026-02-04T00:00:00Z');
    const byDay = breakDownUsage([call('2026-02-04', 120), call('2026-02-04', 5), call('2026-03-05', 300), call('2026-03-06', 999)], {
      groupBy: 'day',
      from,
      to: from + 30 * 86_400_000,
    });
    const days = spendPerDay(byDay, from, 30);
    expect(days).toHaveLength(30);
    expect(days[0]).toEqual({ day: '2026-02-04', minor: 125 });
    expect(days[29]).toEqual({ day: '2026-03-05', minor: 300 });
    expect(days.slice(1, 29).every((d) => d.minor === 0)).toBe(true);
  });

  it("the projection: today at the balance, a day's burn less each day, stopping at the floor", () => {
    const now = Date.parse('2026-03-05T14:30:00Z');
    expect(runwayProjection(1000, 300, 0, now)).toEqual([
      { day: '2026-03-05', minor: 1000 },
      { day: '2026-03-06', minor: 700 },
      { day: '2026-03-07', minor: 400 },
      { day: '2026-03-08', minor: 100 },
      { day: '2026-03-09', minor: 0 },
    ]);
    expect(runwayProjection(1000, 0, 0, now)).toEqual([]);
    expect(runwayProjection(100_000, 1, 0, now)).toHaveLength(31);
    expect(runwayProjection(-500, 100, 0, now)).toEqual([{ day: '2026-03-05', minor: -500 }]);
  });

  it('top spenders: the first five of a breakdown by user, largest first', () => {
    const rows = Array.from({ length: 7 }, (_, i) => ({ key: `u${i}`, label: `User ${i}`, unknown: false, calls: 1, seconds: 60, minor: 700 - i }));
    const top = topSpenders({ rows, from: '2026-03-01T00:00:00.000Z' }, false);
    expect(top.rows.map((r) => r.label)).toEqual(['User 0', 'User 1', 'User 2', 'User 3', 'User 4']);
    expect(top).toMatchObject({ since: '2026-03-01T00:00:00.000Z', truncated: false });
  });
});
