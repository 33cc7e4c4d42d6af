/** A small reader for the `.eml` files the outbox writes: headers (unfolded, RFC 2047 decoded) and MIME parts. */
export interface ParsedEml {
  raw: string;
  headers: Record<string, string>;
  parts: Array<{ contentType: string; body: string }>;
}

export function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=/gi, (_, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));
}

export function parseEml(raw: string): ParsedEml {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of head!.replace(/\r\n[ \t]/g, ' ').split('\r\n')) {
    const at = line.indexOf(':');
    headers[line.slice(0, at).toLowerCase()] = decodeWords(line.slice(at + 1).trim());
  }
  const boundary = /boundary="([^"]+)"/.exec(headers['content-type'] ?? '')?.[1];
  const body = rest.join('\r\n\r\n');
  const parts = (boundary ? body.split(`--${boundary}`).slice(1, -1) : []).map((part) => {
    const [partHead, ...partBody] = part.replace(/^\r\n/, '').split('\r\n\r\n');
    const contentType = /Content-Type: ([^;\r\n]+)/i.exec(partHead!)?.[1] ?? '';
    return { contentType, body: Buffer.from(partBody.join('').replace(/\s+/g, ''), 'base64').toString('utf8') };
  });
  return { raw, headers, parts };
}
