import type { ChildProcess } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { openLowdbLedgerStore } from '../../data/lowdbLedgerStore.js';
import { usageKeyGenerations } from '../../data/usageKeyFile.js';
import { collectOutput, killHard, startScript, waitForLine } from './childProcess.js';
import { expectConsistent } from './ledgerStoreContract.js';
import { wholeJournal } from './ledgerFixtures.js';
import { useTempFolders } from './tempFolders.js';
import { mulberry32 } from './seededRandom.js';

const KILLS = 52;
const KILLS_PER_CHECK = 8;

/** What the children reported as acknowledged, across all of them. */
class Acknowledged {
  readonly funds = new Map<string, { tenant: string; amount: number }>();
  readonly usage: Array<{ tenant: string; prefix: string; count: number }> = [];
  readonly alerts = new Set<string>();
  readonly acking = new Set<string>();
  readonly acked = new Set<string>();

  /** Reads complete lines only: a line cut by the kill was not printed. */
  read(output: string): void {
    for (const line of output.slice(0, output.lastIndexOf('\n') + 1).split('\n')) {
      const [what, a = '', b = '', c = ''] = line.split(' ');
      if (what === 'funds') this.funds.set(b, { tenant: a, amount: Number(c) });
      else if (what === 'usage') this.usage.push({ tenant: a, prefix: b, count: Number(c) });
      else if (what === 'alert') this.alerts.add(a);
      else if (what === 'acking') this.acking.add(a);
      else if (what === 'acked') this.acked.add(a);
    }
  }
}

class Child {
  readonly process: ChildProcess;
  readonly output: Promise<string>;

  constructor(dir: string, seed: number, checkpointMs: number) {
    this.process = startScript('./crashChild.ts', [dir, String(seed), String(checkpointMs)]);
    this.output = collectOutput(this.process);
  }

  go(): void {
    this.process.stdin!.write('go\n');
  }
}

describe('kill -9 at random moments', () => {
  const tempFolder = useTempFolders('ledger-crash-');

  it(`keeps every acknowledged change and the ledger invariant through ${KILLS} kills`, { timeout: 180_000 }, async () => {
    const dir = await tempFolder();
    const baseSeed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
    const random = mulberry32(baseSeed);
    const acknowledged = new Acknowledged();
    let killsWhileWriting = 0;
    // Children load (which takes most of their life) while another writes, and open the folder only when told to.
    const start = (seed: number) => new Child(dir, seed, 20 + Math.floor(random() * 200));
    const loading = [start(baseSeed), start(baseSeed + 1)];

    for (let kill = 1; kill <= KILLS; kill++) {
      const child = loading.shift()!;
      child.go();
      loading.push(start(baseSeed + kill + 1));
      if (random() < 0.15) {
        await sleep(Math.floor(random() * 40)); // during start-up: recovery, lock take-over
      } else {
        await waitForLine(child.process, /^ready$/);
        // Some live long enough to complete checkpoints (usage keys then live only in key files, past the marker).
        await sleep(random() < 0.2 ? 300 + Math.floor(random() * 600) : 5 + Math.floor(random() * 150));
        killsWhileWriting++;
      }
      await killHard(child.process);
      acknowledged.read(await child.output);

      if (kill % KILLS_PER_CHECK === 0 || kill === KILLS) await expectEveryAcknowledgedChange(dir, acknowledged, baseSeed);
    }
    await Promise.all(loading.map((child) => killHard(child.process)));
    expect(killsWhileWriting).toBeGreaterThan(KILLS / 2);
    expect(acknowledged.funds.size + acknowledged.usage.length).toBeGreaterThan(KILLS * 10);
    expect(acknowledged.acked.size).toBeGreaterThan(0);
    // Prunes made checkpoints write new generations of usage key files, not only appends.
    const generations = await Promise.all((await readdir(path.join(dir, 'journal'))).map((name) => usageKeyGenerations(path.join(dir, 'journal', name))));
    expect(Math.max(...generations.flat())).toBeGreaterThan(0);
  });
});

async function expectEveryAcknowledgedChange(dir: string, acknowledged: Acknowledged, seed: number): Promise<void> {
  const context = `(seed ${seed})`;
  const store = await openLowdbLedgerStore({ dir, checkpointIntervalMs: 600_000 });
  try {
    const keysByTenant = new Map<string, Map<string, number>>();
    const usageKeysForgotten: string[] = [];
    for (const tenant of await store.tenantIds()) {
      const account = (await store.account(tenant))!;
      const journal = await wholeJournal(store, tenant);
      // Invariant, entries 1..n without gaps, balance = Σ lots remaining − debt = Σ journal amounts.
      expectConsistent(account, journal);
      const keys = new Map<string, number>();
      let recentUsage = 0;
      for (const entry of journal) {
        if (entry.idempotencyKey === null) continue;
        expect(keys.has(entry.idempotencyKey), `key ${entry.idempotencyKey} journaled twice ${context}`).toBe(false);
        keys.set(entry.idempotencyKey, entry.amountMinor);
        // Every usage key of a recent call is still known (from the key file or the WAL), so a replay is a duplicate.
        if (entry.kind === 'usage' && entry.idempotencyKey.startsWith('u-')) {
          recentUsage++;
          if (!account.keys.hasUsage(entry.idempotencyKey)) usageKeysForgotten.push(`${tenant} ${entry.idempotencyKey}`);
        }
      }
      expect(account.keys.usageCount, `usage keys of ${tenant} ${context}`).toBeGreaterThanOrEqual(recentUsage);
      keysByTenant.set(tenant, keys);
    }
    expect(usageKeysForgotten.slice(0, 10), `usage keys forgotten ${context}`).toEqual([]);

    const missing: string[] = [];
    for (const [key, { tenant, amount }] of acknowledged.funds) {
      if (keysByTenant.get(tenant)?.get(key) !== amount) missing.push(key);
    }
    for (const { tenant, prefix, count } of acknowledged.usage) {
      for (let i = 0; i < count; i++) if (!keysByTenant.get(tenant)?.has(`${prefix}-${i}`)) missing.push(`${prefix}-${i}`);
    }
    expect(missing, `acknowledged changes lost ${context}`).toEqual([]);

    const pending = new Set((await store.pendingAlerts()).map((s) => s.id));
    const wronglyGone = [...acknowledged.alerts].filter((id) => !acknowledged.acking.has(id) && !pending.has(id));
    const wronglyBack = [...acknowledged.acked].filter((id) => pending.has(id));
    expect({ wronglyGone, wronglyBack }, `alert outbox ${context}`).toEqual({ wronglyGone: [], wronglyBack: [] });
  } finally {
    await store.close();
  }
}
