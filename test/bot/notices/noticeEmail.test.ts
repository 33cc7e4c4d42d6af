import { describe, expect, it } from 'vitest';
import { noticeEmail } from '../../../bot/notices/noticeEmail.js';
import { ALERTS } from '../../cards/fixtures.js';

describe('notice emails', () => {
  it("have the alert's one-line summary as their subject, in the recipient's language", () => {
    const suspended = ALERTS[1]!;
    expect(noticeEmail(suspended, { name: 'Alex', locale: 'en-US' }).subject).toBe('Communications Credits: Calling suspended: balance -$4.20');
    expect(noticeEmail(suspended, { name: '魏', locale: 'zh-CN' }).subject).toBe('通信点数：通话已暂停：余额 -US$4.20');
  });

  it("show the time in the recipient's zone and name it", () => {
    expect(noticeEmail(ALERTS[1]!, { name: '魏', locale: 'zh-CN', timeZone: 'Asia/Shanghai' }).text).toContain(
      '时间：2026年3月5日 22:30\n时间均为中国标准时间。',
    );
    expect(noticeEmail(ALERTS[1]!, { name: 'Alex', locale: 'en-US', timeZone: 'America/Los_Angeles' }).text).toContain(
      'When: Mar 5, 2026, 06:30\nTimes are in Pacific Time.',
    );
    expect(noticeEmail(ALERTS[1]!, { name: 'Alex', locale: 'en-US' }).text).toContain('When: Mar 5, 2026, 14:30\nTimes are in UTC.');
  });
});
