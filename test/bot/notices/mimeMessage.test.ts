import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import PostalMime, { type Email } from 'postal-mime';
import { describe, expect, it } from 'vitest';
import type { OutgoingMail } from '../../../bot/notices/mailer.js';
import { encodeWords, parseMailbox, rfc5322Date, toRfc5322 } from '../../../bot/notices/mimeMessage.js';
import { OutboxMailer } from '../../../bot/notices/outboxMailer.js';
import { useTempFolders } from '../../data/tempFolders.js';
import { headerOf } from './eml.js';

const mail = (overrides: Partial<OutgoingMail> = {}): OutgoingMail => ({
  id: 'alert-7.0-abc',
  tenantId: 't1',
  from: { name: 'Communications Credits', address: 'credits-bot@contoso.com' },
  to: { name: '王小明', address: 'xiaoming@contoso.com' },
  language: 'zh-CN',
  subject: '通信点数：自动充值失败，卡被拒绝了，请尽快更换付款方式以免通话中断',
  text: '王小明，您好：\n\n绑定的银行卡被拒绝。\n',
  html: '<p>绑定的银行卡被拒绝。</p>',
  date: new Date(Date.UTC(2026, 10, 27, 9, 5, 3)),
  ...overrides,
});

/** What a mail client makes of the message: read by postal-mime, a parser this project did not write. */
const asReceived = (m: OutgoingMail): Promise<Email> => PostalMime.parse(toRfc5322(m, 'contoso.com'));

describe('RFC 5322 notice emails, as an independent parser reads them', () => {
  it('has the headers a mail client needs, with the Chinese subject and name intact', async () => {
    const received = await asReceived(mail());
    expect(received.from).toEqual({ name: 'Communications Credits', address: 'credits-bot@contoso.com' });
    expect(received.to).toEqual([{ name: '王小明', address: 'xiaoming@contoso.com' }]);
    expect(received.subject).toBe(mail().subject);
    expect(received.date).toBe('2026-11-27T09:05:03.000Z');
    expect(received.messageId).toBe('<alert-7.0-abc@contoso.com>');
    expect(headerOf(received, 'Content-Language')).toBe('zh-CN');
    expect(headerOf(received, 'MIME-Version')).toBe('1.0');
    expect(headerOf(received, 'Content-Type')).toMatch(/^multipart\/alternative; boundary="/);
    expect(received.text).toBe(mail().text);
    expect(received.html).toBe(mail().html);
    expect(received.attachments).toEqual([]);
  });

  it('writes the Chinese subject as RFC 2047 encoded words, and an English one as it is', async () => {
    const raw = toRfc5322(mail(), 'contoso.com');
    expect(raw).toMatch(/^Subject: =\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=\r\n =\?UTF-8\?B\?/m);
    expect(toRfc5322(mail({ subject: 'Communications Credits: calling suspended' }), 'x')).toMatch(/^Subject: Communications Credits: calling suspended\r$/m);
  });

  it('encodes ASCII that a mail client would take for an encoded word, so it reads as written', async () => {
    const lookalike = '=?UTF-8?B?5a2X?=';
    const received = await asReceived(mail({ subject: `Credits ${lookalike}`, to: { name: lookalike, address: 'a@contoso.com' } }));
    expect(received.subject).toBe(`Credits ${lookalike}`);
    expect(received.to).toEqual([{ name: lookalike, address: 'a@contoso.com' }]);
  });

  it('round-trips any subject, display names, text and HTML', async () => {
    // Plain ASCII, any Unicode, and the pieces that mean something in a header (quotes, encoded-word marks).
    const unit = fc.oneof(
      fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
      fc.constantFrom('"', '\\', '=?', '?=', '=?UTF-8?B?5a2X?=', '<a@b.c>', ',', ';', '(', ')'),
    );
    const line = fc
      .oneof(fc.string({ unit, minLength: 1, maxLength: 60 }), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 200 }))
      .filter((s) => s.trim() === s && !/[\p{Cc}\p{Zl}\p{Zp}]/u.test(s));
    const body = fc.string({ unit, maxLength: 400 });
    await fc.assert(
      fc.asyncProperty(line, line, fc.oneof(line, fc.constant('王小明')), body, body, async (subject, fromName, toName, text, html) => {
        const sent = mail({ subject, from: { name: fromName, address: 'bot@contoso.com' }, to: { name: toName, address: 'admin@contoso.com' }, text, html });
        const raw = toRfc5322(sent, 'contoso.com');
        // RFC 5322's hard limit; a long English subject may pass the 78 it recommends.
        for (const rawLine of raw.split('\r\n')) expect(rawLine.length).toBeLessThanOrEqual(998);
        const received = await PostalMime.parse(raw);
        expect(received.subject).toBe(subject);
        expect(received.from).toEqual({ name: fromName, address: 'bot@contoso.com' });
        expect(received.to).toEqual([{ name: toName, address: 'admin@contoso.com' }]);
        expect(received.text ?? '').toBe(text);
        expect(received.html ?? '').toBe(html);
      }),
      { numRuns: 200 },
    );
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

  it('addresses an admin whose address is unknown to undisclosed recipients', async () => {
    const received = await asReceived(mail({ to: { name: 'Alex', address: null } }));
    expect(received.to).toEqual([{ name: 'undisclosed-recipients', group: [] }]);
  });

  it('cannot be given extra headers through a display name', async () => {
    const received = await asReceived(mail({ to: { name: 'Eve\r\nBcc: victim@example.com', address: 'eve@example.com' } }));
    expect(received.bcc).toBeUndefined();
    expect(received.headers.map((h) => h.key)).not.toContain('bcc');
    expect(received.to?.map((a) => a.address)).toEqual(['eve@example.com']);
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
    expect((await PostalMime.parse(await readFile(path.join(folder, files[0]!)))).subject).toBe(mail().subject);
  });
});
