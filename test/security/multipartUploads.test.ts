import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR_KEY, startBot, type BotUnderTest } from '../e2e/support/botHarness.js';
import { startFakeConnector, type FakeConnector } from '../e2e/support/fakeConnector.js';
import { rawRequest, streamUntilAnswered } from './support/rawRequest.js';

/**
 * Threat: a multipart upload (`curl -F f=@big`) used to be parsed into `upload_*` files in the
 * system temp folder before any route's authentication, outside the body limit and never deleted;
 * a full disk then crashed the process. Now nothing parses forms or files: such a body is 415.
 */

const BOUNDARY = '----credits-test-boundary';
const multipart = (fileBytes: number) =>
  Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="f"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    Buffer.alloc(fileBytes, 0x41),
    Buffer.from(`\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="records"\r\n\r\n[]\r\n--${BOUNDARY}--\r\n`),
  ]);

describe('multipart uploads', () => {
  const originalTmp = process.env.TMPDIR;
  let tmp: string;
  let connector: FakeConnector;
  let bot: BotUnderTest;
  beforeAll(async () => {
    // A temp folder of our own, so any upload file the server writes is ours to see (os.tmpdir() reads TMPDIR).
    tmp = await mkdtemp(path.join(os.tmpdir(), 'uploads-'));
    process.env.TMPDIR = tmp;
    connector = await startFakeConnector();
    bot = await startBot(connector);
  });
  afterAll(async () => {
    await bot?.stop();
    await connector?.close();
    if (originalTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = originalTmp;
    await rm(tmp, { recursive: true, force: true });
  });

  const uploads = async () => (await readdir(os.tmpdir())).filter((name) => name.startsWith('upload_'));

  it('writes the temp files under the test folder (the check below can see them)', () => {
    expect(os.tmpdir()).toBe(tmp);
  });

  it.each([
    ['/api/messages', {}],
    ['/api/usage', { authorization: `Bearer ${OPERATOR_KEY}` }],
    ['/api/tenants/t1/funds', { authorization: `Bearer ${OPERATOR_KEY}` }],
  ])('refuses a multipart upload to %s with 415 and writes no temp file', async (route, auth) => {
    const body = multipart(2 * 1024 * 1024);
    const response = await rawRequest(
      bot.base,
      'POST',
      route,
      { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': body.length, ...auth },
      body,
    );
    expect(response.status).toBe(415);
    expect(response.json).toMatchObject({ error: 'unsupported-media-type', reference: response.headers['x-request-id'] });
    expect(await uploads()).toEqual([]);
  });

  it('refuses a chunked multipart upload of 20 MiB without reading it to the end', async () => {
    const response = await streamUntilAnswered(bot.base, '/api/messages', { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, 20 * 1024 * 1024);
    expect(response.status).toBe(415);
    expect(response.bytesWritten).toBeLessThan(20 * 1024 * 1024);
    expect(await uploads()).toEqual([]);
  });

  it('refuses a multipart upload without credentials before looking at it', async () => {
    const body = multipart(1024 * 1024);
    const response = await rawRequest(
      bot.base,
      'POST',
      '/api/usage',
      { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': body.length },
      body,
    );
    expect(response.status).toBe(401);
    expect(await uploads()).toEqual([]);
    expect(connector.calls).toHaveLength(0);
  });
});
