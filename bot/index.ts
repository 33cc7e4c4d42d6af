import { createApp } from './app.js';
import { loadConfig } from './config.js';

/** `npm start`: the bot and the operator API, until SIGINT or SIGTERM. */
async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  const port = await app.start();
  console.log(`Communications Credits bot listening on http://${config.host}:${port} (ledger: ${app.storeDescription})`);
  if (!config.bot.authenticated) {
    console.warn('No MicrosoftAppId: accepting unauthenticated Bot Framework traffic on loopback only.');
    console.log(`Chat with it: npm run playground, or the Bot Framework Emulator at http://127.0.0.1:${port}/api/messages`);
  }
  if (!config.operatorApiKey) console.warn('No OPERATOR_API_KEY: the operator API answers 503.');

  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      app.close().then(
        () => process.exit(0),
        (error) => {
          console.error(error);
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
