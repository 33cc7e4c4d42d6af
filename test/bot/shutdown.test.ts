import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startBot } from './operatorApi/botProcess.js';
import { API_KEY, record } from './operatorApi/operatorApiServer.js';

/** SIGTERM and SIGINT on the started process (bot/index.ts): drain, final checkpoint, a deadline, a second signal. */

const post = (port: number, route: string, body: unknown) =>
  fetch(`http://127.0.0.1:${port}${route}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** A usage request whose body arrives in two parts: in flight until `finish` sends the rest. Resolves with the status line. */
function slowUsagePost(port: number, body: unknown) {
  const text = JSON.stringify(body);
  const half = Math.floor(text.length / 2);
  const socket = net.connect(port, '127.0.0.1');
  let answer = '';
  const answered = new Promise<string>((resolve) => {
    socket.on('data', (d) => (answer += d));
    socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''));
    socket.on('error', () => undefined);
  });
  const started = new Promise<void>((resolve) =>
    socket.on('connect', () => {
      socket.write(
        `POST /api/usage HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${API_KEY}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text.slice(0, half)}`,
        () => resolve(),
      );
    }),
  );
  return { started, answered, finish: () => socket.write(text.slice(half)) };
}

const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('stopping on a signal', () => {
  const folders: string[] = [];
  const children: ChildProcess[] = [];
  const folder = async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ledger-stop-'));
    folders.push(dir);
    return dir;
  };
  const start = async (dataDir: string, port: number, env: Record<string, string> = {}) => {
    const bot = await startBot(dataDir, port, { LOG_LEVEL: 'info', ...env });
    children.push(bot.child);
    return bot;
  };
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    for (const f of folders) await rm(f, { recursive: true, force: true });
  });

  it('under load: finishes what was accepted, refuses new connections, exits 0, and every acknowledged record is there after a restart', async () => {
    const dataDir = await folder();
    let port = await freePort();
    const bot = await start(dataDir, port, { SHUTDOWN_SECONDS: '20' });
    expect((await post(port, '/api/tenants/stop-t/funds', { amount: '10000.00', currency: 'USD', idempotencyKey: 'seed' })).status).toBe(200);

    const acknowledged: ReturnType<typeof record>[] = [];
    let refusedAfterSignal = 0;
    let signalled = false;
    const writer = async (w: number) => {
      for (let i = 0; ; i++) {
        const batch = Array.from({ length: 1 + ((w + i) % 5) }, () => record('stop-t', '0.01'));
        try {
          const response = await post(port, '/api/usage', { records: batch });
          if (response.status === 200) acknowledged.push(...batch);
        } catch (error) {
          if (!signalled) throw error;
          if (((error as Error).cause as { code?: string } | undefined)?.code === 'ECONNREFUSED') refusedAfterSignal++;
          return;
        }
      }
    };
    const slowRecord = record('stop-t', '0.01');
    const slow = slowUsagePost(port, { records: [slowRecord] });
    await slow.started;
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    await wait(300);
    const exited = exitOf(bot.child);
    const signalledAt = Date.now();
    bot.child.kill('SIGTERM');
    signalled = true;
    // New connections are refused while the slow request is still under way.
    await wait(300);
    const refused = await new Promise<string | undefined>((resolve) =>
      net
        .connect(port, '127.0.0.1')
        .on('connect', () => resolve('connected'))
        .on('error', (error: NodeJS.ErrnoException) => resolve(error.code)),
    );
    expect(refused).toBe('ECONNREFUSED');
    expect(bot.child.exitCode).toBe(null);
    slow.finish();
    expect(await slow.answered).toBe('HTTP/1.1 200 OK');
    acknowledged.push(slowRecord);
    expect(await exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    await Promise.all(writers);
    expect(refusedAfterSignal).toBeGreaterThan(0);
    expect(bot.output()).toMatch(/"msg":"stopped"/);

    port = await freePort();
    const again = await start(dataDir, port);
    const replay = await post(port, '/api/usage', { records: acknowledged });
    expect(await replay.json()).toMatchObject({ accepted: 0, duplicates: acknowledged.length });
    again.child.kill('SIGINT');
    expect(await exitOf(again.child)).toBe(0);
  }, 120_000);

  it('gives up at SHUTDOWN_SECONDS with exit code 1, naming the request still running', async () => {
    const port = await freePort();
    const bot = await start(await folder(), port, { SHUTDOWN_SECONDS: '1' });
    const stuck = slowUsagePost(port, { records: [record('stuck-t', '0.01')] });
    await stuck.started;
    await wait(100);
    bot.child.kill('SIGTERM');
    expect(await exitOf(bot.child)).toBe(1);
    const line = bot
      .output()
      .split('\n')
      .find((l) => l.includes('not stopped after 1 s'));
    expect(line).toMatch(/POST \/api\/usage/);
  }, 60_000);

  it('exits at once on a second signal', async () => {
    const port = await freePort();
    const bot = await start(await folder(), port, { SHUTDOWN_SECONDS: '60' });
    const stuck = slowUsagePost(port, { records: [record('stuck-t', '0.01')] });
    await stuck.started;
    await wait(100);
    bot.child.kill('SIGTERM');
    await wait(300);
    expect(bot.child.exitCode).toBe(null);
    bot.child.kill('SIGINT');
    expect(await exitOf(bot.child)).toBe(1);
    expect(bot.output()).toMatch(/second signal: exiting now/);
  }, 60_000);
});
