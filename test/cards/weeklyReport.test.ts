import { describe, expect, it } from 'vitest';
import { toRfc5322 } from '../../bot/notices/mimeMessage.js';
import { noticeEmail } from '../../bot/notices/noticeEmail.js';
import {
  alertSummary,
  historyEntryViewModel,
  renderAlertCard,
  renderHistoryCard,
  renderWeeklyReportCard,
  weeklyReportSettingsContent,
  weeklyReportViewModel,
} from '../../cards/index.js';
import { readEml } from '../bot/notices/eml.js';
import { history } from './fixtures.js';
import { report, totals } from '../support/weeklyReportFixture.js';
import { cardBytes, cardText, expectValidCard, MAX_CARD_BYTES } from './validateCard.js';

const SHANGHAI = { locale: 'zh-CN', timeZone: 'Asia/Shanghai' };
const LOS_ANGELES = { locale: 'en-US', timeZone: 'America/Los_Angeles' };

describe('the weekly report card', () => {
  it('is a valid Adaptive Card 1.5 within Teams’ size limit, in English and Chinese', () => {
    for (const reader of [LOS_ANGELES, SHANGHAI, 'en-GB', null]) {
      const card = renderWeeklyReportCard(weeklyReportViewModel(report()), reader);
      expectValidCard(card, `weekly report ${JSON.stringify(reader)}`);
      expect(card.version).toBe('1.5');
      expect(cardBytes(card)).toBeLessThan(MAX_CARD_BYTES);
      // The alert path renders the same card.
      expect(renderAlertCard(report(), reader)).toEqual(card);
    }
  });

  it('shows the balance, the week against the one before, top destinations and callers, what expires and the payments (English)', () => {
    const text = cardText(renderWeeklyReportCard(weeklyReportViewModel(report()), LOS_ANGELES));
    for (const expected of [
      'Weekly report',
      'Nov 22, 2026, 17:00 – Nov 29, 2026, 17:00 (Pacific Time)',
      '$42.10',
      'On: below $20.00, add $50.00',
      'reaches the auto-recharge trigger in about 16 days',
      '$12.50 · 9 calls',
      'up $2.50 (+25%)',
      'Japan',
      '$7.00 · 3 calls',
      'Li Wei',
      'aad-x',
      'No user named',
      'Others',
      '$15.00',
      'expires Dec 19, 2026',
      '2 · $100.00',
      '1 · $25.00',
      '1 (last: ',
      'stop weekly report',
      'Times are in Pacific Time.',
    ])
      expect(text).toContain(expected);
  });

  it('says the same in Chinese, with no English left in its own words', () => {
    const text = cardText(renderWeeklyReportCard(weeklyReportViewModel(report()), SHANGHAI));
    for (const expected of ['周报', 'US$42.10', '本周', '上周', '增加 US$2.50（+25%）', '日本', '主要呼叫者', '未注明用户', '其他', '停止周报', '中国标准时间'])
      expect(text).toContain(expected);
    for (const english of ['Weekly report', 'Top callers', 'This week', 'Others', 'calls']) expect(text).not.toContain(english);
  });

  it('says when a week had no calls, spend fell or did not change, and when it was sent on request or is incomplete', () => {
    const quiet = cardText(
      renderWeeklyReportCard(
        weeklyReportViewModel(
          report({
            week: null,
            thisWeek: totals(0, 0),
            lastWeek: totals(0, 0),
            topDestinations: [],
            otherDestinations: totals(0, 0),
            topUsers: [],
            expiring: [],
            complete: false,
          }),
        ),
        'en-US',
      ),
    );
    expect(quiet).toContain('No calls this week.');
    expect(quiet).toContain('no change');
    expect(quiet).toContain('Nothing expires in the next 30 days.');
    expect(quiet).toContain("operator's request");
    expect(quiet).toContain('the figures count the most recent ones');
    expect(quiet).not.toContain('stop weekly report');
    const down = cardText(renderWeeklyReportCard(weeklyReportViewModel(report({ thisWeek: totals(500, 2) })), 'en-US'));
    expect(down).toContain('down $5.00 (−50%)');
    const fromNothing = cardText(renderWeeklyReportCard(weeklyReportViewModel(report({ lastWeek: totals(0, 0) })), 'en-US'));
    expect(fromNothing).toContain('up $12.50');
    expect(fromNothing).not.toContain('%');
  });

  it('has a one-line summary for the chat list and the notification', () => {
    expect(alertSummary(report(), 'en-US')).toBe('Weekly report: balance $42.10 · spent $12.50 this week');
    expect(alertSummary(report(), 'zh-CN')).toBe('周报：余额 US$42.10 · 本周消费 US$12.50');
  });

  it('answers the switch and schedule commands in the reader’s language', () => {
    const schedule = { day: 1, hour: 9, timeZone: 'Asia/Shanghai' };
    expect(weeklyReportSettingsContent({ state: 'scheduled', schedule, youGetIt: true }, 'en-US').text).toContain(
      'every Monday at 09:00 (China Standard Time)',
    );
    expect(weeklyReportSettingsContent({ state: 'off', schedule, youGetIt: false }, 'zh-CN')).toMatchObject({ title: '周报已关闭' });
    expect(weeklyReportSettingsContent({ state: 'on', schedule: { ...schedule, day: 5, hour: 17 }, youGetIt: true }, 'zh-CN').text).toContain('星期五 17:00');
    expect(weeklyReportSettingsContent({ state: 'unreadable' }, 'en-US').text).toContain('Nothing was changed');
  });
});

describe('the weekly report email', () => {
  it('says what the card says, as text and HTML, read back by postal-mime in both languages', async () => {
    const en = noticeEmail(report(), { name: 'Ana', locale: 'en-US', timeZone: 'America/Los_Angeles' });
    const zh = noticeEmail(report(), { name: '李伟', locale: 'zh-CN', timeZone: 'Asia/Shanghai' });
    const mail = (content: typeof en, to: string) =>
      readEml(
        toRfc5322(
          {
            id: `report-${to}`,
            tenantId: 't1',
            from: { name: 'Credits', address: 'credits@contoso.com' },
            to: { name: null, address: to },
            date: new Date(0),
            ...content,
          },
          'contoso.com',
        ),
      );
    const english = await mail(en, 'ana@contoso.com');
    expect(english.subject).toBe('Communications Credits: Weekly report: balance $42.10 · spent $12.50 this week');
    for (const expected of [
      'Hello Ana,',
      'Top destinations',
      '  Japan: $7.00 · 3 calls',
      '  Li Wei: $9.00 · 4 calls',
      'up $2.50 (+25%)',
      'Times are in Pacific Time.',
    ])
      expect(english.text).toContain(expected);
    expect(english.html).toContain('<h3>Top callers</h3>');
    expect(english.html).toContain('<th align="left" style="padding-right: 1em">Japan</th><td>$7.00 · 3 calls</td>');

    const chinese = await mail(zh, 'li@contoso.com');
    expect(chinese.subject).toBe('通信点数：周报：余额 US$42.10 · 本周消费 US$12.50');
    for (const expected of ['李伟，您好：', '主要目的地', '日本', '时间均为中国标准时间。']) expect(chinese.text).toContain(expected);
    expect(chinese.html).toContain('lang="zh-CN"');
  });

  it('escapes names in its HTML', () => {
    const hostile = report({ topUsers: [{ userId: 'x', name: '<img src=x onerror=alert(1)>', ...totals(100, 1) }] });
    const { html, text } = noticeEmail(hostile, { name: '<b>', locale: 'en-US' });
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(text).toContain('<img src=x onerror=alert(1)>');
  });
});

describe('weekly report settings in the history', () => {
  it('say what changed: the day and hour, or that an admin switched theirs off or on', () => {
    const entry = (id: string, detail: object) =>
      historyEntryViewModel({
        id,
        tenantId: 't1',
        kind: 'settings-changed',
        amountMinor: 0,
        balanceAfterMinor: 1000,
        at: '2026-11-20T00:00:00.000Z',
        actor: 'aad-li',
        idempotencyKey: null,
        detail: { kind: 'settings-changed', ...detail },
      });
    const entries = [
      entry('3', { weeklyReportOptOut: { actor: 'aad-li', optedOut: true } }),
      entry('2', { weeklyReportSchedule: { day: 5, hour: 17, timeZone: 'Asia/Shanghai' } }),
    ];
    const en = cardText(renderHistoryCard(history({ entries }), 'en-US'));
    expect(en).toContain('Weekly report: Friday at 17:00 (China Standard Time).');
    expect(en).toContain('Weekly report off.');
    const zh = cardText(renderHistoryCard(history({ entries }), 'zh-CN'));
    expect(zh).toContain('周报：星期五 17:00（中国标准时间）');
  });
});
