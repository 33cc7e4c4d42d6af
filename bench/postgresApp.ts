import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { runBotTurns } from './botTurns.js';
import { ingestionScenarios, POPULATION, prefund, runScenario, type IngestionFigures } from './ingestion.js';
import { BenchChild } from './lib/child.js';
import { API_KEY, type BenchContext, type Row } from './lib/context.js';
import { HttpClient } from './lib/http.js';
import { runLoad } from './lib/load.js';
import { tenantOf, usageBody, type WorkloadShape } from './lib/records.js';
import { int, ms, ratio, round } from './lib/stats.js';
import type { PeerFigures } from './peersSection.js';
import { pgConnectionConfig } from './peers/postgres.js';
import { peerScenarios } from './peers/scenarios.js';

const SECTION = 'PostgreSQL: the app itself on DATABASE_URL, over HTTP';
const BATCHES = 'batch 1,000 · 100 tenants each · c1';
const SINGLES = 'single record · c64';

/**
 * Section: the bot's own PostgreSQL store (not a peer), through `POST /api/usage` and
 * `/api/messages` like the embedded store in the sections before, compared in the same run with
 * the embedded store (batches), the in-process PostgreSQL peer (single records at c64), itself on
 * one instance (two instances sharing the database) and the echo bot (the "balance" turn).
 */
export async function runPostgresApp(ctx: BenchContext): Promise<{ rows: Row[] }> {
  const ingestDb = await createBenchDatabase(`ccbench_app_${ctx.runId}`);
  const botDb = await createBenchDatabase(`ccbench_bot_${ctx.runId}`);
  try {
    const scenarios = ingestionScenarios(ctx.quick);
    const batches = scenarios.find((s) => s.name === BATCHES)!;
    const singles = scenarios.find((s) => s.name === SINGLES)!;
    const rows: Row[] = [];

    ctx.log('postgres: batches on the embedded store');
    const embedded = await withApp(ctx, 'embedded', {}, (app, http) => runScenario(ctx, app, http, batches, 'embedded'));
    ctx.log('postgres: batches on PostgreSQL');
    const onPostgres = await withApp(ctx, 'postgres', { DATABASE_URL: ingestDb.url }, (app, http) => runScenario(ctx, app, http, batches, 'postgres'));
    rows.push(compared(`${BATCHES} · PostgreSQL ÷ embedded store`, onPostgres, embedded.recordsPerSecond, 'embedded', 0.5));

    ctx.log('postgres: single records at c64, one instance');
    const one = await withApp(ctx, 'postgres-one', { DATABASE_URL: ingestDb.url }, (app, http) => runScenario(ctx, app, http, singles, 'postgres-one'));
    const peer = await postgresPeer(ctx);
    rows.push(compared(`${SINGLES} · app on PostgreSQL ÷ PostgreSQL peer (in-process, pg, one txn per request)`, one, peer.recordsPerSecond, 'peer', 1));

    ctx.log('postgres: single records at c64, two instances on one database');
    const two = await twoInstances(ctx, ingestDb.url, singles.requests + singles.warmup);
    rows.push({
      section: SECTION,
      case: `${SINGLES} · two instances on one database ÷ one instance`,
      result: `${int(two.recordsPerSecond)} rec/s (p50 ${ms(two.p50Ms)} ms · p99 ${ms(two.p99Ms)} ms) against ${int(one.recordsPerSecond)}: ${ratio(two.recordsPerSecond / one.recordsPerSecond)}`,
      target: '≥ 1.0×',
      status: two.recordsPerSecond >= one.recordsPerSecond ? 'met' : 'missed',
      figures: { ...two, oneInstanceRecordsPerSecond: one.recordsPerSecond, times: round(two.recordsPerSecond / one.recordsPerSecond, 2) },
    });

    ctx.log('postgres: bot turns');
    const turns = await runBotTurns(ctx, { env: { DATABASE_URL: botDb.url }, section: `${SECTION}: bot turns` });
    rows.push(...turns.rows);
    return { rows };
  } finally {
    await ingestDb.drop();
    await botDb.drop();
  }
}

/** A row for `ours` against `baseline` records/s, with the wanted multiple. */
function compared(name: string, ours: IngestionFigures, baseline: number, baselineName: string, wanted: number): Row {
  const times = ours.recordsPerSecond / baseline;
  return {
    section: SECTION,
    case: name,
    result:
      `${int(ours.recordsPerSecond)} rec/s · p50 ${ms(ours.p50Ms)} ms · p99 ${ms(ours.p99Ms)} ms · server ${Math.round(ours.serverCpuUsPerRecord)} µs/rec · ` +
      `${baselineName} ${int(baseline)} rec/s: ${ratio(times)}`,
    target: `≥ ${wanted.toFixed(1)}×`,
    status: times >= wanted ? 'met' : 'missed',
    figures: { ...ours, baselineRecordsPerSecond: baseline, times: round(times, 2) },
  };
}

/** Starts the app in a child process with `env`, funds the population, runs `work` and stops it. */
async function withApp<T>(ctx: BenchContext, label: string, env: Record<string, string>, work: (app: BenchChild, http: HttpClient) => Promise<T>): Promise<T> {
  const dataDir = await ctx.tempDir(`pg-${label}`);
  const app = new BenchChild('children/appProcess.ts', [dataDir, API_KEY]);
  let http: HttpClient | null = null;
  try {
    const { port } = await app.ask<{ port: number }>({ type: 'start', env }, 60_000);
    http = new HttpClient(new URL(`http://127.0.0.1:${port}`), 64, { authorization: `Bearer ${API_KEY}` });
    await prefund(http, POPULATION);
    return await work(app, http);
  } finally {
    http?.close();
    await app.stop();
  }
}

/** The in-process PostgreSQL peer (bench/peers/postgres.ts) on single records at c64, in its own process. */
async function postgresPeer(ctx: BenchContext): Promise<PeerFigures> {
  const scenario = peerScenarios(ctx.quick).find((s) => s.id === 'single-c64')!;
  const maxMs = ctx.quick ? 2_000 : 6_000;
  const child = new BenchChild('children/peerWorker.ts', ['postgres', await ctx.tempDir('pg-peer'), ctx.runId]);
  try {
    ctx.log('postgres: the PostgreSQL peer · single record · c64');
    return await child.ask<PeerFigures>({ type: 'scenario', scenario, maxMs }, maxMs * 4 + 120_000);
  } finally {
    await child.stop();
  }
}

/** Single records at c64 spread over two app instances sharing one database (alternating requests). */
async function twoInstances(ctx: BenchContext, databaseUrl: string, requests: number) {
  const apps = [0, 1].map((i) => ({ dataDir: ctx.tempDir(`pg-two-${i}`), child: null as BenchChild | null, http: null as HttpClient | null }));
  try {
    for (const app of apps) {
      app.child = new BenchChild('children/appProcess.ts', [await app.dataDir, API_KEY]);
      const { port } = await app.child.ask<{ port: number }>({ type: 'start', env: { DATABASE_URL: databaseUrl } }, 60_000);
      app.http = new HttpClient(new URL(`http://127.0.0.1:${port}`), 32, { authorization: `Bearer ${API_KEY}` });
    }
    const shape: WorkloadShape = { batchSize: 1, tenantsPerBatch: 1, population: POPULATION, oneTenant: false };
    const now = Date.now();
    const bodies = Array.from({ length: requests }, (_, n) => JSON.stringify({ records: [usageBody(`${ctx.runId}-two-${n}`, tenantOf(n, shape), n, now)] }));
    const result = await runLoad(
      { concurrency: 64, total: bodies.length, warmup: Math.round(bodies.length / 10), maxMs: ctx.quick ? 5_000 : 20_000 },
      async (i) => {
        const answer = await apps[i % 2]!.http!.json<{ accepted: number }>('POST', '/api/usage', bodies[i]!);
        if (answer.accepted !== 1) throw new Error(`a record was not accepted: ${JSON.stringify(answer).slice(0, 300)}`);
        return 1;
      },
    );
    return {
      records: result.units,
      recordsPerSecond: round(result.unitsPerSecond, 0),
      p50Ms: round(result.latency.p50, 3),
      p99Ms: round(result.latency.p99, 3),
      truncatedByTime: result.truncatedByTime,
    };
  } finally {
    for (const app of apps) {
      app.http?.close();
      await app.child?.stop();
    }
  }
}

/** A fresh database on the machine's PostgreSQL for this run, dropped (connections and all) at the end. */
async function createBenchDatabase(name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const config = await pgConnectionConfig();
  const database = `${name}_${randomBytes(3).toString('hex')}`.toLowerCase().replace(/\W/g, '_');
  const admin = new pg.Client(config);
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)} TEMPLATE template0`);
  } finally {
    await admin.end();
  }
  const url = `postgres://${encodeURIComponent(config.user!)}@${config.host}:${config.port}/${database}`;
  return {
    url,
    async drop() {
      const client = new pg.Client(config);
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(database)} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
