import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeWords, parseMailbox, rfc5322Date, toRfc5322 } from '../../../bot/notices/mimeMessage.js';
import { OutboxMailer } from '../../../bot/notices/outboxMailer.js';
import type { OutgoingMail } from '../../../bot/notices/mailer.js';
import { useTempFolders } from '../../data/tempFolders.js';
import { parseEml } from './eml.js';

const mail = (overrides: Partial<OutgoingMail> = {}): OutgoingMail => ({
  id: 'alert-7.0-abc',
  from: { name: 'Communications Credits', address: 'credits-bot@contoso.com' },
  to: { name: '王小明', address: 'xiaoming@contoso.com' },
  language: 'zh-CN',
  subject: '通信点数：自动充值失败，卡被拒绝了，请尽快更换付款方式以免通话中断',
  text: '王小明，您好：\n\n绑定的银行卡被拒绝。\n',
  html: '<p>绑定的银行卡被拒绝。</p>',
  date: new Date(Date.UTC(2026, 10, 27, 9, 5, 3)),
  ...overrides,
});

describe('RFC 5322 notice emails', () => {
  it('has the headers a mail client needs, Chinese subject and name as RFC 2047 words', () => {
    const eml = parseEml(toRfc5322(mail(), 'contoso.com'));
    expect(eml.headers.from).toBe('"Communications Credits" <credits-bot@contoso.com>');
    expect(eml.headers.to).toBe('王小明 <xiaoming@contoso.com>');
    expect(eml.headers.subject).toBe(mail().subject);
    expect(eml.headers.date).toBe('Fri, 27 Nov 2026 09:05:03 +0000');
    expect(eml.headers['message-id']).toBe('<alert-7.0-abc@contoso.com>');
    expect(eml.headers['mime-version']).toBe('1.0');
    expect(eml.headers['content-type']).toMatch(/^multipart\/alternative; boundary="/);
    expect(eml.parts.map((p) => p.contentType)).toEqual(['text/plain', 'text/html']);
    expect(eml.parts[0]!.body).toBe(mail().text);
    expect(eml.parts[1]!.body).toBe(mail().html);
  });

  it('uses CRLF line ends, ASCII only, and no line longer than 78 characters', () => {
    const raw = toRfc5322(mail(), 'contoso.com');
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(raw).toMatch(/^[\x00-\x7f]*$/);
    for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
  });

  it('splits encoded words on whole characters and leaves ASCII alone', () => {
    expect(encodeWords('Low balance')).toBe('Low balance');
    for (const word of encodeWords('余额'.repeat(40)).split('\r\n ')) expect(word.length).toBeLessThanOrEqual(75);
  });

  it('addresses an admin whose address is unknown to undisclosed recipients', () => {
    expect(parseEml(toRfc5322(mail({ to: { name: 'Alex', address: null } }), 'x')).headers.to).toBe('undisclosed-recipients:;');
  });

  it('cannot be given extra headers through a display name', () => {
    const raw = toRfc5322(mail({ to: { name: 'Eve\r\nBcc: victim@example.com', address: 'eve@example.com' } }), 'x');
    expect(raw).not.toMatch(/\r\nBcc:/);
  });

  it('reads MAIL_FROM with or without a display name', () => {
    expect(parseMailbox('Communications Credits <bot@contoso.com>')).toEqual({ name: 'Communications Credits', address: 'bot@contoso.com' });
    expect(parseMailbox('bot@contoso.com')).toEqual({ name: null, address: 'bot@contoso.com' });
    expect(rfc5322Date(new Date(Date.UTC(2026, 0, 4, 23, 59, 0)))).toBe('Sun, 04 Jan 2026 23:59:00 +0000');
  });
});

describe('OutboxMailer', () => {
  const tempFolder = useTempFolders('outbox-');

  it('writes one .eml per mail id; sending the same id again rewrites the same file', async () => {
    const folder = path.join(await tempFolder(), 'outbox');
    const outbox = new OutboxMailer(folder, 'contoso.com');
    await outbox.send(mail());
    await outbox.send(mail());
    await outbox.send(mail({ id: 'alert-8.0-abc' }));
    const files = (await readdir(folder)).sort();
    expect(files).toEqual(['alert-7.0-abc.eml', 'alert-8.0-abc.eml']);
    expect(parseEml(await readFile(path.join(folder, files[0]!), 'utf8')).headers.subject).toBe(mail().subject);
  });
});
