import { describe, expect, it } from 'vitest';
import { APP_CREDENTIALS_ENV, useBotUnderTest } from '../e2e/support/botHarness.js';

/**
 * Threat: in local mode (no MicrosoftAppId) the only guard of `/api/messages` is that the caller is
 * on loopback. A tunnel on the same host (ngrok, dev tunnels) delivers internet traffic from
 * loopback; the forwarding headers it adds give it away, and such a request is refused (403) like
 * any other outside caller.
 */

describe('forwarded requests in local mode', () => {
  const harness = useBotUnderTest();

  const message = (tenantId: string) => ({
    type: 'message',
    text: 'balance',
    channelId: 'msteams',
    serviceUrl: harness.connector.serviceUrl,
    conversation: { id: `a:fwd-${tenantId}`, conversationType: 'personal', tenantId },
    channelData: { tenant: { id: tenantId } },
    from: { id: '29:tunnel-user', aadObjectId: 'aad-tunnel-user' },
    recipient: { id: '28:bot' },
  });

  it.each([
    ['X-Forwarded-For', { 'x-forwarded-for': '203.0.113.7' }],
    ['Forwarded', { forwarded: 'for=203.0.113.7;proto=https' }],
    ['X-Forwarded-Host', { 'x-forwarded-host': 'abc123.ngrok-free.app' }],
    ['an empty X-Forwarded-For', { 'x-forwarded-for': '' }],
    ['X-Forwarded-For naming loopback', { 'x-forwarded-for': '127.0.0.1' }],
  ])('refuses a loopback request carrying %s with 403 and runs no turn', async (_what, headers) => {
    const response = await harness.bot.http('POST', '/api/messages', message('tunnel-t'), headers);
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ error: 'forbidden', reference: expect.any(String) });
    expect(harness.connector.calls).toHaveLength(0);
    expect((await harness.bot.account('tunnel-t')).error).toBe('not-found');
  });

  it('still serves a plain loopback caller (Emulator, Playground)', async () => {
    const response = await harness.bot.http('POST', '/api/messages', message('plain-t'));
    expect(response.status).toBe(200);
    expect(harness.connector.calls.length).toBeGreaterThan(0);
  });
});

describe('forwarded requests with app credentials', () => {
  const harness = useBotUnderTest(APP_CREDENTIALS_ENV);

  it('leaves proxies to the token check (a hosting front end adds these headers): 401, not 403', async () => {
    const response = await harness.bot.http('POST', '/api/messages', { type: 'message' }, { 'x-forwarded-for': '203.0.113.7' });
    expect(response.status).toBe(401);
  });
});
