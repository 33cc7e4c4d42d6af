import { describe, expect, it } from 'vitest';
import {
  canonicalTimeZone,
  formatter,
  renderAlertCard,
  renderAlertsHereCard,
  renderBalanceCard,
  renderHistoryCard,
  renderReceiptCard,
  renderUsageCard,
} from '../../cards/index.js';
import { ALERTS, balance, history, historyEntries, receipt, usage } from './fixtures.js';
import { cardText } from './validateCard.js';

const count = (text: string, part: string) => text.split(part).length - 1;

describe("times in the reader's zone", () => {
  it.each([
    // Half-hour and 45-minute offsets.
    ['Asia/Kolkata', '2026-03-05T18:29:00Z', 'Mar 5, 2026, 23:59', '2026-03-05'],
    ['Asia/Kolkata', '2026-03-05T18:30:00Z', 'Mar 6, 2026, 00:00', '2026-03-06'],
    ['Asia/Kathmandu', '2026-03-05T14:30:00Z', 'Mar 5, 2026, 20:15', '2026-03-05'],
    ['America/St_Johns', '2026-03-05T14:30:00Z', 'Mar 5, 2026, 11:00', '2026-03-05'],
    // Daylight saving time starts: 01:59 is followed by 03:00 in New York, and St. John's moves to -2:30.
    ['America/New_York', '2026-03-08T06:59:00Z', 'Mar 8, 2026, 01:59', '2026-03-08'],
    ['America/New_York', '2026-03-08T07:00:00Z', 'Mar 8, 2026, 03:00', '2026-03-08'],
    ['America/St_Johns', '2026-03-10T14:30:00Z', 'Mar 10, 2026, 12:00', '2026-03-10'],
    // Daylight saving time ends in Adelaide (+10:30 becomes +9:30).
    ['Australia/Adelaide', '2026-04-04T15:29:00Z', 'Apr 5, 2026, 01:59', '2026-04-05'],
    ['Australia/Adelaide', '2026-04-04T16:30:00Z', 'Apr 5, 2026, 02:00', '2026-04-05'],
    ['UTC', '2026-03-05T23:59:00Z', 'Mar 5, 2026, 23:59', '2026-03-05'],
  ])('%s: %s reads %s on day %s', (zone, iso, dateTime, day) => {
    const f = formatter('en-US', zone);
    expect(f.dateTime(iso)).toBe(dateTime);
    expect(f.dayKey(iso)).toBe(day);
  });

  it('one format for every time, date and range in Chinese, with no zone wedged into a date', () => {
    const f = formatter('zh-CN', 'Asia/Shanghai');
    expect(f.dateTime('2026-12-03T05:04:00Z')).toBe('2026年12月3日 13:04');
    expect(f.date('2026-12-03T20:00:00Z')).toBe('2026年12月4日');
    expect(f.time('2026-12-03T05:04:00Z')).toBe('13:04');
    expect(f.dateRange('2026-02-04T00:00:00Z', '2026-03-05T23:00:00Z')).toBe('2026年2月4日 – 2026年3月6日');
    expect(f.zoneName).toBe('中国标准时间');
  });

  it('names a zone as people do, one name across daylight saving time', () => {
    expect(formatter('en-US', 'America/Los_Angeles').zoneName).toBe('Pacific Time');
    expect(formatter('zh-CN', 'America/Los_Angeles').zoneName).toBe('北美太平洋时间');
    expect(formatter('en-US', 'Asia/Kolkata').zoneName).toBe('India Standard Time');
    expect(formatter('en-US', null).zoneName).toBe('UTC');
    expect(formatter('zh-CN', undefined).zoneName).toBe('UTC');
  });

  it('takes only zones Intl knows; anything else reads in UTC', () => {
    expect(canonicalTimeZone('Asia/Shanghai')).toBe('Asia/Shanghai');
    expect(canonicalTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    for (const junk of ['Mars/Base', '', 'x'.repeat(500), 42, null, { toString: () => 'UTC' }]) expect(canonicalTimeZone(junk)).toBeNull();
    expect(formatter('en-US', 'Mars/Base').timeZone).toBe('UTC');
  });
});

describe('cards name the zone once, and a date-only value none', () => {
  const shanghai = { locale: 'zh-CN', timeZone: 'Asia/Shanghai' };
  const losAngeles = { locale: 'en-US', timeZone: 'America/Los_Angeles' };

  it('the balance card in Shanghai and in Los Angeles', () => {
    const zh = cardText(renderBalanceCard(balance({ insight: { lastUsageSyncAt: '2026-03-05T14:00:00.000Z' } }), shanghai));
    expect(zh).toContain('截至 2026年3月5日 22:30');
    expect(zh).toContain('2026年3月5日 18:00');
    expect(count(zh, '时间均为中国标准时间。')).toBe(1);
    expect(zh).not.toMatch(/UTC|GMT/);
    const en = cardText(renderBalanceCard(balance(), losAngeles));
    expect(en).toContain('As of Mar 5, 2026, 06:30');
    expect(en).toContain('-$1.20 · Mar 5, 2026, 02:00');
    expect(count(en, 'Times are in Pacific Time.')).toBe(1);
  });

  it('every alert card says its zone once; its expiry date none', () => {
    for (const alert of ALERTS) {
      const zh = cardText(renderAlertCard(alert, shanghai));
      expect(count(zh, '中国标准时间'), alert.type).toBe(1);
      // When: the time of the event (a spike's hour), else of the change that raised it.
      const when =
        alert.type === 'unusual-spend' && alert.reason === 'hourly-spike'
          ? '2026年3月5日 21:00–22:00'
          : alert.type === 'unusual-spend' && alert.firstCallAt
            ? '2026年3月5日 10:10'
            : '2026年3月5日 22:30';
      expect(zh, alert.type).toContain(when);
      const en = cardText(renderAlertCard(alert, losAngeles));
      expect(count(en, 'Pacific Time'), alert.type).toBe(1);
    }
    expect(cardText(renderAlertCard(ALERTS[4]!, losAngeles))).toContain('It will try again Mar 5, 2026, 06:45.');
    expect(cardText(renderAlertCard(ALERTS[9]!, shanghai))).toContain('（2026年4月4日）到期');
  });

  it('the receipt: the time of the addition with its zone, the expiry a plain date', () => {
    const zh = cardText(renderReceiptCard(receipt(), shanghai));
    expect(zh).toContain('2026年3月5日 22:30（中国标准时间）');
    expect(zh).toContain('2027年3月5日\n');
    const en = cardText(renderReceiptCard(receipt({ at: '2026-03-06T01:00:00.000Z', expiresAt: '2027-03-06T01:00:00.000Z' }), losAngeles));
    expect(en).toContain('Mar 5, 2026, 17:00 (Pacific Time)');
    expect(en).toContain('Mar 5, 2027');
  });

  it("the history card and the usage period in the reader's zone", () => {
    const zh = cardText(renderHistoryCard(history({ entries: historyEntries(2) }), shanghai));
    expect(zh).toContain('2026年3月5日 22:30');
    expect(count(zh, '时间均为中国标准时间。')).toBe(1);
    expect(cardText(renderUsageCard(usage(), shanghai))).toContain('2026年2月4日 – 2026年3月6日');
  });

  it('a message with one time names the zone beside it', () => {
    const text = cardText(renderAlertsHereCard({ state: 'subscribed', by: 'Alex', at: '2026-03-05T14:30:00.000Z' }, losAngeles));
    expect(text).toContain('as Alex asked on Mar 5, 2026, 06:30 (Pacific Time)');
  });
});
