import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { isBuildCurrent } from '../../../scripts/build.mjs';
import { API_KEY } from './operatorApiServer.js';

const root = path.resolve(import.meta.dirname, '../../..');

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

const settings = (dataDir: string, port: number, env: Record<string, string>) => ({
  ...process.env,
  PORT: String(port),
  DATA_DIR: dataDir,
  OPERATOR_API_KEY: API_KEY,
  CHECKPOINT_SECONDS: '0.2',
  ...env,
});

/** The bot from source (bot/index.ts through tsx), a separate process on its own port and data folder (`env` adds settings). */
export function startBot(dataDir: string, port: number, env: Record<string, string> = {}): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bot/index.ts'], {
    cwd: root,
    env: settings(dataDir, port, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return untilListening(child);
}

/**
 * Builds dist/ (`npm run build`) unless it is current, so the `npm start`s that follow run it
 * instead of each building it at once. In a child process awaited, not spawnSync: this process
 * serves the fake Bot Connector, which a blocked event loop would leave unanswered.
 */
export async function buildForNpmStart(): Promise<void> {
  if (isBuildCurrent()) return;
  const build = spawn(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  build.stdout!.on('data', (d) => (output += d));
  build.stderr!.on('data', (d) => (output += d));
  const code = await new Promise((resolve) => build.on('exit', resolve));
  if (code !== 0 || !isBuildCurrent()) throw new Error(`npm run build failed (${code}): ${output}`);
}

export interface NpmStarted {
  /** The npm process. */
  npm: ChildProcess;
  /** The bot's own process (node scripts/start.mjs, which npm ran with exec): the one to kill -9. */
  pid: number;
  /** Settles when npm exited, with its exit code or the signal that ended it. */
  exited: Promise<number | NodeJS.Signals | null>;
  output: () => string;
}

/**
 * `npm start` as an operator runs it, in the project folder, on its own port and data folder
 * (`env` adds settings): the built bot (call `buildForNpmStart` first). Resolves once it listens,
 * with the bot's process id, read from its log line and checked to be npm's child running
 * scripts/start.mjs.
 */
export async function npmStart(dataDir: string, port: number, env: Record<string, string> = {}): Promise<NpmStarted> {
  // No look at the registry for a newer npm from a test.
  const npm = spawn('npm', ['start'], {
    cwd: root,
    env: { ...settings(dataDir, port, env), npm_config_update_notifier: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => npm.on('exit', (code, signal) => resolve(code ?? signal)));
  const { output } = await untilListening(npm).catch((error) => {
    npm.kill('SIGTERM');
    throw error;
  });
  const pid = Number(/"pid":(\d+)[^\n]*listening on/.exec(output())?.[1]);
  const parent = Number(/^PPid:\s*(\d+)$/m.exec(await readFile(`/proc/${pid}/status`, 'utf8').catch(() => ''))?.[1]);
  const command = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
  if (parent !== npm.pid || !command.includes('scripts/start.mjs')) {
    npm.kill('SIGTERM');
    throw new Error(
      `the process that logged "listening" (${pid}: ${command.join(' ')}, parent ${parent}) is not npm's child (${npm.pid}) running scripts/start.mjs`,
    );
  }
  return { npm, pid, exited, output };
}

/** Whether the process `pid` is still there (a zombie is not: it runs nothing and holds no port). */
export async function isRunning(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  return stat !== null && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}

function untilListening(child: ChildProcess): Promise<{ child: ChildProcess; output: () => string }> {
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot did not start: ${output}`)), 60_000);
    const exited = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`bot exited with ${code}: ${output}`));
    };
    const listening = () => {
      if (!output.includes('listening on')) return;
      clearTimeout(timer);
      child.off('exit', exited);
      child.stdout!.off('data', listening);
      resolve({ child, output: () => output });
    };
    child.on('exit', exited);
    child.stdout!.on('data', listening);
  });
}
