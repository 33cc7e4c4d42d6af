import { PageIterator, type PageCollection } from '@microsoft/microsoft-graph-client';
import type { GraphProblem } from '../../services/graphPorts.js';
import { err, ok, type Result } from '../../services/result.js';
import type { TenantGraph } from './tenantGraphClients.js';

/**
 * Reads a Graph collection page after page (`@odata.nextLink`, followed by the SDK's PageIterator),
 * handing `onItems` at most `batchSize` items at a time and waiting for it before reading on, so a
 * long collection never sits in memory whole. Graph's failures come back as a problem; an error
 * thrown by `onItems` rejects as is.
 */
export async function forEachBatch(
  graph: TenantGraph,
  path: string,
  onItems: (items: unknown[]) => Promise<void>,
  batchSize = 1000,
): Promise<Result<void, GraphProblem>> {
  const batch: unknown[] = [];
  let iterator: PageIterator;
  try {
    const first = (await graph.client.api(path).get()) as PageCollection;
    if (!Array.isArray(first?.value)) return err({ kind: 'unavailable', message: `Graph answered ${path} without a "value" list` });
    // Returning false pauses the iterator once a batch is full; `resume` carries on from there.
    iterator = new PageIterator(graph.client, first, (item) => batch.push(item) < batchSize);
    await iterator.iterate();
  } catch (error) {
    return err(graph.problem(error));
  }
  for (;;) {
    if (batch.length > 0) await onItems(batch.splice(0));
    if (iterator.isComplete()) return ok(undefined);
    try {
      await iterator.resume();
    } catch (error) {
      return err(graph.problem(error));
    }
  }
}

/** Every item of a short collection (role assignments, group members). */
export async function readAll(graph: TenantGraph, path: string): Promise<Result<unknown[], GraphProblem>> {
  const items: unknown[] = [];
  const read = await forEachBatch(graph, path, async (batch) => void items.push(...batch));
  return read.ok ? ok(items) : read;
}
