import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, OPERATOR_KEY, APP_CREDENTIALS_ENV, useBotUnderTest, type BotUnderTest } from '../e2e/support/botHarness.js';
import { startFakeConnector, type FakeConnector } from '../e2e/support/fakeConnector.js';
import { rawRequest } from './support/rawRequest.js';

/**
 * Threat: a compressed body is small on the wire and huge once inflated (a "zip bomb"), and it used
 * to be inflated without limit before any route's authentication. Now no body is ever inflated:
 * a Content-Encoding other than identity is refused (415) and a caller without credentials is
 * refused before its body is looked at.
 */

const INFLATED_BYTES = 64 * 1024 * 1024;

/** A JSON body `{"text":"aaaa…"}` of 64 MiB, compressed without ever holding it whole. */
async function bomb(encoding: 'gzip' | 'deflate' | 'br'): Promise<Buffer> {
  const compressor =
    encoding === 'gzip' ? zlib.createGzip({ level: 9 }) : encoding === 'deflate' ? zlib.createDeflate({ level: 9 }) : zlib.createBrotliCompress();
  const out: Buffer[] = [];
  compressor.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((resolve) => compressor.on('end', resolve));
  const filler = Buffer.alloc(1024 * 1024, 'a');
  compressor.write('{"text":"');
  for (let written = 0; written < INFLATED_BYTES; written += filler.length) {
    if (!compressor.write(filler)) await new Promise((resolve) => compressor.once('drain', resolve));
  }
  compressor.end('"}');
  await done;
  return Buffer.concat(out);
}

const rssMiB = () => process.memoryUsage().rss / 1024 / 1024;

describe('compressed bodies', () => {
  let connector: FakeConnector;
  let local: BotUnderTest;
  let bombs: Record<'gzip' | 'deflate' | 'br', Buffer>;
  beforeAll(async () => {
    connector = await startFakeConnector();
    local = await startBot(connector);
    bombs = { gzip: await bomb('gzip'), deflate: await bomb('deflate'), br: await bomb('br') };
  });
  afterAll(async () => {
    await local?.stop();
    await connector?.close();
  });

  it('builds bombs that are small on the wire and big inflated', async () => {
    for (const body of Object.values(bombs)) expect(body.length).toBeLessThan(200 * 1024);
    expect((await promisify(zlib.gunzip)(bombs.gzip)).length).toBeGreaterThan(INFLATED_BYTES);
  });

  it.each(['gzip', 'deflate', 'br'] as const)('refuses a %s bomb on every JSON route without inflating it', async (encoding) => {
    const before = rssMiB();
    const headers = (extra: Record<string, string> = {}) => ({ 'content-type': 'application/json', 'content-encoding': encoding, ...extra });
    const operator = { authorization: `Bearer ${OPERATOR_KEY}` };
    const answers = [
      // Without the operator key: refused before the body is read.
      [await rawRequest(local.base, 'POST', '/api/usage', headers(), bombs[encoding]), 401],
      [await rawRequest(local.base, 'POST', '/api/tenants/t1/funds', headers(), bombs[encoding]), 401],
      // With it, and on the loopback bot endpoint: refused for the encoding.
      [await rawRequest(local.base, 'POST', '/api/usage', headers(operator), bombs[encoding]), 415],
      [await rawRequest(local.base, 'POST', '/api/tenants/t1/funds', headers(operator), bombs[encoding]), 415],
      [await rawRequest(local.base, 'POST', '/api/messages', headers(), bombs[encoding]), 415],
    ] as const;
    for (const [response, status] of answers) {
      expect(response.status).toBe(status);
      expect(response.json.reference).toBe(response.headers['x-request-id']);
    }
    expect(answers[2]![0].json.error).toBe('unsupported-encoding');
    // Inflating even one of these would add well over 64 MiB.
    expect(rssMiB() - before).toBeLessThan(48);
    expect(connector.calls).toHaveLength(0);
    expect((await local.operator('GET', '/api/tenants/t1/account')).status).toBe(404);
  });

  it('refuses a compressed body even when it is small and valid', async () => {
    const body = zlib.gzipSync(JSON.stringify({ records: [] }));
    const response = await rawRequest(
      local.base,
      'POST',
      '/api/usage',
      { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${OPERATOR_KEY}` },
      body,
    );
    expect(response.status).toBe(415);
    const plain = await rawRequest(
      local.base,
      'POST',
      '/api/usage',
      { 'content-type': 'application/json', 'content-encoding': 'identity', authorization: `Bearer ${OPERATOR_KEY}` },
      JSON.stringify({ records: [] }),
    );
    expect(plain.status).toBe(200);
  });
});

describe('compressed bodies with app credentials (the internet-facing setup)', () => {
  const harness = useBotUnderTest(APP_CREDENTIALS_ENV);

  it('refuses a bomb without a token before reading it (401), with little memory', async () => {
    const body = await bomb('gzip');
    const before = rssMiB();
    for (let i = 0; i < 3; i++) {
      const response = await rawRequest(harness.bot.base, 'POST', '/api/messages', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body);
      expect(response.status).toBe(401);
    }
    expect(rssMiB() - before).toBeLessThan(48);
    expect(harness.connector.calls).toHaveLength(0);
  });
});
