import { describe, expect, it } from 'vitest';
import { formatter, historyRows, renderHistoryCard, type HistoryEntryViewModel } from '../../cards/index.js';
import { history } from './fixtures.js';
import { cardText, executeActions } from './validateCard.js';

const call = (id: number, at: string, caller: string, amountMinor = -27): HistoryEntryViewModel => ({
  id: String(id),
  kind: 'usage',
  amountMinor,
  balanceAfterMinor: 10_000 - id,
  at,
  actor: 'system',
  caller,
  note: { kind: 'destination', name: 'United Kingdom' },
});

describe("history rows: a day's calls are one row, in the reader's zone", () => {
  // 15:30 and 16:30 UTC: the same day in UTC and Los Angeles, two days in Shanghai (23:30 and 00:30).
  const evening = [call(2, '2026-03-05T16:30:00.000Z', 'Megan Bowen'), call(1, '2026-03-05T15:30:00.000Z', 'Adele Vance')];

  it.each([
    ['UTC', ['2026-03-05']],
    ['America/Los_Angeles', ['2026-03-05']],
    ['Asia/Shanghai', ['2026-03-06', '2026-03-05']],
    // +5:30: 21:00 and 22:00, one day.
    ['Asia/Kolkata', ['2026-03-05']],
  ])('in %s the calls fall on %j', (zone, days) => {
    const rows = historyRows(evening, formatter('en-US', zone).dayKey);
    expect(rows.map((row) => (row.kind === 'calls' ? row.day : null))).toEqual(days);
  });

  it('a daylight-saving night is one day: calls either side of the change in New York', () => {
    const rows = historyRows(
      [call(2, '2026-03-08T07:30:00.000Z', 'A'), call(1, '2026-03-08T06:30:00.000Z', 'B')],
      formatter('en-US', 'America/New_York').dayKey,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'calls', day: '2026-03-08', calls: 2, amountMinor: -54 });
  });

  it('sums a day and names its callers, in both languages', () => {
    const day = ['Adele Vance', 'Megan Bowen', 'Alex Wilber', 'Lee Gu', 'Nestor Wilke', 'Adele Vance'].map((name, i) =>
      call(10 + i, `2026-03-05T${String(9 + i).padStart(2, '0')}:15:00.000Z`, name, -(i + 1) * 10),
    );
    const en = cardText(renderHistoryCard(history({ entries: day.reverse() }), { locale: 'en-US', timeZone: 'UTC' }));
    expect(en).toContain('Mar 5, 2026 · 6 calls');
    expect(en).toContain('09:15–14:15 · Adele Vance, Nestor Wilke, Lee Gu and 2 more');
    expect(en).toContain('-$2.10');
    const zh = cardText(renderHistoryCard(history({ entries: day }), { locale: 'zh-CN', timeZone: 'Asia/Shanghai' }));
    expect(zh).toContain('2026年3月5日 · 6 通电话');
    expect(zh).toContain('17:15–22:15');
    expect(zh).toContain('等另外 2 人');
  });

  it('dates a call by when it was made and shows no "System" for it', () => {
    const text = cardText(renderHistoryCard(history({ entries: [call(7, '2026-03-02T10:00:00.000Z', 'Adele Vance')] }), 'en-US'));
    expect(text).toContain('Mar 2, 2026 · 1 call');
    expect(text).toContain('10:00 · Adele Vance');
    expect(text).not.toContain('System');
  });
});

describe('history card', () => {
  it('shows a payment that failed, and why', () => {
    const failed: HistoryEntryViewModel = {
      id: '9',
      kind: 'purchase-failed',
      amountMinor: 0,
      balanceAfterMinor: 0,
      at: '2026-03-05T14:30:00.000Z',
      actor: 'Adele Vance',
      failure: 'declined',
    };
    const en = cardText(renderHistoryCard(history({ entries: [failed] }), 'en-US'));
    expect(en).toContain('Card payment failed');
    expect(en).toContain('The card on file was declined.');
    const zh = cardText(renderHistoryCard(history({ entries: [failed] }), 'zh-CN'));
    expect(zh).toContain('被拒绝');
  });

  it('says which entries the page covers, offers the money view and the CSV', () => {
    const card = renderHistoryCard(history({ span: { first: 1201, last: 1360, total: 1360 } }), 'en-US');
    expect(cardText(card)).toContain('Entries 1,201–1,360 of 1,360');
    expect(cardText(card)).toContain('CSV');
    expect(executeActions(card).find((a) => a.title === 'Money in and out only')?.data).toEqual({ verb: 'history.page', view: 'money' });
    const zh = renderHistoryCard(history({ span: { first: 1201, last: 1360, total: 1360 } }), 'zh-CN');
    expect(cardText(zh)).toContain('第 1,201–1,360 条，共 1,360 条');
  });

  it('the money view says what it shows, pages within it, and switches back to everything', () => {
    const card = renderHistoryCard(history({ view: 'money', olderCursor: '40', newerCursor: '90' }), 'en-US');
    expect(cardText(card)).toContain('Money in and out only (purchases, auto-recharges, grants and refunds, expired funds)');
    const data = executeActions(card).map((a) => a.data);
    expect(data).toEqual(
      expect.arrayContaining([
        { verb: 'history.page', direction: 'older', cursor: '40', view: 'money' },
        { verb: 'history.page', direction: 'newer', cursor: '90', view: 'money' },
        { verb: 'history.page', view: 'money' },
        { verb: 'history.page' },
      ]),
    );
    expect(executeActions(card).find((a) => a.data.view === undefined && a.verb === 'history.page')?.title).toBe('Everything');
  });
});
