import { describe, expect, it } from 'vitest';
import { BODY_LIMITS } from '../../bot/http/jsonBody.js';
import { OPERATOR_KEY, useBotUnderTest } from '../e2e/support/botHarness.js';
import { record } from '../bot/operatorApi/operatorApiServer.js';
import { rawRequest, streamUntilAnswered } from './support/rawRequest.js';

/**
 * Threat: a body too big to hold. Each JSON route has its own limit, counted while reading: a
 * declared Content-Length above it is refused before a byte is read, and a chunked body is refused
 * (413) as soon as it passes the limit, without reading the rest. The bot endpoint's limit is far
 * below the usage API's.
 */

const KiB = 1024;
const MiB = 1024 * KiB;

describe('oversize bodies', () => {
  const harness = useBotUnderTest();

  const json = { 'content-type': 'application/json' };
  const operator = { ...json, authorization: `Bearer ${OPERATOR_KEY}` };
  const routes = [
    ['/api/messages', json, BODY_LIMITS.activity],
    ['/api/usage', operator, BODY_LIMITS.usageBatch],
    ['/api/tenants/big-t/funds', operator, BODY_LIMITS.grant],
  ] as const;

  it('keeps the bot endpoint far below the usage API', () => {
    expect(BODY_LIMITS.activity).toBe(256 * KiB);
    expect(BODY_LIMITS.usageBatch).toBe(16 * MiB);
    expect(BODY_LIMITS.activity * 32).toBeLessThan(BODY_LIMITS.usageBatch);
  });

  it.each(routes)('%s refuses a declared length above its limit before reading the body', async (route, headers, limit) => {
    // The body is never sent: only an answer given on the headers alone arrives.
    const response = await streamUntilAnswered(harness.bot.base, route, { ...headers, 'content-length': limit + 1 }, 0);
    expect(response.status).toBe(413);
    expect(response.bytesWritten).toBe(0);
    expect(response.json).toMatchObject({ error: 'body-too-large', reference: response.headers['x-request-id'] });
  });

  it.each(routes)('%s refuses a chunked body as soon as it passes its limit', async (route, headers, limit) => {
    const response = await streamUntilAnswered(harness.bot.base, route, headers, limit * 8, Buffer.alloc(Math.min(64 * KiB, limit / 4), 0x20));
    expect(response.status).toBe(413);
    expect(response.bytesWritten).toBeLessThan(limit * 8);
    expect(response.headers.connection).toBe('close');
  });

  it('takes a body just under each limit (a bot activity of 200 KiB, a usage batch of 10,000 records)', async () => {
    const message = {
      type: 'message',
      text: `balance${' '.repeat(200 * KiB)}`,
      channelId: 'emulator',
      serviceUrl: harness.connector.serviceUrl,
      conversation: { id: 'emu-big' },
      from: { id: 'user-big' },
      recipient: { id: 'bot' },
    };
    expect((await rawRequest(harness.bot.base, 'POST', '/api/messages', json, JSON.stringify(message))).status).toBe(200);
    await harness.bot.operator('POST', '/api/tenants/big-t/funds', { amount: '10000.00', currency: 'USD', idempotencyKey: 'big-seed' });
    const batch = JSON.stringify({ records: Array.from({ length: 10_000 }, () => record('big-t', '0.01', { destinationName: 'x'.repeat(200) })) });
    expect(batch.length).toBeGreaterThan(BODY_LIMITS.activity * 8);
    const response = await rawRequest(harness.bot.base, 'POST', '/api/usage', operator, batch);
    expect(response.status).toBe(200);
    expect(response.json.accepted).toBe(10_000);
  });

  it('refuses a caller without credentials without reading its body to the end', async () => {
    for (const route of ['/api/usage', '/api/tenants/big-t/funds']) {
      const response = await streamUntilAnswered(harness.bot.base, route, json, 64 * MiB);
      expect(response.status).toBe(401);
      expect(response.headers.connection).toBe('close');
      expect(response.bytesWritten).toBeLessThan(64 * MiB);
    }
  });

  it('answers the next request on a new connection after a refusal', async () => {
    await streamUntilAnswered(harness.bot.base, '/api/messages', json, 4 * MiB);
    expect((await harness.bot.operator('GET', '/api/tenants/big-t/account')).status).toBe(200);
  });
});
