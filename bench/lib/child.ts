import { fork, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Every child still running, killed on the way out whatever happens. */
const running = new Set<ChildProcess>();

export function killAllChildren(): void {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  running.clear();
}

export interface ChildOptions {
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
  env?: Record<string, string>;
  /** Forward the child's stderr to ours (stdout is always kept for the error message). */
  quiet?: boolean;
  /** Run this compiled .mjs file with plain node instead of `module` through tsx. */
  compiled?: string;
}

/**
 * A TypeScript module under bench/ run in a child Node process (through tsx) that talks over IPC:
 * each `ask` sends `{ id, ...message }` and resolves with the child's `{ id, ok, value | error }`.
 */
export class BenchChild {
  readonly process: ChildProcess;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private readonly output: string[] = [];
  readonly exited: Promise<number | null>;
  readonly spawnedAt = performance.now();

  constructor(module: string, args: string[] = [], options: ChildOptions = {}) {
    this.process = fork(options.compiled ?? `${BENCH_DIR}${module}`, args, {
      execArgv: [...(options.compiled ? [] : ['--import', 'tsx']), ...(options.nodeFlags ?? [])],
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    running.add(this.process);
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 200) this.output.shift();
    };
    this.process.stdout!.on('data', keep);
    this.process.stderr!.on('data', (chunk: Buffer) => {
      keep(chunk);
      if (!options.quiet) process.stderr.write(`[${module}] ${chunk.toString()}`);
    });
    this.process.on('message', (message: { id: number; ok: boolean; value?: unknown; error?: string }) => {
      const waiter = this.waiting.get(message.id);
      if (!waiter) return;
      this.waiting.delete(message.id);
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(new Error(`${module}: ${message.error}`));
    });
    this.exited = new Promise((resolve) => {
      this.process.on('exit', (code) => {
        running.delete(this.process);
        const error = new Error(`${module} exited (code ${code}) before answering. Its output:\n${this.output.join('').slice(-3000)}`);
        for (const waiter of this.waiting.values()) waiter.reject(error);
        this.waiting.clear();
        resolve(code);
      });
    });
  }

  get pid(): number {
    return this.process.pid!;
  }

  ask<T>(message: Record<string, unknown>, timeoutMs = 120_000): Promise<T> {
    const id = ++this.nextId;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`child ${this.pid} did not answer ${String(message.type)} within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.waiting.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.process.send({ id, ...message });
    });
  }

  /** Profiles the child's CPU while `work` runs, when profiling was asked for (--profile). */
  async profiled<T>(profileDir: string | null, label: string, work: () => Promise<T>): Promise<T> {
    if (!profileDir) return work();
    await this.ask({ type: 'profileStart' });
    try {
      return await work();
    } finally {
      await this.ask({ type: 'profileStop', file: `${profileDir}/${label}.cpuprofile` }).catch(() => undefined);
    }
  }

  /** Asks the child to stop cleanly; kills it if it has not exited within `graceMs`. */
  async stop(graceMs = 30_000): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    try {
      await this.ask({ type: 'stop' }, graceMs);
    } catch {
      // Already gone, or stuck: killed below.
    }
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

let profiler: Session | null = null;

/** CPU profiling of this process on request, so a profile covers the measured part only. */
async function profileCommand(message: { type: string; [key: string]: unknown }): Promise<unknown> {
  if (message.type === 'profileStart') {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.setSamplingInterval', { interval: 500 });
    await profiler.post('Profiler.start');
    return null;
  }
  if (!profiler) return null;
  const { profile } = await profiler.post('Profiler.stop');
  profiler.disconnect();
  profiler = null;
  await writeFile(message.file as string, JSON.stringify(profile));
  return message.file;
}

/**
 * The child side: answers each request with `handle`'s value. `stop` runs `onStop` then exits;
 * `profileStart` and `profileStop` (with `file`) profile the CPU in between. A child whose parent
 * dies exits too.
 */
export function serveParent(
  handle: (message: { type: string; [key: string]: unknown }) => Promise<unknown>,
  onStop: () => Promise<void> = async () => {},
): void {
  if (!process.send) throw new Error('run this module through bench/run.ts');
  process.on('disconnect', () => process.exit(2));
  process.on('message', (message: { id: number; type: string; [key: string]: unknown }) => {
    void (async () => {
      try {
        if (message.type === 'stop') {
          await onStop();
          process.send!({ id: message.id, ok: true, value: null }, () => process.exit(0));
          return;
        }
        const value = message.type === 'profileStart' || message.type === 'profileStop' ? await profileCommand(message) : await handle(message);
        process.send!({ id: message.id, ok: true, value });
      } catch (error) {
        process.send!({ id: message.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    })();
  });
}

/** CPU time (user + system) and resident memory of this process, now and at its peak so far. */
export function processStats(): { cpuMs: number; rssMB: number; peakRssMB: number; heapUsedMB: number } {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return {
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssMB: memory.rss / 2 ** 20,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    heapUsedMB: memory.heapUsed / 2 ** 20,
  };
}
