import { describe, expect, it } from 'vitest';
import { noticeEmail } from '../../../bot/notices/noticeEmail.js';
import { ALERTS } from '../../cards/fixtures.js';

describe('notice emails', () => {
  it('have the alert\'s one-line summary as their subject, in the recipient\'s language', () => {
    const suspended = ALERTS[1]!;
    expect(noticeEmail(suspended, { name: 'Alex', locale: 'en-US' }).subject).toBe('Communications Credits: Calling suspended: balance -$4.20');
    expect(noticeEmail(suspended, { name: '魏', locale: 'zh-CN' }).subject).toBe('通信点数：通话已暂停：余额 -US$4.20');
  });
});
