import { summarise, type LatencySummary } from './stats.js';

export interface LoadOptions {
  /** How many operations may be in flight at once (closed loop: each worker starts the next when its last ends). */
  concurrency: number;
  /** Operations to run at most. */
  total: number;
  /** Stop starting operations after this long (the run is then reported over what finished). */
  maxMs: number;
  /** Operations run first and not measured (JIT, connections, caches). */
  warmup?: number;
}

export interface LoadResult {
  ops: number;
  /** What the operations returned summed: records accepted, for instance. */
  units: number;
  elapsedMs: number;
  opsPerSecond: number;
  unitsPerSecond: number;
  latency: LatencySummary;
  /** The client's own CPU time over the measured part, ms (user + system). */
  clientCpuMs: number;
  truncatedByTime: boolean;
}

/**
 * A closed-loop load: `concurrency` workers each run `op(i)` for the next index until `total` or
 * `maxMs`. `op` resolves with how many units it did (records, turns); a rejection stops the run.
 */
export async function runLoad(options: LoadOptions, op: (index: number) => Promise<number>): Promise<LoadResult> {
  const warmup = options.warmup ?? 0;
  let next = 0;
  if (warmup > 0) {
    const warmEnd = Math.min(warmup, options.total);
    // The warm-up gets a quarter of the time budget at most: a slow backend must not spend minutes here.
    const warmDeadline = performance.now() + options.maxMs / 4;
    const worker = async () => {
      while (next < warmEnd && performance.now() < warmDeadline) await op(next++);
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency, warmEnd) }, worker));
  }
  const first = next;
  const latencies: number[] = [];
  let units = 0;
  let truncated = false;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const deadline = t0 + options.maxMs;
  const worker = async () => {
    while (next < options.total) {
      if (performance.now() > deadline) {
        truncated = true;
        return;
      }
      const i = next++;
      const start = performance.now();
      // Awaited first: `units += await …` would read `units` before the await and lose concurrent updates.
      const done = await op(i);
      latencies.push(performance.now() - start);
      units += done;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const elapsedMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const ops = next - first;
  return {
    ops,
    units,
    elapsedMs,
    opsPerSecond: (ops * 1000) / elapsedMs,
    unitsPerSecond: (units * 1000) / elapsedMs,
    latency: summarise(latencies),
    clientCpuMs: (cpu.user + cpu.system) / 1000,
    truncatedByTime: truncated,
  };
}

/** Rejects if `promise` takes longer than `ms`: no bench step may hang. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
