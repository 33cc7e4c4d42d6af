/**
 * The bot's real composition root in its own process, so the load generator does not share its
 * event loop. Run by bench/run.ts with DATA_DIR and OPERATOR_API_KEY in argv.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { MessageFactory } from 'botbuilder';
import type { Server } from 'restify';
import { createApp, type App } from '../../bot/app.js';
import { loadConfig } from '../../bot/config.js';
import { registerMessagesEndpoint } from '../../bot/endpoint/messagesEndpoint.js';
import { createLog } from '../../bot/log.js';
import { createServer, listen } from '../../bot/server.js';
import type { LowdbLedgerStore } from '../../data/lowdbLedgerStore.js';
import { processStats, serveParent } from '../lib/child.js';
import { summarise } from '../lib/stats.js';
import { usageRecord } from '../lib/records.js';

const [dataDir, apiKey] = process.argv.slice(2);
let app: App | null = null;
let echoServer: Server | null = null;
let loopDelay: IntervalHistogram | null = null;

serveParent(
  async (message) => {
    switch (message.type) {
      case 'start': {
        const t0 = performance.now();
        app = await createApp(loadConfig({ PORT: '0', DATA_DIR: dataDir!, OPERATOR_API_KEY: apiKey!, ...(message.env as Record<string, string> | undefined) }));
        const createMs = performance.now() - t0;
        const port = await app.start();
        const startMs = performance.now() - t0;
        let echoPort: number | null = null;
        if (message.echo) {
          // The floor for bot turns: the same endpoint code, adapter, restify setup and process,
          // with a bot that only echoes the text back.
          const log = createLog({ level: 'warn', production: true });
          echoServer = createServer(log);
          registerMessagesEndpoint(echoServer, {
            adapter: app.adapter,
            logic: async (context) => {
              await context.sendActivity(MessageFactory.text(`echo: ${context.activity.text ?? ''}`));
            },
            appId: '',
            authenticated: false,
            log,
          });
          echoPort = await listen(echoServer, 0, '127.0.0.1');
        }
        return { port, echoPort, createMs, startMs, ...processStats() };
      }
      case 'stats': {
        const store = app?.store as LowdbLedgerStore | undefined;
        return { ...processStats(), store: store?.stats ?? null };
      }
      case 'usageKeys': {
        // Usage records taken so far, over every tenant (each one's key is kept).
        const store = app!.store as LowdbLedgerStore;
        let usageKeys = 0;
        for (const tenantId of await store.tenantIds()) usageKeys += (await store.account(tenantId))?.keys.usageCount ?? 0;
        return { usageKeys };
      }
      case 'gc': {
        globalThis.gc?.();
        return processStats();
      }
      case 'checkpoint': {
        // The embedded store files its journal now; the PostgreSQL store has nothing to file.
        const store = app!.store as Partial<LowdbLedgerStore>;
        await store.checkpoint?.();
        return null;
      }
      case 'loopDelayStart':
        // How long the event loop was kept from turning, at 1 ms resolution, until loopDelayStop.
        loopDelay = monitorEventLoopDelay({ resolution: 1 });
        loopDelay.enable();
        return null;
      case 'loopDelayStop': {
        loopDelay?.disable();
        const figures = loopDelay ? { maxMs: loopDelay.max / 1e6, p99Ms: loopDelay.percentile(99) / 1e6, meanMs: loopDelay.mean / 1e6 } : null;
        loopDelay = null;
        return figures;
      }
      case 'probe':
        return probe(message.tenantId as string, message.count as number, message.maxMs as number);
      default:
        throw new Error(`unknown request ${message.type}`);
    }
  },
  async () => {
    if (echoServer) await new Promise<void>((resolve) => echoServer!.close(() => resolve()));
    await app?.close();
  },
);

/**
 * The ledger-level cost of one change and one balance read for a tenant, in this process: `count`
 * sequential single-record usage changes (each durable before the next), then `count` reads.
 */
async function probe(tenantId: string, count: number, maxMs: number) {
  const ledger = app!.ledger;
  const changes: number[] = [];
  const reads: number[] = [];
  const now = Date.now();
  const deadline = performance.now() + maxMs;
  for (let i = 0; i < count && performance.now() < deadline; i++) {
    const record = usageRecord(`probe-${process.pid}-${now}-${i}`, tenantId, i, now);
    const t = performance.now();
    const outcome = await ledger.ingestUsage([record]);
    changes.push(performance.now() - t);
    if (outcome.accepted !== 1) throw new Error(`probe change not accepted: ${JSON.stringify(outcome)}`);
  }
  let sink = 0;
  for (let i = 0; i < count && performance.now() < deadline + maxMs; i++) {
    const t = performance.now();
    const account = await ledger.account(tenantId);
    sink += account!.balanceMinor;
    reads.push(performance.now() - t);
  }
  return { change: summarise(changes), read: summarise(reads), sink };
}
