import type { Config } from '../config.js';
import type { GraphConnection, GraphConnectionDeps } from './graphConnection.js';

/**
 * The Graph connection when Graph is configured, else null. The Graph SDK and @azure/identity are
 * loaded only then: they add half a second to every start that does not need them.
 */
export async function openGraph(config: Config, deps: GraphConnectionDeps): Promise<GraphConnection | null> {
  if (!config.graph.configured) return null;
  const { GraphConnection } = await import('./graphConnection.js');
  return GraphConnection.open(config, deps);
}
