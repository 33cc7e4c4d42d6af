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
 * Section: memory while ingesting. A fresh app takes 1M records through `POST /api/usage` (batches
 * of 1,000 over the 1,000 tenants, concurrency 4); its peak resident memory is the kernel's
 * high-water mark, so no peak is missed between samples.
 */
export async function runIngestionMemory(ctx: BenchContext): Promise<{ rows: Row[] }> {
  const dataDir = await ctx.tempDir('ingest-memory');
  const app = new BenchChild('children/appProcess.ts', [dataDir, API_KEY]);
  let http: HttpClient | null = null;
  try {
    const { port } = await app.ask<{ port: number }>({ type: 'start' }, 60_000);
    http = new HttpClient(new URL(`http://127.0.0.1:${port}`), 64, { authorization: `Bearer ${API_KEY}` });
    await prefund(http, POPULATION);
    const started = await app.ask<{ peakRssMB: number; rssMB: number }>({ type: 'stats' });
    const records = ctx.quick ? 100_000 : MEMORY_RECORDS;
    const now = Date.now();
    const shape: WorkloadShape = { batchSize: 1000, tenantsPerBatch: 100, population: POPULATION, oneTenant: false };
    const samples: number[] = [];
    const sampler = setInterval(
      () =>
        void app.ask<{ rssMB: number }>({ type: 'stats' }).then(
          (s) => samples.push(s.rssMB),
          () => {},
        ),
      1_000,
    );
    ctx.log(`ingestion memory: ${int(records)} records in batches of 1,000`);
    const result = await app.profiled(ctx.profileDir, 'ingestion-memory', () =>
      runLoad({ concurrency: 4, total: records / 1000, maxMs: 240_000 }, async (r) => {
        const body = Array.from({ length: 1000 }, (_, k) => usageBody(`${ctx.runId}-memory-${r * 1000 + k}`, tenantOf(r * 1000 + k, shape), r * 1000 + k, now));
        const answer = await http!.json<{ accepted: number }>('POST', '/api/usage', JSON.stringify({ records: body }));
        if (answer.accepted !== 1000) throw new Error(`a request was not fully accepted: ${JSON.stringify(answer).slice(0, 300)}`);
        return answer.accepted;
      }),
    );
    clearInterval(sampler);
    const after = await app.ask<{ rssMB: number; peakRssMB: number }>({ type: 'stats' });
    return {
      rows: [
        {
          section: 'Memory while ingesting through POST /api/usage (the app under tsx)',
          case: `${int(result.units)} records, batches of 1,000 · c4`,
          result:
            `peak RSS ${int(after.peakRssMB)} MB (${int(started.rssMB)} MB before the first record) · RSS ${int(after.rssMB)} MB at the end · ` +
            `${int(result.unitsPerSecond)} rec/s${result.truncatedByTime ? ' (time cap)' : ''}`,
          target: '≤ 250 MB',
          status: after.peakRssMB <= 250 && !result.truncatedByTime ? 'met' : 'missed',
          figures: {
            records: result.units,
            peakRssMB: round(after.peakRssMB, 1),
            rssMB: round(after.rssMB, 1),
            startRssMB: round(started.rssMB, 1),
            rssEverySecondMB: samples.map((v) => round(v, 0)),
          },
        },
      ],
    };
  } finally {
    http?.close();
    await app.stop();
  }
}

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
