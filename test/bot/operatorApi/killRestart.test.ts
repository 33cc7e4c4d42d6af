import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startBot } from './botProcess.js';
import { API_KEY, record } from './operatorApiServer.js';

const post = (port: number, route: string, body: unknown) =>
  fetch(`http://127.0.0.1:${port}${route}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const get = async (port: number, route: string) =>
  (await fetch(`http://127.0.0.1:${port}${route}`, { headers: { authorization: `Bearer ${API_KEY}` } })).json() as Promise<any>;

describe('kill -9 during ingestion, then restart', () => {
  const folders: string[] = [];
  afterAll(async () => {
    for (const f of folders) await rm(f, { recursive: true, force: true });
  });

  it('keeps every acknowledged record and every figure exact', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ledger-kill-'));
    folders.push(dataDir);
    const tenants = ['kill-a', 'kill-b', 'kill-c'];
    const sent: ReturnType<typeof record>[] = [];
    const acknowledged = new Set<string>();
    let port = await freePort();
    let bot = await startBot(dataDir, port);
    for (const t of tenants)
      expect((await post(port, `/api/tenants/${t}/funds`, { amount: '10000.00', currency: 'USD', idempotencyKey: `seed-${t}` })).status).toBe(200);

    for (let cycle = 0; cycle < 4; cycle++) {
      // Eight writers send batches until the process is killed under them.
      let alive = true;
      const writer = async (w: number) => {
        while (alive) {
          const batch = Array.from({ length: 1 + ((w * 7) % 40) }, (_, i) => record(tenants[(w + i) % 3]!, `0.${String((w + i) % 100).padStart(2, '0')}`));
          sent.push(...batch);
          try {
            const response = await post(port, '/api/usage', { records: batch });
            if (response.status === 200) {
              const body = (await response.json()) as { accepted: number; duplicates: number };
              expect(body.accepted + body.duplicates).toBe(batch.length);
              for (const r of batch) acknowledged.add(r.id);
            }
          } catch {
            return; // the connection died with the process
          }
        }
      };
      const writers = Array.from({ length: 8 }, (_, w) => writer(w));
      await new Promise((r) => setTimeout(r, 150 + cycle * 120));
      const exited = new Promise((r) => bot.child.once('exit', r));
      bot.child.kill('SIGKILL');
      alive = false;
      await exited;
      await Promise.all(writers);

      port = await freePort();
      bot = await startBot(dataDir, port);
      for (const t of tenants) {
        const account = await get(port, `/api/tenants/${t}/account`);
        const journal: Array<{ kind: string; amountMinor: number; idempotencyKey: string | null; balanceAfterMinor: number }> = [];
        for (let after = 0; ; ) {
          const page = await get(port, `/api/tenants/${t}/journal?after=${after}&limit=1000`);
          journal.push(...page.entries);
          if (!page.next) break;
          after = Number(page.next);
        }
        expect(account.balanceMinor).toBe(journal.reduce((s, e) => s + e.amountMinor, 0));
        const lots = account.lots.reduce((s: number, l: { remainingMinor: number }) => s + l.remainingMinor, 0);
        expect(lots).toBe(Math.max(account.balanceMinor, 0));
        const charged = new Set(journal.filter((e) => e.kind === 'usage').map((e) => e.idempotencyKey));
        for (const r of sent.filter((r) => r.tenantId === t && acknowledged.has(r.id))) expect(charged.has(r.id), r.id).toBe(true);
      }
    }

    // Sending everything again charges exactly the records never charged: the figures come out exact.
    for (let i = 0; i < sent.length; i += 5000) expect((await post(port, '/api/usage', { records: sent.slice(i, i + 5000) })).status).toBe(200);
    for (const t of tenants) {
      const expected = 1_000_000 - sent.filter((r) => r.tenantId === t).reduce((s, r) => s + Number(String(r.charge).replace('.', '')), 0);
      expect((await get(port, `/api/tenants/${t}/account`)).balanceMinor).toBe(expected);
    }
    expect(acknowledged.size).toBeGreaterThan(100);
    const exited = new Promise((r) => bot.child.once('exit', r));
    bot.child.kill('SIGTERM');
    await exited;
  }, 240_000);

  it('refuses a second process on the same data folder with a clear message', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ledger-lock-'));
    folders.push(dataDir);
    const first = await startBot(dataDir, await freePort());
    try {
      const error = await startBot(dataDir, await freePort()).then(
        () => null,
        (e: Error) => e.message,
      );
      expect(error).toMatch(/Cannot start: .*in use|Cannot start: .*locked|Cannot start: .*another process/i);
      expect(error).toContain(String(first.child.pid));
    } finally {
      const exited = new Promise((r) => first.child.once('exit', r));
      first.child.kill('SIGTERM');
      await exited;
    }
  });
});
