import { describe, expect, it } from 'vitest';
import { OPERATOR_KEY, useBotUnderTest } from '../e2e/support/botHarness.js';
import { rawRequest } from './support/rawRequest.js';

/**
 * Threat: a body in another format reaches a parser it was never meant for (forms, files, other
 * charsets). JSON routes take `application/json` (optionally `charset=utf-8`) and nothing else.
 */

const WRONG_TYPES = [
  null,
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'text/json',
  'application/jsonx',
  'application/json-patch+json',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/json; foo=bar',
];

describe('content types of JSON routes', () => {
  const harness = useBotUnderTest();

  const operator = { authorization: `Bearer ${OPERATOR_KEY}` };
  const message = () => ({
    type: 'message',
    text: 'balance',
    channelId: 'emulator',
    serviceUrl: harness.connector.serviceUrl,
    conversation: { id: 'emu-ct' },
    from: { id: 'user-ct' },
    recipient: { id: 'bot' },
  });
  const routes = () =>
    [
      ['/api/messages', {}, JSON.stringify(message())],
      ['/api/usage', operator, JSON.stringify({ records: [] })],
      ['/api/tenants/ct-t/funds', operator, JSON.stringify({ amount: '25.00', currency: 'USD', idempotencyKey: 'ct-1' })],
    ] as const;

  it('refuses every other type with 415 and a reference, and acts on nothing', async () => {
    for (const [route, auth, body] of routes()) {
      for (const type of WRONG_TYPES) {
        const response = await rawRequest(harness.bot.base, 'POST', route, { ...(type && { 'content-type': type }), ...auth }, body);
        expect(response.status, `${route} ${type}`).toBe(415);
        expect(response.json).toMatchObject({ error: 'unsupported-media-type', reference: response.headers['x-request-id'] });
      }
    }
    expect(harness.connector.calls).toHaveLength(0);
    expect((await harness.bot.operator('GET', '/api/tenants/ct-t/account')).status).toBe(404);
  });

  it('accepts application/json with or without a UTF-8 charset, in any case', async () => {
    for (const type of ['application/json', 'Application/JSON; charset=UTF-8', 'application/json;charset="utf-8"']) {
      const [route, auth, body] = routes()[1];
      expect((await rawRequest(harness.bot.base, 'POST', route, { 'content-type': type, ...auth }, body)).status, type).toBe(200);
    }
    const [route, auth, body] = routes()[0];
    expect((await rawRequest(harness.bot.base, 'POST', route, { 'content-type': 'application/json; charset=utf-8', ...auth }, body)).status).toBe(200);
  });
});
