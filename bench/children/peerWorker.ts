/**
 * Runs the peer workload against one backend in a fresh process: a fresh store per scenario,
 * pre-funded, then the measured load in this process (the ledger work is all there is to measure:
 * no HTTP), then closed and deleted.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { serveParent } from '../lib/child.js';
import { runLoad } from '../lib/load.js';
import { tenantName, tenantOf, usageRecord } from '../lib/records.js';
import { round } from '../lib/stats.js';
import type { LedgerBackend } from '../peers/backend.js';
import { openNaiveLowdb } from '../peers/naiveLowdb.js';
import { openOurs } from '../peers/ours.js';
import { openPostgres } from '../peers/postgres.js';
import { PEER_POPULATION, type BackendId, type PeerScenario } from '../peers/scenarios.js';
import { openSqlite } from '../peers/sqlite.js';

const [backendId, root, runId] = process.argv.slice(2) as [BackendId, string, string];

async function open(dir: string, scenarioId: string): Promise<LedgerBackend> {
  switch (backendId) {
    case 'ours':
      return openOurs(dir);
    case 'lowdb-naive':
      return openNaiveLowdb(dir);
    case 'sqlite-per-record':
      return openSqlite(dir, false);
    case 'sqlite-batched':
      return openSqlite(dir, true);
    case 'postgres':
      return openPostgres(`ccbench_${runId}_${process.pid}_${scenarioId.replace(/\W/g, '_')}`.toLowerCase());
  }
}

serveParent(async (message) => {
  if (message.type !== 'scenario') throw new Error(`unknown request ${message.type}`);
  const scenario = message.scenario as PeerScenario;
  const maxMs = message.maxMs as number;
  const dir = path.join(root, `${backendId}-${scenario.id}`);
  await mkdir(dir, { recursive: true });
  const backend = await open(dir, scenario.id);
  try {
    const population = scenario.shape.oneTenant ? 1 : PEER_POPULATION;
    await backend.prefund(
      Array.from({ length: population }, (_, i) => tenantName(i)),
      4,
    );
    const { shape } = scenario;
    const now = Date.now();
    const requests = Array.from({ length: scenario.requests + scenario.warmup }, (_, r) =>
      Array.from({ length: shape.batchSize }, (_, k) => {
        const n = r * shape.batchSize + k;
        return usageRecord(`${runId}-${scenario.id}-${n}`, tenantOf(n, shape), n, now);
      }),
    );
    const result = await runLoad({ concurrency: scenario.concurrency, total: requests.length, warmup: scenario.warmup, maxMs }, async (i) => {
      const outcome = await backend.ingest(requests[i]!);
      if (outcome.accepted !== shape.batchSize) throw new Error(`${backend.name}: a request was not fully accepted: ${JSON.stringify(outcome).slice(0, 300)}`);
      return outcome.accepted;
    });
    return {
      backend: backend.name,
      durability: backend.durability,
      records: result.units,
      recordsPerSecond: round(result.unitsPerSecond, 0),
      p50Ms: round(result.latency.p50, 3),
      p99Ms: round(result.latency.p99, 3),
      cpuPercent: round((result.clientCpuMs * 100) / result.elapsedMs, 0),
      truncatedByTime: result.truncatedByTime,
    };
  } finally {
    await backend.close();
    await rm(dir, { recursive: true, force: true });
  }
});
