import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Signed, short-lived links to a tenant's journal as CSV (`GET /api/exports/journal.csv?t=…`).
 * The token names the tenant and the person who asked and when it stops working, signed with
 * HMAC-SHA256. Who may view is checked when the link is made (the command's and the card's
 * 'view' permission); after that a link is a bearer capability for its lifetime: anyone holding
 * it gets that tenant's CSV until it expires, so it is short.
 */

/** How long a link works. */
export const EXPORT_LINK_MINUTES = 15;

export interface ExportGrant {
  tenantId: string;
  /** The ledger actor of the person the link was made for (logged when it is used). */
  actor: string;
  /** When the link stops working, in epoch milliseconds. */
  expiresAt: number;
}

const Payload = z.strictObject({ t: z.string().min(1), a: z.string().min(1), e: z.number().int() });

const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest();

export function signExportToken(secret: string, grant: ExportGrant): string {
  const payload = Buffer.from(JSON.stringify({ t: grant.tenantId, a: grant.actor, e: grant.expiresAt })).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

export type ExportTokenCheck = { ok: true; grant: ExportGrant } | { ok: false; error: 'link-invalid' | 'link-expired' };

/** The grant a token carries when its signature is this server's (compared in constant time) and it has not expired at `now`. */
export function verifyExportToken(secret: string, token: string, now: number): ExportTokenCheck {
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0) return { ok: false, error: 'link-invalid' };
  const expected = mac(secret, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, error: 'link-invalid' };
  let parsed: z.infer<typeof Payload>;
  try {
    const read = Payload.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    if (!read.success) return { ok: false, error: 'link-invalid' };
    parsed = read.data;
  } catch {
    return { ok: false, error: 'link-invalid' };
  }
  if (now >= parsed.e) return { ok: false, error: 'link-expired' };
  return { ok: true, grant: { tenantId: parsed.t, actor: parsed.a, expiresAt: parsed.e } };
}

/**
 * The secret links are signed with: EXPORT_LINK_SECRET; else one derived from the bot's app
 * password (so instances sharing the bot's credentials accept each other's links); else a random
 * one made at start (links then stop working at a restart and on other instances).
 */
export function exportLinkSecret(configured: string | null, appPassword: string): string {
  if (configured) return configured;
  if (appPassword) return createHmac('sha256', appPassword).update('communications-credits journal export links').digest('base64url');
  return randomBytes(32).toString('base64url');
}

/** Where the bot serves exports: https on its public domain, else the local port it listens on. */
export function exportBaseUrl(botDomain: string | null, port: number): string {
  return botDomain ? `https://${botDomain}` : `http://127.0.0.1:${port}`;
}

export const JOURNAL_EXPORT_PATH = '/api/exports/journal.csv';

export const journalExportUrl = (base: string, token: string) => `${base}${JOURNAL_EXPORT_PATH}?t=${encodeURIComponent(token)}`;
