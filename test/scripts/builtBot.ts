import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { waitFor } from '../e2e/support/fakeConnector.js';

/**
 * The bot built into `outdir` (scripts/build.mjs), started as `npm start` runs it: a child process
 * with `dataDir` as data folder and working directory (so no developer's .env is read), only
 * PATH, the given settings and NODE_EXTRA_CA_CERTS (when the test trusts a fake cloud) in its
 * environment. Its output is kept, and every ES module it loads (its chunks among them) logged.
 * With `terminal`, its standard streams are a terminal, as when a developer runs `npm start`.
 */
export async function startBuilt(outdir: string, dataDir: string, env: Record<string, string> = {}, options: { terminal?: boolean } = {}) {
  const loadedLog = path.join(dataDir, 'loaded.log');
  const hooks = path.join(dataDir, 'hooks.mjs');
  await writeFile(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(${JSON.stringify(loadedLog)}, resolved.url + '\\n');
  return resolved;
}`,
  );
  await writeFile(loadedLog, '');
  const register = path.join(dataDir, 'register.mjs');
  await writeFile(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  const command = [process.execPath, '--import', pathToFileURL(register).href, path.join(outdir, 'index.js')];
  // At a terminal: util-linux's script(1) gives it one (a pseudo-terminal) and copies what it prints.
  const [file, ...args] = options.terminal ? ['script', '-qfec', `exec ${command.map((part) => `'${part}'`).join(' ')}`, '/dev/null'] : command;
  const child = spawn(file!, args, {
    cwd: dataDir,
    env: {
      PATH: process.env.PATH ?? '',
      ...(process.env.NODE_EXTRA_CA_CERTS && { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS }),
      DATA_DIR: dataDir,
      PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const port = await Promise.race([
    waitFor('the built bot to listen', () => stdout.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/)?.[1], 20_000),
    exited.then((code) => {
      throw new Error(`the built bot exited (${code}) before listening:\n${stdout}${stderr}`);
    }),
  ]);
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    output: () => stdout + stderr,
    loaded: async () => (await readFile(loadedLog, 'utf8')).split('\n').filter(Boolean),
    stop: () => stop(child),
  };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
