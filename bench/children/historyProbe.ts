/**
 * A fresh process on a built ledger folder: how long the store takes to open and how much memory
 * the process then holds, and what the tenant's first change (which reads its usage keys) costs; then, on request, bursts of changes through LedgerService as the
 * operator API makes them (one usage record each, durable before the next), with one checkpoint
 * started in the background half way through each burst (the store runs one every 2 s); and the
 * cost of a balance read and of reading the latest 20 journal entries.
 */
import { loadConfig } from '../../bot/config.js';
import { openLowdbLedgerStore, type LowdbLedgerStore } from '../../data/lowdbLedgerStore.js';
import { LedgerService } from '../../services/ledgerService.js';
import { SandboxGateway } from '../../services/payments/sandboxGateway.js';
import { emptySandboxState, JsonSandboxRecords } from '../../data/jsonSandboxRecords.js';
import { systemClock } from '../../services/ports.js';
import { processStats, serveParent } from '../lib/child.js';
import { memoryDocument } from '../lib/memoryDocument.js';
import { usageRecord } from '../lib/records.js';
import { summarise } from '../lib/stats.js';
import { samplePricer } from '../peers/backend.js';

const MB = 2 ** 20;
const [dir] = process.argv.slice(2) as [string];
const processStart = performance.timeOrigin;
let store: LowdbLedgerStore | null = null;
let ledger: LedgerService | null = null;
let sequence = 0;

const megabytes = () => Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, Math.round(v / MB)]));

serveParent(
  async (message) => {
    switch (message.type) {
      case 'open': {
        const rssBefore = process.memoryUsage().rss / MB;
        const t0 = performance.now();
        // Checkpoints are run by `burst` itself, so each burst pays for exactly one (and an idle probe
        // never checkpoints while another one is measured).
        store = await openLowdbLedgerStore({ dir, checkpointIntervalMs: 24 * 3_600_000 });
        const openMs = performance.now() - t0;
        const rssAfterOpen = process.memoryUsage().rss / MB;
        const afterOpen = megabytes();
        globalThis.gc?.();
        const rssAfterGc = process.memoryUsage().rss / MB;
        // The tenant's usage keys stay on disk until its first change: that change pays for reading them.
        const t1 = performance.now();
        await store.change(message.tenantId as string, () => ({ result: null }));
        const firstChangeMs = performance.now() - t1;
        return {
          openMs,
          sinceProcessStartMs: Date.now() - processStart,
          rssBeforeOpenMB: rssBefore,
          rssAfterOpenMB: rssAfterOpen,
          rssAfterGcMB: rssAfterGc,
          memoryAfterOpenMB: afterOpen,
          firstChangeMs,
          rssAfterFirstChangeMB: process.memoryUsage().rss / MB,
          recovery: store.recovery,
        };
      }
      case 'burst': {
        const tenantId = message.tenantId as string;
        if (!ledger) {
          const config = loadConfig({ DATA_DIR: dir });
          ledger = new LedgerService({
            store: store!,
            gateway: new SandboxGateway(new JsonSandboxRecords(memoryDocument(emptySandboxState())), systemClock),
            clock: systemClock,
            price: await samplePricer(),
            policy: { defaultCurrency: config.defaultCurrency, ...config.ledger },
          });
        }
        const now = Date.now();
        const changes: number[] = [];
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        const ms = message.ms as number;
        let checkpoint: Promise<number> | null = null;
        while (performance.now() - t0 < ms) {
          // Half way through, the checkpoint the store runs every 2 s starts, in the background as in
          // production: what it blocks of the event loop lands on the changes around it.
          if (!checkpoint && performance.now() - t0 >= ms / 2) {
            const started = performance.now();
            checkpoint = store!.checkpoint().then(() => performance.now() - started);
          }
          const record = usageRecord(`probe-${process.pid}-${++sequence}`, tenantId, sequence, now);
          const t = performance.now();
          const outcome = await ledger.ingestUsage([record]);
          changes.push(performance.now() - t);
          if (outcome.accepted !== 1) throw new Error(`probe change not accepted: ${JSON.stringify(outcome)}`);
        }
        const checkpointMs = await (checkpoint ?? Promise.resolve(0));
        const cpu = process.cpuUsage(cpu0);
        return { changes, checkpointMs, cpuMs: (cpu.user + cpu.system) / 1000 };
      }
      case 'reads': {
        const tenantId = message.tenantId as string;
        // A read takes well under a microsecond: timed in rounds of 10,000, each round's mean one sample.
        const reads: number[] = [];
        let sink = 0;
        for (let round = 0; round < 30; round++) {
          const t = performance.now();
          for (let i = 0; i < 10_000; i++) sink += (await ledger!.account(tenantId))!.balanceMinor;
          reads.push((performance.now() - t) / 10_000);
        }
        const page: number[] = [];
        const count = (await ledger!.account(tenantId))!.entryCount;
        for (let i = 0; i < 20; i++) {
          const t = performance.now();
          sink += (await ledger!.journal(tenantId, Math.max(0, count - 20), 20)).length;
          page.push(performance.now() - t);
        }
        return { read: summarise(reads), journalPage: summarise(page), sink, ...processStats() };
      }
      default:
        throw new Error(`unknown request ${message.type}`);
    }
  },
  async () => {
    await store?.close();
  },
);
