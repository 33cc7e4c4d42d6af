import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build, DIST, isBuildCurrent } from '../scripts/build.mjs';
import { BenchChild } from './lib/child.js';
import { API_KEY, type BenchContext, type Row } from './lib/context.js';
import { HttpClient } from './lib/http.js';
import { runLoad, type LoadResult } from './lib/load.js';
import { tenantName, tenantOf, usageBody, type WorkloadShape } from './lib/records.js';
import { int, ms, ratio, round } from './lib/stats.js';

export const POPULATION = 1000;

interface Scenario {
  name: string;
  shape: WorkloadShape;
  concurrency: number;
  requests: number;
  warmup: number;
  target?: { recordsPerSecond: number; label: string };
}

export function ingestionScenarios(quick: boolean): Scenario[] {
  const many = (batchSize: number): WorkloadShape => ({ batchSize, tenantsPerBatch: Math.min(100, batchSize), population: POPULATION, oneTenant: false });
  const one = (batchSize: number): WorkloadShape => ({ batchSize, tenantsPerBatch: 1, population: 1, oneTenant: true });
  const n = (full: number) => (quick ? Math.max(4, Math.round(full / 10)) : full);
  return [
    {
      name: 'batch 1,000 · 100 tenants each · c1',
      shape: many(1000),
      concurrency: 1,
      requests: n(60),
      warmup: n(6),
      target: { recordsPerSecond: 50_000, label: '≥ 50,000 rec/s' },
    },
    { name: 'batch 1,000 · 100 tenants each · c4', shape: many(1000), concurrency: 4, requests: n(80), warmup: n(8) },
    { name: 'batch 1,000 · one tenant · c1', shape: one(1000), concurrency: 1, requests: n(60), warmup: n(6) },
    { name: 'single record · c1', shape: many(1), concurrency: 1, requests: n(2000), warmup: n(200) },
    { name: 'single record · c16', shape: many(1), concurrency: 16, requests: n(10_000), warmup: n(1000) },
    {
      name: 'single record · c64',
      shape: many(1),
      concurrency: 64,
      requests: n(20_000),
      warmup: n(2000),
      target: { recordsPerSecond: 5_000, label: '≥ 5,000 rec/s' },
    },
    { name: 'single record · c64 · one tenant', shape: one(1), concurrency: 64, requests: n(20_000), warmup: n(2000) },
  ];
}

export interface FloorFigures {
  scenario: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  serverCpuUsPerRequest: number;
  clientCpuUsPerRequest: number;
}

export interface IngestionFigures {
  scenario: string;
  records: number;
  recordsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  serverCpuPercent: number;
  /** Server CPU (all its threads) per record: what the ledger path costs, whatever the machine's load. */
  serverCpuUsPerRecord: number;
  clientCpuPercent: number;
  walFsyncs: number;
  truncatedByTime: boolean;
}

/** Section 1: durable ingestion through POST /api/usage over HTTP, the app in a child process. */
export async function runIngestion(ctx: BenchContext): Promise<{ rows: Row[]; figures: IngestionFigures[]; floor: FloorFigures[] }> {
  const floor = await measureFloor(ctx);
  const dataDir = await ctx.tempDir('ingest');
  const app = new BenchChild('children/appProcess.ts', [dataDir, API_KEY]);
  const client = { http: null as HttpClient | null };
  try {
    const { port } = await app.ask<{ port: number }>({ type: 'start' }, 60_000);
    const http = new HttpClient(new URL(`http://127.0.0.1:${port}`), 64, { authorization: `Bearer ${API_KEY}` });
    client.http = http;
    await prefund(http, POPULATION);
    const rows: Row[] = [];
    const figures: IngestionFigures[] = [];
    for (const scenario of ingestionScenarios(ctx.quick)) {
      ctx.log(`ingestion: ${scenario.name}`);
      const f = await runScenario(ctx, app, http, scenario);
      figures.push(f);
      const met = scenario.target ? f.recordsPerSecond >= scenario.target.recordsPerSecond : undefined;
      rows.push({
        section: 'Ingestion: POST /api/usage over HTTP',
        case: scenario.name,
        result: `${int(f.recordsPerSecond)} rec/s · p50 ${ms(f.p50Ms)} ms · p99 ${ms(f.p99Ms)} ms · server ${Math.round(f.serverCpuPercent)}% CPU, ${Math.round(f.serverCpuUsPerRecord)} µs/rec · client ${Math.round(f.clientCpuPercent)}% CPU · ${int(f.walFsyncs)} WAL fsyncs${f.truncatedByTime ? ' (time cap)' : ''}`,
        target: scenario.target?.label,
        status: met === undefined ? undefined : met ? 'met' : 'missed',
        figures: { ...f },
      });
    }
    rows.push(...(await compareWithSqlite(ctx, figures)));
    for (const f of floor) {
      rows.push({
        section: 'Ingestion: POST /api/usage over HTTP',
        case: `HTTP floor (same restify server, no ledger) · ${f.scenario}`,
        result: `${int(f.requestsPerSecond)} req/s · p50 ${ms(f.p50Ms)} ms · p99 ${ms(f.p99Ms)} ms · server ${Math.round(f.serverCpuUsPerRequest)} µs CPU/req · client ${Math.round(f.clientCpuUsPerRequest)} µs CPU/req`,
        status: 'info',
        figures: { ...f },
      });
    }
    return { rows, figures, floor };
  } finally {
    client.http?.close();
    await app.stop();
  }
}

/** Records the memory section ingests. */
const MEMORY_RECORDS = 1_000_000;

/**
 * Section: memory while ingesting, on what `npm start` runs: `node dist/index.js` (built first if
 * stale) in a fresh data folder takes 1M records through `POST /api/usage` (batches of 1,000 over
 * the 1,000 tenants, concurrency 4). Its peak resident memory is the kernel's high-water mark
 * (VmHWM), so no peak is missed between samples; its CPU time is read from /proc as well.
 */
export async function runIngestionMemory(ctx: BenchContext): Promise<{ rows: Row[] }> {
  const dataDir = await ctx.tempDir('ingest-memory');
  if (!isBuildCurrent()) {
    ctx.log('ingestion memory: building dist/ first');
    await build();
  }
  const bot = await startBuiltBot(dataDir, ctx.profileDir);
  const http = new HttpClient(new URL(`http://127.0.0.1:${bot.port}`), 64, { authorization: `Bearer ${API_KEY}` });
  let sampler: NodeJS.Timeout | undefined;
  try {
    await prefund(http, POPULATION);
    const started = procFigures(bot.pid);
    const records = ctx.quick ? 100_000 : MEMORY_RECORDS;
    const now = Date.now();
    const shape: WorkloadShape = { batchSize: 1000, tenantsPerBatch: 100, population: POPULATION, oneTenant: false };
    const samples: number[] = [];
    sampler = setInterval(() => samples.push(procFigures(bot.pid).rssMB), 1_000);
    ctx.log(`ingestion memory: ${int(records)} records in batches of 1,000 into node dist/index.js`);
    const result = await runLoad({ concurrency: 4, total: records / 1000, maxMs: 480_000 }, async (r) => {
      const body = Array.from({ length: 1000 }, (_, k) => usageBody(`${ctx.runId}-memory-${r * 1000 + k}`, tenantOf(r * 1000 + k, shape), r * 1000 + k, now));
      const answer = await http.json<{ accepted: number }>('POST', '/api/usage', JSON.stringify({ records: body }));
      if (answer.accepted !== 1000) throw new Error(`a request was not fully accepted: ${JSON.stringify(answer).slice(0, 300)}`);
      return answer.accepted;
    });
    clearInterval(sampler);
    const after = procFigures(bot.pid);
    const cpuUsPerRecord = ((after.cpuMs - started.cpuMs) * 1000) / result.units;
    return {
      rows: [
        {
          section: 'Memory while ingesting through POST /api/usage (node dist/index.js)',
          case: `${int(result.units)} records, batches of 1,000 · c4`,
          result:
            `peak RSS ${int(after.peakRssMB)} MB (${int(started.rssMB)} MB before the first record) · RSS ${int(after.rssMB)} MB at the end · ` +
            `${int(result.unitsPerSecond)} rec/s · server ${Math.round(cpuUsPerRecord)} µs CPU/rec${result.truncatedByTime ? ' (time cap)' : ''}`,
          target: '≤ 250 MB',
          status: after.peakRssMB <= 250 && !result.truncatedByTime ? 'met' : 'missed',
          figures: {
            records: result.units,
            recordsPerSecond: round(result.unitsPerSecond, 0),
            serverCpuUsPerRecord: round(cpuUsPerRecord, 1),
            peakRssMB: round(after.peakRssMB, 1),
            rssMB: round(after.rssMB, 1),
            startRssMB: round(started.rssMB, 1),
            rssEverySecondMB: samples.map((v) => round(v, 0)),
          },
        },
      ],
    };
  } finally {
    clearInterval(sampler);
    http.close();
    await bot.stop();
  }
}

/**
 * `node dist/index.js` on `dataDir`, as `npm start` runs it (without npm), listening on a free
 * port. With a profile folder it writes a CPU profile of its whole run there (`--cpu-prof`).
 */
async function startBuiltBot(dataDir: string, profileDir: string | null): Promise<{ pid: number; port: number; stop(): Promise<void> }> {
  const flags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-name=ingestion-memory-built.cpuprofile'] : [];
  const bot = spawn(process.execPath, [...flags, path.join(DIST, 'index.js')], {
    env: { ...process.env, NODE_ENV: 'production', DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', OPERATOR_API_KEY: API_KEY },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  bot.stdout.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  bot.stderr.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  const exited = new Promise<void>((resolve) => bot.on('exit', () => resolve()));
  const stop = async () => {
    if (bot.exitCode !== null || bot.signalCode !== null) return;
    bot.kill('SIGTERM');
    const timer = setTimeout(() => bot.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  };
  for (const deadline = performance.now() + 60_000; performance.now() < deadline; ) {
    if (bot.exitCode !== null) throw new Error(`node dist/index.js exited (${bot.exitCode}):\n${output.slice(-2000)}`);
    const port = output.match(/listening on http:\/\/[\d.]+:(\d+)/)?.[1];
    if (port) return { pid: bot.pid!, port: Number(port), stop };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await stop();
  throw new Error(`node dist/index.js did not say it was listening within 60 s:\n${output.slice(-2000)}`);
}

/** A process's resident memory now and at its peak (VmRSS, VmHWM) and its CPU time so far, from /proc. */
function procFigures(pid: number): { rssMB: number; peakRssMB: number; cpuMs: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kB = (field: string) => Number(status.match(new RegExp(`${field}:\\s+(\\d+)`))?.[1] ?? Number.NaN);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const [utime, stime] = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .slice(11, 13)
    .map(Number);
  return { rssMB: kB('VmRSS') / 1024, peakRssMB: kB('VmHWM') / 1024, cpuMs: ((utime! + stime!) * 1000) / CLOCK_TICKS };
}

/** Linux's USER_HZ: /proc reports CPU time in these ticks. */
const CLOCK_TICKS = 100;

/**
 * The ceiling any handler could reach on this machine: the same server and client, the same
 * bodies, a route that answers at once. A target above it is out of reach of the ledger code.
 */
async function measureFloor(ctx: BenchContext): Promise<FloorFigures[]> {
  const server = new BenchChild('children/bareServer.ts');
  const http = { client: null as HttpClient | null };
  try {
    const { port } = await server.ask<{ port: number }>({ type: 'start' });
    http.client = new HttpClient(new URL(`http://127.0.0.1:${port}`), 64);
    const now = Date.now();
    const single = JSON.stringify({ records: [usageBody('floor-1', tenantName(1), 1, now)] });
    const batch = JSON.stringify({ records: Array.from({ length: 1000 }, (_, k) => usageBody(`floor-${k}`, tenantName(k % 100), k, now)) });
    const cases = [
      { scenario: 'batch 1,000 · c1', body: batch, concurrency: 1, total: ctx.quick ? 20 : 100 },
      { scenario: 'single record · c1', body: single, concurrency: 1, total: ctx.quick ? 500 : 3000 },
      { scenario: 'single record · c64', body: single, concurrency: 64, total: ctx.quick ? 2000 : 15_000 },
    ];
    const figures: FloorFigures[] = [];
    for (const c of cases) {
      ctx.log(`ingestion: HTTP floor · ${c.scenario}`);
      const before = await server.ask<{ cpuMs: number }>({ type: 'stats' });
      const result = await runLoad({ concurrency: c.concurrency, total: c.total, warmup: Math.round(c.total / 10), maxMs: 15_000 }, async () => {
        await http.client!.json('POST', '/floor', c.body);
        return 1;
      });
      const after = await server.ask<{ cpuMs: number }>({ type: 'stats' });
      figures.push({
        scenario: c.scenario,
        requestsPerSecond: round(result.opsPerSecond, 0),
        p50Ms: round(result.latency.p50, 3),
        p99Ms: round(result.latency.p99, 3),
        serverCpuUsPerRequest: round(((after.cpuMs - before.cpuMs) * 1000) / (result.ops + Math.round(c.total / 10)), 0),
        clientCpuUsPerRequest: round((result.clientCpuMs * 1000) / result.ops, 0),
      });
    }
    return figures;
  } finally {
    http.client?.close();
    await server.stop();
  }
}

/** Every tenant of the population starts with one $10,000 lot (the one-tenant case with five), so charges draw lots FIFO. */
export async function prefund(http: HttpClient, population: number): Promise<void> {
  const grant = (tenant: string, key: string) =>
    http.json('POST', `/api/tenants/${tenant}/funds`, JSON.stringify({ amount: '10000.00', currency: 'USD', idempotencyKey: key }));
  await runLoad({ concurrency: 16, total: population, maxMs: 120_000 }, async (i) => {
    await grant(tenantName(i), `prefund-${i}`);
    return 1;
  });
  for (let k = 1; k < 5; k++) await grant(tenantName(0), `prefund-0-${k}`);
}

/** The cases compared with the SQLite service, and how many times its throughput ours must reach. */
const SQLITE_TARGETS: Record<string, number> = { 'batch 1,000 · 100 tenants each · c1': 1, 'single record · c64': 2 };

/**
 * The peer in the same run: node:http + better-sqlite3 (WAL, synchronous=FULL, a transaction per
 * request, the same checks and ledger work per record) in its own process, driven by the same
 * client with the same bodies as ours.
 */
async function compareWithSqlite(ctx: BenchContext, ours: IngestionFigures[]): Promise<Row[]> {
  const dataDir = await ctx.tempDir('ingest-sqlite');
  const peer = new BenchChild('children/sqliteServer.ts', [dataDir]);
  let http: HttpClient | null = null;
  try {
    const tenants = Array.from({ length: POPULATION }, (_, i) => tenantName(i));
    const { port } = await peer.ask<{ port: number }>({ type: 'start', tenants, extraLots: 4 }, 60_000);
    http = new HttpClient(new URL(`http://127.0.0.1:${port}`), 64);
    const rows: Row[] = [];
    for (const scenario of ingestionScenarios(ctx.quick).filter((s) => s.name in SQLITE_TARGETS)) {
      ctx.log(`ingestion: node:http + SQLite · ${scenario.name}`);
      const f = await runScenario(ctx, peer, http, scenario, 'sqlite');
      const mine = ours.find((o) => o.scenario === scenario.name)!;
      const times = mine.recordsPerSecond / f.recordsPerSecond;
      const wanted = SQLITE_TARGETS[scenario.name]!;
      rows.push({
        section: 'Ingestion: POST /api/usage over HTTP',
        case: `node:http + better-sqlite3 (WAL, synchronous=FULL) · ${scenario.name}`,
        result:
          `${int(f.recordsPerSecond)} rec/s · p50 ${ms(f.p50Ms)} ms · p99 ${ms(f.p99Ms)} ms · server ${Math.round(f.serverCpuUsPerRecord)} µs/rec · ` +
          `ours ${ratio(times)} (${int(mine.recordsPerSecond)} rec/s)`,
        target: `ours ≥ ${wanted.toFixed(1)}×`,
        status: times >= wanted ? 'met' : 'missed',
        figures: { ...f, oursRecordsPerSecond: mine.recordsPerSecond, times: round(times, 2) },
      });
    }
    return rows;
  } finally {
    http?.close();
    await peer.stop();
  }
}

export async function runScenario(ctx: BenchContext, app: BenchChild, http: HttpClient, scenario: Scenario, server = 'app'): Promise<IngestionFigures> {
  const { shape } = scenario;
  const now = Date.now();
  const prefix = `${ctx.runId}-${scenario.name.replace(/[^a-z0-9]+/gi, '')}`;
  const bodies = Array.from({ length: scenario.requests + scenario.warmup }, (_, r) => {
    const records = Array.from({ length: shape.batchSize }, (_, k) => {
      const n = r * shape.batchSize + k;
      return usageBody(`${prefix}-${n}`, tenantOf(n, shape), n, now);
    });
    return JSON.stringify({ records });
  });
  const before = await app.ask<{ cpuMs: number; store: { walFsyncs: number } | null }>({ type: 'stats' });
  const t0 = performance.now();
  const label = `ingestion-${server}-${scenario.name.replace(/[^a-z0-9]+/gi, '-')}`;
  const result: LoadResult = await app.profiled(ctx.profileDir, label, () =>
    runLoad({ concurrency: scenario.concurrency, total: bodies.length, warmup: scenario.warmup, maxMs: ctx.quick ? 5_000 : 20_000 }, async (i) => {
      const answer = await http.json<{ accepted: number; duplicates: number; rejected: unknown[] }>('POST', '/api/usage', bodies[i]!);
      if (answer.accepted !== shape.batchSize) throw new Error(`a request was not fully accepted: ${JSON.stringify(answer).slice(0, 300)}`);
      return answer.accepted;
    }),
  );
  // The server's CPU over the measured part (the warm-up is a small share; subtracted in proportion).
  const after = await app.ask<{ cpuMs: number; store: { walFsyncs: number } | null }>({ type: 'stats' });
  const wall = performance.now() - t0;
  const share = result.elapsedMs / wall;
  return {
    scenario: scenario.name,
    records: result.units,
    recordsPerSecond: round(result.unitsPerSecond, 0),
    p50Ms: round(result.latency.p50, 3),
    p99Ms: round(result.latency.p99, 3),
    serverCpuPercent: round(((after.cpuMs - before.cpuMs) * share * 100) / result.elapsedMs, 0),
    serverCpuUsPerRecord: round(((after.cpuMs - before.cpuMs) * share * 1000) / result.units, 1),
    clientCpuPercent: round((result.clientCpuMs * 100) / result.elapsedMs, 0),
    walFsyncs: Math.round(((after.store?.walFsyncs ?? 0) - (before.store?.walFsyncs ?? 0)) * share),
    truncatedByTime: result.truncatedByTime,
  };
}
