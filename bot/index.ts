import type { App } from './app.js';
import { loadConfig, type Config } from './config.js';
import { RequestsInFlight } from './http/requestTracking.js';
import { StartUp } from './http/startUp.js';
import { createLog } from './log.js';
import { createServer, listen } from './server.js';

/**
 * `npm start`: the bot and the operator API, until SIGINT or SIGTERM. The server listens first,
 * answering only the health checks (`StartUp`); the rest of the app is loaded (a chunk of its own)
 * and the ledger store opened after, and every route is served once that is done.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLog(config.log);
  const inFlight = new RequestsInFlight(log);
  const server = createServer(log, inFlight);
  const startUp = new StartUp();
  startUp.register(server);
  const port = await listen(server, config.port, config.host);
  log.info(
    { port },
    `Communications Credits bot starting on http://${config.host}:${port}: /healthz answers, /readyz and every other route 503 until the ledger is open`,
  );
  const { createApp } = await import('./app.js');
  const app = await createApp(config, { log, listening: { server, inFlight, startUp, port } });
  await app.start();
  // Tests and scripts wait for this line: it stays a sentence in the message.
  log.info({ port, ledger: app.storeDescription }, `Communications Credits bot listening on http://${config.host}:${port} (ledger: ${app.storeDescription})`);
  if (!config.bot.authenticated) {
    log.warn('No MicrosoftAppId: accepting unauthenticated Bot Framework traffic on loopback only.');
    log.info(`Chat with it: npm run playground, or the Bot Framework Emulator at http://127.0.0.1:${port}/api/messages`);
  }
  if (!config.operatorApiKey) log.warn('No OPERATOR_API_KEY: the operator API answers 503.');
  stopOnSignals(app, config);
}

/**
 * The first SIGINT or SIGTERM closes the app (no new connections; requests, turns and commits under
 * way finish; the store's final checkpoint) and exits 0; if that takes longer than SHUTDOWN_SECONDS,
 * it exits 1 naming what was still running. A second signal exits 1 at once.
 */
function stopOnSignals(app: App, config: Config): void {
  const { log } = app;
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) {
        log.warn({ signal, stillRunning: app.stillRunning() }, 'second signal: exiting now');
        process.exit(1);
      }
      stopping = true;
      log.info({ signal, deadlineSeconds: config.shutdownMs / 1000 }, 'stopping');
      setTimeout(() => {
        log.error(
          { stillRunning: app.stillRunning() },
          `not stopped after ${config.shutdownMs / 1000} s: exiting with ${app.stillRunning().join(', ')} still running`,
        );
        process.exit(1);
      }, config.shutdownMs);
      app.close().then(
        () => {
          log.info('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          log.error({ err: error }, 'could not stop cleanly');
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: Error) => {
  // Configuration and data-folder problems are the operator's to fix: say what, not where in the code.
  console.error(`Cannot start: ${error.message}`);
  process.exit(1);
});
