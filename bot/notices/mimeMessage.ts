import type { Mailbox, OutgoingMail } from './mailer.js';

const CRLF = '\r\n';

/**
 * The mail as an RFC 5322 message: UTF-8 headers as RFC 2047 encoded words, a plain-text part and
 * an HTML alternative, both base64 in lines of 76. Opens in any mail client.
 */
export function toRfc5322(mail: OutgoingMail, messageIdDomain: string): string {
  const boundary = `=_alt_${mail.id.replace(/[^A-Za-z0-9]/g, '')}`;
  const headers = [
    header('From', mailbox(mail.from)),
    header('To', mail.to.address ? mailbox(mail.to) : 'undisclosed-recipients:;'),
    header('Subject', encodeWords(mail.subject)),
    header('Date', rfc5322Date(mail.date)),
    header('Message-ID', `<${mail.id}@${messageIdDomain}>`),
    header('Content-Language', mail.language),
    header('MIME-Version', '1.0'),
    header('Content-Type', `multipart/alternative; boundary="${boundary}"`),
  ];
  const part = (type: string, content: string) =>
    [`--${boundary}`, `Content-Type: ${type}; charset=utf-8`, 'Content-Transfer-Encoding: base64', '', base64Lines(content)].join(CRLF);
  return [
    ...headers,
    '',
    'This is a multi-part message in MIME format.',
    part('text/plain', mail.text),
    part('text/html', mail.html),
    `--${boundary}--`,
    '',
  ].join(CRLF);
}

/** `Name <address>`, the name quoted or encoded as needed. */
export function mailbox(box: Mailbox): string {
  const address = box.address ?? 'undisclosed-recipients';
  if (!box.name) return `<${address}>`;
  if (!needsEncoding(box.name)) return `"${box.name.replace(/(["\\])/g, '\\$1')}" <${address}>`;
  // The address goes on a folded line of its own, so no line outgrows 78 characters.
  return `${encodeWords(box.name)}\r\n <${address}>`;
}

/**
 * RFC 2047 "B" encoded words for text that is not plain ASCII; each word carries whole UTF-8
 * characters and stays well within 75 characters, words joined by folding whitespace.
 */
export function encodeWords(text: string): string {
  if (!needsEncoding(text)) return text;
  const words: string[] = [];
  let chunk = '';
  for (const char of text) {
    // 36 bytes of UTF-8 make a 60-character word, so "Subject: " and a word fit in 78 characters.
    if (Buffer.byteLength(chunk + char, 'utf8') > 36) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join(`${CRLF} `);
}

/** Text other than plain ASCII; and text with "=?", which mail clients would read as the start of an encoded word. */
function needsEncoding(text: string): boolean {
  return !/^[\x20-\x7e]*$/.test(text) || text.includes('=?');
}

/** "Thu, 27 Nov 2026 09:59:28 +0000" */
export function rfc5322Date(date: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  return `${days[date.getUTCDay()]}, ${two(date.getUTCDate())} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}

function header(name: string, value: string): string {
  // Header values never carry a line break of their own (a display name cannot inject a header).
  return `${name}: ${value.replace(/\r?\n(?! )/g, ' ')}`;
}

function base64Lines(text: string): string {
  return (
    Buffer.from(text, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join(CRLF);
}

/** `Name <address>` or a bare address, as written in MAIL_FROM. */
export function parseMailbox(text: string): Mailbox {
  const match = /^\s*"?([^"<]*?)"?\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(text);
  if (match) return { name: match[1]!.trim() || null, address: match[2]! };
  return { name: null, address: text.trim() };
}
