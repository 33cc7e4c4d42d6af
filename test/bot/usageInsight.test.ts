import { describe, expect, it } from 'vitest';
import type { AdaptiveCard } from '../../cards/index.js';
import { usage } from '../support/ledgerFixture.js';
import { cardProblems, cardText } from '../cards/validateCard.js';
import { teamsBotFixture } from './support/teamsBotFixture.js';

type Element = { type: string; items?: Element[]; [key: string]: unknown };

function chart(card: AdaptiveCard, type: string): Element | undefined {
  const all: Element[] = [];
  const walk = (items: Element[] | undefined) => {
    for (const item of items ?? []) {
      all.push(item);
      walk(item.items);
    }
  };
  walk(card.body as Element[]);
  return all.find((e) => e.type === type);
}

/** The fixture's clock is 2026-01-15T12:00Z: the card's 30 days are Dec 17 to Jan 15, its month January. */
async function fourCalls() {
  const f = teamsBotFixture();
  await f.ledger.grantFunds('tenant-a', { amount: '100', currency: 'USD', idempotencyKey: 'seed', actor: 'operator' });
  const ana = { userPrincipalName: 'ana@contoso.com', userDisplayName: 'Ana Lima' };
  await f.ledger.ingestUsage([
    usage('tenant-a', '2.00', f.clock, { ...ana, startDateTime: '2026-01-14T10:00:00Z' }),
    usage('tenant-a', '1.00', f.clock, { ...ana, startDateTime: '2026-01-03T10:00:00Z' }),
    usage('tenant-a', '4.00', f.clock, { userPrincipalName: 'bo@contoso.com', startDateTime: '2025-12-31T10:00:00Z' }),
    usage('tenant-a', '0.50', f.clock, { userId: null, startDateTime: '2026-01-15T09:00:00Z' }),
  ]);
  return f;
}

describe('Teams bot: the usage and balance cards draw the ledger figures', () => {
  it('"usage": 30 bars of spend per day, the donut, and January\'s top spenders', async () => {
    const f = await fourCalls();
    const { card } = await f.say('usage');
    expect(cardProblems(card)).toEqual([]);
    const bars = (chart(card, 'Chart.VerticalBar')!.data as Array<{ y: number }>).map((d) => d.y);
    expect(bars).toHaveLength(30);
    const expected = Array<number>(30).fill(0);
    expected[14] = 4; // Dec 31
    expected[17] = 1; // Jan 3
    expected[28] = 2; // Jan 14
    expected[29] = 0.5; // Jan 15
    expect(bars).toEqual(expected);
    expect(chart(card, 'Chart.Donut')!.data).toEqual([{ legend: 'Domestic', value: 7.5, color: 'categoricalBlue' }]);
    // Bo's call was in December: not this month's.
    const text = cardText(card);
    expect(text).toContain('Top spenders this month');
    expect(text).toContain('Ana Lima\n$3.00 · 2 calls');
    expect(text).toContain('Unknown user\n$0.50 · 1 call');
    expect(text).not.toContain('bo@contoso.com');
  });

  it('"余额": the projected balance as a line, in Chinese', async () => {
    const f = await fourCalls();
    const { card } = await f.say('余额', { locale: 'zh-CN' });
    expect(cardProblems(card)).toEqual([]);
    const line = chart(card, 'Chart.Line')!;
    // 92.50 left, burning ceil(7.50 / 30) = 0.25 a day: beyond the 30 days the chart shows.
    const values = (line.data as Array<{ values: Array<{ y: number }> }>)[0]!.values.map((v) => v.y);
    expect(values).toHaveLength(31);
    expect(values.slice(0, 3)).toEqual([92.5, 92.25, 92]);
    expect((line.fallback as { text: string }).text).toBe('按当前速度，余额可用超过 30 天。');
  });
});
