import { BenchChild } from './lib/child.js';
import type { BenchContext, Row } from './lib/context.js';
import { int, ms, ratio } from './lib/stats.js';
import { dropLeftoverSchemas } from './peers/postgres.js';
import { BACKENDS, peerScenarios, type BackendId } from './peers/scenarios.js';

export interface PeerFigures {
  backend: string;
  durability: string;
  records: number;
  recordsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuPercent: number;
  truncatedByTime: boolean;
}

const LABEL: Record<BackendId, string> = {
  ours: 'ours (LedgerService + lowdb WAL store)',
  'lowdb-naive': 'lowdb naive (one document, one write per change)',
  'sqlite-per-record': 'better-sqlite3 · one txn per record',
  'sqlite-batched': 'better-sqlite3 · one txn per request',
  postgres: 'PostgreSQL (pg) · one txn per request',
};

/**
 * Section 4: the same ledger workload on each backend, each in its own fresh process, in the same
 * run. Printed as records/s with "ours ÷ this" (above 1: ours is faster).
 */
export async function runPeers(ctx: BenchContext): Promise<{ rows: Row[]; figures: Record<string, Record<string, PeerFigures>> }> {
  const root = await ctx.tempDir('peers');
  const scenarios = peerScenarios(ctx.quick);
  const maxMs = ctx.quick ? 2_000 : 6_000;
  const figures: Record<string, Record<string, PeerFigures>> = {};
  const failures: Row[] = [];
  const only = process.env.BENCH_BACKENDS?.split(',');
  if (!only || only.includes('postgres')) await dropLeftoverSchemas().catch(() => undefined);
  for (const backend of BACKENDS) {
    if (only && !only.includes(backend)) continue;
    const child = new BenchChild('children/peerWorker.ts', [backend, root, ctx.runId]);
    try {
      for (const scenario of scenarios) {
        if (backend === 'sqlite-per-record' && !scenario.batch) continue;
        ctx.log(`peers: ${backend} · ${scenario.name}`);
        const f = await child.profiled(backend === 'ours' ? ctx.profileDir : null, `peers-ours-${scenario.id}`, () =>
          child.ask<PeerFigures>({ type: 'scenario', scenario, maxMs }, maxMs * 4 + 120_000),
        );
        (figures[scenario.id] ??= {})[backend] = f;
      }
    } catch (error) {
      // One peer failing (PostgreSQL down, say) must not hide the others.
      const message = error instanceof Error ? error.message : String(error);
      ctx.log(`peers: ${backend} failed: ${message}`);
      failures.push({
        section: 'Peers: same ledger work, same durability (in-process)',
        case: `${LABEL[backend]} FAILED`,
        result: message.split('\n')[0]!.slice(0, 200),
        figures: { error: message },
      });
    } finally {
      await child.stop();
    }
  }
  const rows: Row[] = [];
  for (const scenario of scenarios) {
    const results = figures[scenario.id] ?? {};
    const ours = results.ours;
    for (const backend of BACKENDS) {
      const f = results[backend];
      if (!f) continue;
      const vsOurs = ours ? ours.recordsPerSecond / f.recordsPerSecond : NaN;
      const isSqliteTarget = scenario.id === 'batch-many' && backend === 'sqlite-batched';
      rows.push({
        section: 'Peers: same ledger work, same durability (in-process)',
        case: `${scenario.name} · ${LABEL[backend]}`,
        result: `${int(f.recordsPerSecond)} rec/s · p50 ${ms(f.p50Ms)} ms · p99 ${ms(f.p99Ms)} ms${backend === 'ours' ? '' : ` · ours ÷ this ${ratio(vsOurs)}`}${f.truncatedByTime ? ` (time cap, ${int(f.records)} records)` : ''}`,
        target: isSqliteTarget ? 'ours ÷ sqlite ≥ 1.0×' : undefined,
        status: isSqliteTarget ? (vsOurs >= 1 ? 'met' : 'missed') : undefined,
        figures: { scenario: scenario.name, ...f, oursDividedByThis: backend === 'ours' ? 1 : Number(vsOurs.toFixed(3)) },
      });
    }
  }
  rows.push(...failures);
  return { rows, figures };
}
