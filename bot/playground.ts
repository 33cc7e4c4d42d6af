import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { loadConfig } from './config.js';

/**
 * `npm run playground`: the Microsoft 365 Agents Playground (a local Teams-like web client) pointed
 * at this bot's `/api/messages`, Teams channel, telemetry off. Run `npm start` first. Extra
 * arguments go to the playground (`npm run playground -- --port 56151`).
 */
const config = loadConfig();
const cli = createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/cli.js');
const endpoint = `http://127.0.0.1:${config.port || 3978}/api/messages`;
const args = [cli, '--app-endpoint', endpoint, '--channel-id', 'msteams', '--disable-telemetry', ...process.argv.slice(2)];
console.log(`Agents Playground → ${endpoint}`);
const child = spawn(process.execPath, args, {
  stdio: 'inherit',
  env: { ...process.env, APPLICATION_INSIGHTS_NO_STATSBEAT: '1' },
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
