import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { APP_CREDENTIALS_ENV, useBotUnderTest } from './support/botHarness.js';

const APP_ID = APP_CREDENTIALS_ENV.MicrosoftAppId;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: Record<string, unknown>) =>
  `${b64({ alg: 'RS256', kid: 'forged-key', typ: 'JWT' })}.${b64({ iss: 'https://api.botframework.com', nbf: 0, exp: Math.floor(Date.now() / 1000) + 3600, ...claims })}.${Buffer.from('not a signature').toString('base64url')}`;

describe('POST /api/messages with app credentials', () => {
  // A fake app id and password: no test here may need the internet to be refused.
  const harness = useBotUnderTest(APP_CREDENTIALS_ENV);

  const activity = () => ({
    type: 'message',
    text: 'add 50',
    channelId: 'msteams',
    serviceUrl: harness.connector.serviceUrl,
    conversation: { id: 'a:1', tenantId: 'tenant-auth' },
    from: { id: '29:mallory', aadObjectId: 'aad-mallory' },
    recipient: { id: '28:bot' },
  });

  it.each([
    ['no Authorization header', undefined],
    ['a token that is not a JWT', 'Bearer not-a-token'],
    ['a token for another bot', `Bearer ${jwt({ aud: 'someone-else' })}`],
    ['an expired token', `Bearer ${jwt({ aud: APP_ID, exp: 1_000_000 })}`],
    ['a forged token for this bot', `Bearer ${jwt({ aud: APP_ID, serviceurl: 'http://127.0.0.1/' })}`],
    ['another scheme', `Basic ${Buffer.from('a:b').toString('base64')}`],
  ])('refuses %s with 401 and runs no turn', async (_what, authorization) => {
    const response = await harness.bot.http('POST', '/api/messages', activity(), authorization ? { authorization } : {});
    expect(response.status).toBe(401);
    expect(JSON.stringify(response.body)).not.toMatch(/stack|Error:|at /);
    expect(harness.connector.calls).toHaveLength(0);
    expect((await harness.bot.account('tenant-auth')).error).toBe('not-found');
  });
});

describe('POST /api/messages without app credentials', () => {
  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && !i.internal && i.family === 'IPv4')?.address;
  // Bound to every interface on purpose, to show that the check is on the caller, not only the bind address.
  const harness = useBotUnderTest({ HOST: '0.0.0.0' });

  const message = () => ({
    type: 'message',
    text: 'balance',
    channelId: 'emulator',
    serviceUrl: harness.connector.serviceUrl,
    conversation: { id: 'emu-1' },
    from: { id: 'user-1' },
    recipient: { id: 'bot' },
  });

  it('accepts loopback callers (Emulator, Playground) and files their activity under DEFAULT_TENANT_ID', async () => {
    const response = await harness.bot.http('POST', '/api/messages', message());
    expect(response.status).toBe(200);
    expect((await harness.bot.account('local')).balance).toBe('0.00');
  });

  it.skipIf(!external)('refuses a caller that is not on loopback', async () => {
    const port = new URL(harness.bot.base).port;
    const response = await fetch(`http://${external}:${port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message()),
    });
    expect(response.status).toBe(403);
  });

  it('by default listens on loopback only', async () => {
    const { loadConfig } = await import('../../bot/config.js');
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ MicrosoftAppId: APP_ID }).host).toBe('0.0.0.0');
  });
});
