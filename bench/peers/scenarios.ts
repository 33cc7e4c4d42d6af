import type { WorkloadShape } from '../lib/records.js';

export const PEER_POPULATION = 1000;

export interface PeerScenario {
  id: string;
  name: string;
  shape: WorkloadShape;
  concurrency: number;
  requests: number;
  warmup: number;
  /** Run for the per-record-transaction SQLite variant too (it differs only when a request holds many records). */
  batch: boolean;
}

export function peerScenarios(quick: boolean): PeerScenario[] {
  const many = (batchSize: number): WorkloadShape => ({ batchSize, tenantsPerBatch: Math.min(100, batchSize), population: PEER_POPULATION, oneTenant: false });
  const one = (batchSize: number): WorkloadShape => ({ batchSize, tenantsPerBatch: 1, population: 1, oneTenant: true });
  const n = (full: number) => (quick ? Math.max(3, Math.round(full / 10)) : full);
  return [
    { id: 'batch-many', name: 'batch 1,000 · 100 tenants each · c1', shape: many(1000), concurrency: 1, requests: n(40), warmup: n(4), batch: true },
    { id: 'batch-one', name: 'batch 1,000 · one tenant · c1', shape: one(1000), concurrency: 1, requests: n(40), warmup: n(4), batch: true },
    { id: 'single-c1', name: 'single record · c1', shape: many(1), concurrency: 1, requests: n(3000), warmup: n(300), batch: false },
    { id: 'single-c16', name: 'single record · c16', shape: many(1), concurrency: 16, requests: n(10_000), warmup: n(1000), batch: false },
    { id: 'single-c64', name: 'single record · c64', shape: many(1), concurrency: 64, requests: n(20_000), warmup: n(2000), batch: false },
  ];
}

export const BACKENDS = ['ours', 'lowdb-naive', 'sqlite-per-record', 'sqlite-batched', 'postgres'] as const;
export type BackendId = (typeof BACKENDS)[number];
