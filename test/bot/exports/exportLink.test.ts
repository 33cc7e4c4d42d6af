import { describe, expect, it } from 'vitest';
import { exportBaseUrl, exportLinkSecret, journalExportUrl, signExportToken, verifyExportToken } from '../../../bot/exports/exportLink.js';

const SECRET = 'unit-test-secret';
const NOW = Date.parse('2026-12-03T12:00:00Z');
const GRANT = { tenantId: '11111111-1111-4111-8111-111111111111', actor: 'aad-alex', expiresAt: NOW + 15 * 60_000 };

/** The token with its payload rewritten, the signature kept. */
function withPayload(token: string, change: (payload: Record<string, unknown>) => void): string {
  const [payload, signature] = token.split('.');
  const data = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
  change(data);
  return `${Buffer.from(JSON.stringify(data)).toString('base64url')}.${signature}`;
}

describe('export link tokens', () => {
  it('carry the tenant, the person and the expiry they were signed for', () => {
    expect(verifyExportToken(SECRET, signExportToken(SECRET, GRANT), NOW)).toEqual({ ok: true, grant: GRANT });
  });

  it('refuse another tenant written into a signed token', () => {
    const token = withPayload(signExportToken(SECRET, GRANT), (p) => (p.t = '22222222-2222-4222-8222-222222222222'));
    expect(verifyExportToken(SECRET, token, NOW)).toEqual({ ok: false, error: 'link-invalid' });
  });

  it('refuse a later expiry written into a signed token', () => {
    const token = withPayload(signExportToken(SECRET, GRANT), (p) => (p.e = (p.e as number) + 86_400_000));
    expect(verifyExportToken(SECRET, token, NOW)).toEqual({ ok: false, error: 'link-invalid' });
  });

  it('refuse a token signed with another secret', () => {
    expect(verifyExportToken(SECRET, signExportToken('another-secret', GRANT), NOW)).toEqual({ ok: false, error: 'link-invalid' });
  });

  it('expire at their expiry', () => {
    const token = signExportToken(SECRET, GRANT);
    expect(verifyExportToken(SECRET, token, GRANT.expiresAt - 1).ok).toBe(true);
    expect(verifyExportToken(SECRET, token, GRANT.expiresAt)).toEqual({ ok: false, error: 'link-expired' });
  });

  it('refuse what is not a token', () => {
    const token = signExportToken(SECRET, GRANT);
    for (const junk of ['', '.', 'abc', `${token}.x`, `${token.split('.')[0]}.`, `.${token.split('.')[1]}`, token.slice(0, -2)])
      expect(verifyExportToken(SECRET, junk, NOW), junk).toEqual({ ok: false, error: 'link-invalid' });
    // A payload that is signed but not a grant (a server never signs one; the check does not trust it either).
    const notJson = Buffer.from('not json').toString('base64url');
    const signed = signExportToken(SECRET, GRANT).split('.')[1];
    expect(verifyExportToken(SECRET, `${notJson}.${signed}`, NOW)).toEqual({ ok: false, error: 'link-invalid' });
  });
});

describe('the export link secret', () => {
  it('is the configured one, else derived from the app password (the same on every instance), else random', () => {
    expect(exportLinkSecret('configured', 'password')).toBe('configured');
    expect(exportLinkSecret(null, 'password')).toBe(exportLinkSecret(null, 'password'));
    expect(exportLinkSecret(null, 'password')).not.toContain('password');
    expect(exportLinkSecret(null, 'password')).not.toBe(exportLinkSecret(null, 'other'));
    expect(exportLinkSecret(null, '')).not.toBe(exportLinkSecret(null, ''));
  });
});

describe('the export URL', () => {
  it('is https on the bot domain, else the local port, with the token escaped', () => {
    expect(journalExportUrl(exportBaseUrl('bot.contoso.com', 3978), 'a.b')).toBe('https://bot.contoso.com/api/exports/journal.csv?t=a.b');
    expect(journalExportUrl(exportBaseUrl(null, 4321), 'a+b')).toBe('http://127.0.0.1:4321/api/exports/journal.csv?t=a%2Bb');
  });
});
