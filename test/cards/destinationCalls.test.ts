import { describe, expect, it } from 'vitest';
import { renderAlertCard, renderDestinationCallsCard, destinationCallsSummary } from '../../cards/index.js';
import { ALERTS, destinationCalls } from './fixtures.js';
import { cardText, executeActions } from './validateCard.js';

describe('after a new-destination alert', () => {
  it('the alert leads to who called, with the destination as the only data', () => {
    const card = renderAlertCard(ALERTS[17]!, 'en-US');
    expect(card.actions![0]).toMatchObject({ type: 'Action.Execute', verb: 'usage.destination', title: 'See who called', style: 'positive' });
    expect(executeActions(card)[0]!.data).toEqual({ verb: 'usage.destination', destination: 'Sierra Leone' });
    expect(cardText(renderAlertCard(ALERTS[17]!, 'zh-CN'))).toContain('查看谁拨打了');
    // When: the first call, not when the usage was imported.
    expect(cardText(card)).toContain('When\nMar 5, 2026, 02:10');
  });

  it.each([
    ['en-US', 'Calls to Sierra Leone', '24 calls', 'Who called', 'Alex Wilber\n', 'Caller not recorded', 'Teams admin center', 'Times are in UTC.'],
    ['zh-CN', '拨往塞拉利昂的通话', '24 通电话', '谁拨打了', 'Alex Wilber\n', '未记录拨打者', 'Teams 管理中心', '时间均为 UTC。'],
  ])(
    'in %s the drill-down lists the calls by person, the latest ones, and where to restrict calling abroad',
    (locale, title, total, byCaller, caller, unknown, adminCenter, zone) => {
      const text = cardText(renderDestinationCallsCard(destinationCalls(), locale));
      for (const part of [title, total, byCaller, caller, unknown, adminCenter, zone]) expect(text).toContain(part);
    },
  );

  it("sums each person's calls, minutes and cost, the biggest spender first, and lists the latest calls with when and how long", () => {
    const vm = destinationCalls();
    const text = cardText(renderDestinationCallsCard(vm, { locale: 'en-US', timeZone: 'Asia/Kolkata' }));
    const people = new Map<string, { calls: number; seconds: number; minor: number }>();
    for (const call of vm.calls) {
      const key = call.caller ?? 'Caller not recorded';
      const p = people.get(key) ?? { calls: 0, seconds: 0, minor: 0 };
      people.set(key, { calls: p.calls + 1, seconds: p.seconds + (call.seconds ?? 0), minor: p.minor + call.amountMinor });
    }
    const alex = people.get('Alex Wilber')!;
    expect(text).toContain(`Alex Wilber\n${alex.calls} calls · ${(alex.seconds / 60).toFixed(1)} min · $${(alex.minor / 100).toFixed(2)}`);
    // The newest call, in the reader's zone (+5:30): 14:30 UTC is 20:00.
    expect(text).toContain(`Mar 5, 2026, 20:00\nAlex Wilber · 1.0 min · $1.50`);
    expect(destinationCallsSummary(vm, 'en-US')).toMatch(/^Calls to Sierra Leone: 24 calls · [\d.]+ min · \$[\d.]+$/);
  });

  it('says so when there were no calls, and when the search was cut short', () => {
    const text = cardText(renderDestinationCallsCard(destinationCalls({ calls: [], truncated: true }), 'en-US'));
    expect(text).toContain('No calls to this destination in this period.');
    expect(text).toContain('older calls in this period may be missing');
  });
});

describe('the spending-spike alert says what it compared', () => {
  it.each([
    [
      'en-US',
      'Calls in the hour from Mar 5, 2026, 13:00 cost $262.00. The previous 7 days averaged $0.20 an hour, and an hour above $10.00 raises this alert.',
    ],
    ['zh-CN', '从 2026年3月5日 13:00 开始的一小时内通话花费 US$262.00。过去 7 天平均每小时 US$0.20，一小时超过 US$10.00 就会触发此提醒。'],
  ])('in %s', (locale, sentence) => {
    expect(cardText(renderAlertCard(ALERTS[16]!, locale))).toContain(sentence);
  });
});
