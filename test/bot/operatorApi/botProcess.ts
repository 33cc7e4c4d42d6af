import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { API_KEY } from './operatorApiServer.js';

const root = path.resolve(import.meta.dirname, '../../..');

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** `npm start` as an operator runs it: a separate process on its own port and data folder (`env` adds settings). */
export function startBot(dataDir: string, port: number, env: Record<string, string> = {}): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bot/index.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, OPERATOR_API_KEY: API_KEY, CHECKPOINT_SECONDS: '0.2', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
