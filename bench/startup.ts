import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build, isBuildCurrent } from '../scripts/build.mjs';
import { BENCH_DIR } from './lib/child.js';
import type { BenchContext, Row } from './lib/context.js';
import { int, round } from './lib/stats.js';

const ROOT = path.resolve(BENCH_DIR, '..');
const SECTION = 'Start-up: npm start on a data folder';
/** How long the bot is left alone after /readyz first answers before its memory is read. */
const REST_MS = 3_000;
const RUNS = 3;

export interface NpmStartFigures {
  /** From spawning `npm start` to the first 200 from /healthz (the process serves: it listens before the store opens). */
  healthzMs: number;
  /** From spawning `npm start` to the first 200 from /readyz (the store open, every route served). */
  readyzMs: number;
  /** CPU time of the processes npm started by the time /readyz answered. */
  readyCpuMs: number;
  /**
   * CPU time (user + system) the processes npm started had used by then, and npm's own: steadier
   * than the wall clock on a shared machine, which may leave a process waiting for a core.
   */
  cpuMs: number;
  npmCpuMs: number;
  /** The machine's load average (1 min) when /healthz answered: how busy the cores were. */
  loadAverage: number;
  /** Resident memory of every process `npm start` started (npm's own not counted), REST_MS after. */
  rssMB: number;
  /** Those processes' command lines. */
  processes: string[];
}

/**
 * `npm start` as a user runs it, on `dataDir`: the time to the first answer of /healthz and the
 * resident memory of the processes it started, at rest. The build is made first, so a stale
 * dist/ is not timed.
 */
export async function measureNpmStart(ctx: BenchContext, folders: Array<{ label: string; dir: string }>): Promise<Row[]> {
  if (!isBuildCurrent()) {
    ctx.log('start-up: building dist/ first');
    await build();
  }
  const rows: Row[] = [];
  for (const { label, dir } of folders) {
    const runs: NpmStartFigures[] = [];
    for (let i = 0; i < RUNS; i++) {
      ctx.log(`start-up: npm start on ${label}, run ${i + 1} of ${RUNS}`);
      runs.push(await timeNpmStart(dir));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const healthzMs = median(runs.map((r) => r.healthzMs));
    const readyzMs = median(runs.map((r) => r.readyzMs));
    const readyCpuMs = median(runs.map((r) => r.readyCpuMs));
    const cpuMs = median(runs.map((r) => r.cpuMs));
    const npmCpuMs = median(runs.map((r) => r.npmCpuMs));
    const rssMB = median(runs.map((r) => r.rssMB));
    rows.push({
      section: SECTION,
      case: label,
      result:
        `/healthz ${int(healthzMs)} ms after spawn (median of ${RUNS}; ${runs.map((r) => int(r.healthzMs)).join(', ')}; load average ${runs.map((r) => r.loadAverage).join(', ')}) · ` +
        `CPU by then ${int(cpuMs)} ms, npm's own ${int(npmCpuMs)} ms · ` +
        `/readyz ${int(readyzMs)} ms (${runs.map((r) => int(r.readyzMs)).join(', ')}), CPU by then ${int(readyCpuMs)} ms · ` +
        `RSS ${int(rssMB)} MB ${REST_MS / 1000} s later (${runs.map((r) => int(r.rssMB)).join(', ')}) in ${runs[0]!.processes.length} process(es) besides npm`,
      target: '≤ 1 s and ≤ 100 MB',
      status: healthzMs <= 1_000 && rssMB <= 100 ? 'met' : 'missed',
      figures: {
        healthzMs: round(healthzMs, 0),
        readyzMs: round(readyzMs, 0),
        readyCpuMs: round(readyCpuMs, 0),
        cpuMs: round(cpuMs, 0),
        npmCpuMs: round(npmCpuMs, 0),
        rssMB: round(rssMB, 1),
        runs,
      },
    });
  }
  return rows;
}

/** One `npm start` on `dataDir`, stopped with SIGTERM after its memory was read. */
export async function timeNpmStart(dataDir: string): Promise<NpmStartFigures> {
  const started = performance.now();
  const npm = spawn('npm', ['start'], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  npm.stdout.on('data', (chunk) => (output += chunk));
  npm.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => npm.on('exit', () => resolve()));
  try {
    let port: string | undefined;
    let healthzMs = NaN;
    let cpuMs = 0;
    let npmCpuMs = 0;
    let loadAverage = 0;
    for (const deadline = performance.now() + 60_000; performance.now() < deadline; ) {
      if (npm.exitCode !== null) throw new Error(`npm start exited (${npm.exitCode}):\n${output.slice(-2000)}`);
      // The first line with the address: "starting on http://…" (only the health checks answer yet).
      port ??= output.match(/ on http:\/\/[\d.]+:(\d+)/)?.[1];
      if (
        port &&
        (await fetch(`http://127.0.0.1:${port}/healthz`)
          .then((r) => r.ok)
          .catch(() => false))
      ) {
        healthzMs = performance.now() - started;
        cpuMs = descendants(npm.pid!).reduce((sum, pid) => sum + cpuTimeMs(pid), 0);
        npmCpuMs = cpuTimeMs(npm.pid!);
        loadAverage = os.loadavg()[0]!;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    if (!Number.isFinite(healthzMs)) throw new Error(`npm start did not answer /healthz within 60 s:\n${output.slice(-2000)}`);
    let readyzMs = NaN;
    let readyCpuMs = 0;
    for (const deadline = performance.now() + 60_000; performance.now() < deadline; ) {
      if (npm.exitCode !== null) throw new Error(`npm start exited (${npm.exitCode}):\n${output.slice(-2000)}`);
      if (
        await fetch(`http://127.0.0.1:${port}/readyz`)
          .then((r) => r.ok)
          .catch(() => false)
      ) {
        readyzMs = performance.now() - started;
        readyCpuMs = descendants(npm.pid!).reduce((sum, pid) => sum + cpuTimeMs(pid), 0);
        break;
      }
      // Less often than /healthz: each request is work for the starting bot, counted in its CPU time.
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    if (!Number.isFinite(readyzMs)) throw new Error(`npm start did not answer /readyz within 60 s:\n${output.slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, REST_MS));
    const processes = descendants(npm.pid!);
    return {
      healthzMs,
      readyzMs,
      readyCpuMs,
      cpuMs,
      npmCpuMs,
      loadAverage: round(loadAverage, 1),
      rssMB: processes.reduce((sum, pid) => sum + residentMB(pid), 0),
      processes: processes.map(commandLine),
    };
  } finally {
    npm.kill('SIGTERM');
    const timer = setTimeout(() => {
      for (const pid of descendants(npm.pid!)) process.kill(pid, 'SIGKILL');
      npm.kill('SIGKILL');
    }, 15_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Every process below `pid` (not `pid` itself), from /proc. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(name)]);
    } catch {
      // Gone meanwhile.
    }
  }
  const found: number[] = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift()!;
    found.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return found;
}

/** User + system CPU time of a process so far, from /proc (fields 14 and 15, in clock ticks of 10 ms). */
function cpuTimeMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

function residentMB(pid: number): number {
  try {
    const kB = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1];
    return kB ? Number(kB) / 1024 : 0;
  } catch {
    return 0;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '?';
  }
}
