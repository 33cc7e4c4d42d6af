import type { Activity } from 'botbuilder';

/** Loopback addresses, including IPv4 mapped into IPv6. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const ip = address.startsWith('::ffff:') ? address.slice(7) : address;
  return ip === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip);
}

/**
 * Whether a proxy or tunnel passed the request on. In local mode the loopback check is the only
 * guard, and a tunnel on the same host (ngrok, dev tunnels) makes every internet caller loopback;
 * these headers give it away, so such requests are refused like any other outside caller.
 */
export function isForwarded(headers: Record<string, string | string[] | undefined>): boolean {
  return ['x-forwarded-for', 'forwarded', 'x-forwarded-host'].some((name) => headers[name] !== undefined);
}

/**
 * A cheap look at a bearer token before the library validates it: a token that is not a JWT, is
 * for another app or has expired is refused here, with no network round trip for signing keys.
 * Passing this proves nothing; the signature is checked afterwards.
 */
export function tokenLooksAddressedTo(authorization: string | undefined, appId: string, now: number): boolean {
  const match = /^Bearer\s+([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/.exec((authorization ?? '').trim());
  if (!match) return false;
  let claims: { aud?: unknown; exp?: unknown };
  try {
    claims = JSON.parse(Buffer.from(match[2]!, 'base64url').toString('utf8')) as typeof claims;
  } catch {
    return false;
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(appId)) return false;
  // Five minutes of clock skew, as the library allows.
  return typeof claims.exp === 'number' && claims.exp * 1000 > now - 5 * 60_000;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The least an activity needs for the bot to answer it: a type, a conversation, a sender and a
 * service URL to reply to. Anything else is a 400, never a turn.
 */
export function looksLikeActivity(body: unknown): body is Activity {
  if (!isObject(body)) return false;
  const { type, conversation, from, serviceUrl } = body;
  return (
    typeof type === 'string' &&
    type.length > 0 &&
    isObject(conversation) &&
    typeof conversation.id === 'string' &&
    isObject(from) &&
    typeof from.id === 'string' &&
    typeof serviceUrl === 'string' &&
    /^https?:\/\/[^\s]+$/i.test(serviceUrl)
  );
}
