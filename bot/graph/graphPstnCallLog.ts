import type { GraphProblem, PstnCallLog, TimeWindow } from '../../services/graphPorts.js';
import type { Result } from '../../services/result.js';
import { forEachBatch } from './pagedCollection.js';
import type { TenantGraphClients } from './tenantGraphClients.js';

/** The PSTN call log of a tenant, read with that tenant's token (`CallRecord-PstnCalls.Read.All`, or `CallRecords.Read.All`). */
export class GraphPstnCallLog implements PstnCallLog {
  constructor(private readonly clients: TenantGraphClients) {}

  async read(tenantId: string, window: TimeWindow, onRows: (rows: unknown[]) => Promise<void>): Promise<Result<void, GraphProblem>> {
    const graph = this.clients.forTenant(tenantId);
    if (!graph.ok) return graph;
    const from = new Date(window.from).toISOString();
    const to = new Date(window.to).toISOString();
    return forEachBatch(graph.value, `/communications/callRecords/getPstnCalls(fromDateTime=${from},toDateTime=${to})`, onRows);
  }
}
