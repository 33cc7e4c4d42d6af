/**
 * `npm run bench`: measures the real code paths and prints one table (also written, with every
 * figure behind it, to bench/results/latest.json). Options:
 *   --quick          small sizes, to check the bench itself (figures not comparable)
 *   --only=a,b       some sections only: ingestion, ingestion-memory, history, bot, long-messages, peers, postgres
 *   --profile        CPU-profile each measured process during its measured part only (the
 *                    inspector's profiler, as --cpu-prof does), write bench/results/profiles/*.cpuprofile
 *                    (open them in Chrome DevTools) and print their top frames after the table after the table
 * Environment: BENCH_BACKENDS=ours,postgres limits the peers; PGHOST/PGPORT/PGDATABASE/PGUSER.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runBotTurns } from './botTurns.js';
import { runHistory } from './history.js';
import { runIngestion, runIngestionMemory } from './ingestion.js';
import { runLongMessages } from './longMessages.js';
import { BENCH_DIR, killAllChildren } from './lib/child.js';
import { makeTempDir, removeTempDirs, type BenchContext, type Row } from './lib/context.js';
import { withTimeout } from './lib/load.js';
import { formatFrames, topFrames } from './lib/profile.js';
import { renderTable } from './lib/table.js';
import { runPeers } from './peersSection.js';
import { runPostgresApp } from './postgresApp.js';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const resultsDir = path.join(BENCH_DIR, 'results');
const started = performance.now();

const ctx: BenchContext = {
  runId: `r${Date.now().toString(36)}`,
  quick: flag('quick'),
  profileDir: flag('profile') ? path.join(resultsDir, 'profiles') : null,
  log: (message) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}\n`),
  tempDir: makeTempDir,
};

interface Section {
  name: string;
  /** The section is stopped (children killed) if it runs longer, so the run ends in bounded time. */
  budgetMs: number;
  run: (ctx: BenchContext) => Promise<{ rows: Row[] }>;
}

// A section over its budget is reported as failed, not waited for.
const sections: Section[] = [
  { name: 'ingestion', budgetMs: 400_000, run: runIngestion },
  { name: 'ingestion-memory', budgetMs: 560_000, run: runIngestionMemory },
  { name: 'history', budgetMs: 330_000, run: runHistory },
  { name: 'bot', budgetMs: 90_000, run: runBotTurns },
  { name: 'long-messages', budgetMs: 60_000, run: runLongMessages },
  { name: 'peers', budgetMs: 185_000, run: runPeers },
  { name: 'postgres', budgetMs: 300_000, run: runPostgresApp },
];

let cleaningUp = false;
async function cleanUp(): Promise<void> {
  if (cleaningUp) return;
  cleaningUp = true;
  killAllChildren();
  await removeTempDirs();
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void cleanUp().finally(() => process.exit(130)));
}

/** The machine's load while a section ran: other work on the same 2 cores skews every figure. */
function loadNote(before: number[], after: number[]): string {
  return `load average ${before[0]!.toFixed(1)} → ${after[0]!.toFixed(1)}`;
}

/** How busy the machine is before the bench starts (share of all cores, from /proc/stat over 2 s). */
async function machineBusy(): Promise<number | null> {
  const sample = async () => {
    const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = line[3]! + (line[4] ?? 0);
    return { idle, total: line.reduce((a, b) => a + b, 0) };
  };
  try {
    const a = await sample();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const b = await sample();
    return 1 - (b.idle - a.idle) / (b.total - a.total);
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  await mkdir(resultsDir, { recursive: true });
  if (ctx.profileDir) {
    await rm(ctx.profileDir, { recursive: true, force: true });
    await mkdir(ctx.profileDir, { recursive: true });
  }
  const busyBefore = await machineBusy();
  if (busyBefore !== null && busyBefore > 0.25) {
    ctx.log(`warning: the machine is already ${Math.round(busyBefore * 100)}% busy with other work; the figures will be lower than on an idle machine`);
  }
  const rows: Row[] = [];
  const failures: string[] = [];
  const loads: Record<string, string> = {};
  for (const section of sections) {
    if (only && !only.includes(section.name)) continue;
    ctx.log(`section ${section.name}`);
    const before = os.loadavg();
    try {
      rows.push(...(await withTimeout(section.run(ctx), section.budgetMs, `section ${section.name}`)).rows);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures.push(`${section.name}: ${message}`);
      rows.push({ section: section.name, case: 'FAILED', result: message.split('\n')[0]!.slice(0, 200), figures: { error: message } });
      killAllChildren();
    }
    loads[section.name] = loadNote(before, os.loadavg());
  }
  const totalSeconds = (performance.now() - started) / 1000;
  const table = renderTable(rows);
  const cpus = os.cpus();
  const footer =
    `${cpus.length} cores (${cpus[0]?.model ?? 'unknown CPU'}), Node ${process.version}, ${totalSeconds.toFixed(0)} s${ctx.quick ? ', --quick sizes' : ''}. ` +
    `Other work on the machine before the run: ${busyBefore === null ? 'unknown' : `${Math.round(busyBefore * 100)}% of all cores busy`}. ` +
    `Load per section: ${Object.entries(loads)
      .map(([name, note]) => `${name} ${note}`)
      .join('; ')}.`;
  console.log(table);
  console.log(`\n${footer}`);

  let profiles: Record<string, unknown> = {};
  if (ctx.profileDir) profiles = await printProfiles(ctx.profileDir);

  const report = {
    runId: ctx.runId,
    at: new Date().toISOString(),
    quick: ctx.quick,
    machine: { cores: cpus.length, cpu: cpus[0]?.model ?? null, memoryGB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    seconds: Math.round(totalSeconds),
    machineBusyBeforeRun: busyBefore,
    loads,
    rows,
    failures,
    table,
    footer,
    profiles,
  };
  await writeFile(path.join(resultsDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  if (failures.length > 0) {
    console.error(`\n${failures.length} section(s) failed:\n${failures.join('\n')}`);
    process.exitCode = 1;
  }
}

async function printProfiles(dir: string): Promise<Record<string, unknown>> {
  const summaries: Record<string, unknown> = {};
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.cpuprofile')).sort()) {
    const top = await topFrames(path.join(dir, name), 15);
    summaries[name] = top;
    console.log(`\n${formatFrames(name, top)}`);
  }
  return summaries;
}

try {
  await main();
} finally {
  await cleanUp();
}
