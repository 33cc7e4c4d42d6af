import type { UsageRecord } from '../../services/ledger/applyUsage.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const DESTINATIONS = [
  ['Domestic', 'United States'],
  ['International', 'Germany'],
  ['International', 'Japan'],
  ['Domestic', 'United States'],
] as const;

/**
 * A call record as the operator API takes it (Graph's pstnCallLogRow shape), charged a few cents,
 * started within the last `spreadDays` days (inside the 90-day acceptance window).
 */
export function usageBody(id: string, tenantId: string, n: number, now = Date.now(), spreadDays = 1) {
  const start = now - HOUR_MS - ((n * 7919) % Math.max(1, spreadDays * 24)) * HOUR_MS;
  const [context, name] = DESTINATIONS[n % DESTINATIONS.length]!;
  const duration = 30 + (n % 600);
  return {
    id,
    tenantId,
    startDateTime: new Date(start).toISOString(),
    endDateTime: new Date(start + duration * 1000).toISOString(),
    duration,
    charge: `0.${String(1 + (n % 40)).padStart(2, '0')}`,
    currency: 'USD',
    callType: 'user_out',
    destinationContext: context,
    destinationName: name,
    licenseCapability: 'MCOPSTNPP',
    userId: `user-${n % 50}`,
    conferenceId: null,
  };
}

/** The same record as the ledger takes it once the operator API has checked it. */
export function usageRecord(id: string, tenantId: string, n: number, now = Date.now(), spreadDays = 1): UsageRecord {
  const body = usageBody(id, tenantId, n, now, spreadDays);
  return {
    id: body.id,
    tenantId: body.tenantId,
    startDateTime: body.startDateTime,
    endDateTime: body.endDateTime,
    durationSeconds: body.duration,
    charge: body.charge,
    currency: body.currency,
    callType: body.callType,
    destinationContext: body.destinationContext,
    destinationName: body.destinationName,
    licenseCapability: body.licenseCapability,
    userId: body.userId,
    conferenceId: body.conferenceId,
  };
}

export const tenantName = (i: number): string => `bench-tenant-${String(i).padStart(4, '0')}`;

/**
 * Which tenant record `n` of a workload belongs to. Batches touch `tenantsPerBatch` tenants of a
 * population of `population` (10 records each for 100 tenants in a batch of 1,000); `oneTenant` puts
 * everything in tenant 0.
 */
export function tenantOf(n: number, shape: WorkloadShape): string {
  if (shape.oneTenant) return tenantName(0);
  const batch = Math.floor(n / shape.batchSize);
  const perTenant = Math.max(1, Math.floor(shape.batchSize / shape.tenantsPerBatch));
  const slot = Math.floor((n % shape.batchSize) / perTenant) % shape.tenantsPerBatch;
  return tenantName((batch * shape.tenantsPerBatch + slot) % shape.population);
}

export interface WorkloadShape {
  batchSize: number;
  tenantsPerBatch: number;
  population: number;
  oneTenant: boolean;
}

export { DAY_MS };
