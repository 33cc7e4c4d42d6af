import path from 'node:path';
import type { Server } from 'restify';
import { openLowdbLedgerStore } from '../data/lowdbLedgerStore.js';
import { openJsonDocument } from '../data/jsonDocument.js';
import { loadRateTable } from '../data/rates/loadRateTable.js';
import { LedgerService } from '../services/ledgerService.js';
import { emptySandboxState, SandboxGateway } from '../services/payments/sandboxGateway.js';
import { systemClock, type Clock, type LedgerStore } from '../services/ports.js';
import { pricer } from '../services/rates.js';
import type { Config } from './config.js';
import { registerOperatorApi } from './operatorApi/routes.js';
import { createServer, listen } from './server.js';

export interface App {
  server: Server;
  ledger: LedgerService;
  store: LedgerStore;
  gateway: SandboxGateway;
  /** The port it listens on (after `start`). */
  port: number;
  start(): Promise<number>;
  close(): Promise<void>;
}

/** The composition root: builds every part from the configuration and wires them together. */
export async function createApp(config: Config, options: { clock?: Clock } = {}): Promise<App> {
  const clock = options.clock ?? systemClock;
  const store = await openLowdbLedgerStore({ dir: config.dataDir, checkpointIntervalMs: config.checkpointMs });
  const gateway = new SandboxGateway(await openJsonDocument(path.join(config.dataDir, 'sandbox-gateway.json'), emptySandboxState()), clock);
  const rates = await loadRateTable(config.ratesFile);
  const ledger = new LedgerService({
    store,
    gateway,
    clock,
    price: pricer(rates),
    policy: { defaultCurrency: config.defaultCurrency, ...config.ledger },
  });
  const server = createServer();
  registerOperatorApi(server, { ledger, apiKey: config.operatorApiKey });

  let sweepTimer: NodeJS.Timeout | undefined;
  const app: App = {
    server,
    ledger,
    store,
    gateway,
    port: 0,
    async start() {
      await ledger.resumeRecharges();
      app.port = await listen(server, config.port, config.host);
      sweepTimer = setInterval(() => void ledger.sweep().catch((e) => console.error('sweep failed', e)), config.sweepMinutes * 60_000);
      sweepTimer.unref();
      return app.port;
    },
    async close() {
      clearInterval(sweepTimer);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await ledger.idle();
      await store.close();
    },
  };
  return app;
}
