import { createApp, type App } from './app.js';
import { loadConfig, type Config } from './config.js';

/** `npm start`: the bot and the operator API, until SIGINT or SIGTERM. */
async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  const port = await app.start();
  const { log } = app;
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
