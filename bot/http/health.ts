import type { Server } from 'restify';
import type { LedgerStore } from '../../services/ports.js';
import type { Live, NotLive, NotReady, Ready } from './healthAnswers.js';

export interface HealthDeps {
  /** The ledger store; null until it is open (the server listens first: `StartUp`). */
  store(): Pick<LedgerStore, 'health'> | null;
  /** What the start is still doing; null once every route is served. */
  starting(): string | null;
}

/**
 * `GET /healthz` (liveness: the process serves, and a store that cannot write makes it useless
 * until restarted or recovered, so 503 with the reason) and `GET /readyz` (readiness: 503 with the
 * list of what is wrong, the start under way among it; the database joins the list when there is
 * one). No key needed and no tenant data shown.
 */
export function registerHealthChecks(server: Server, deps: HealthDeps): void {
  server.get('/healthz', async (_req, res) => {
    const store = deps.store()?.health() ?? { ok: true, reason: null };
    if (store.ok) res.send(200, { status: 'ok' } satisfies Live);
    else res.send(503, { status: 'unavailable', reason: publicReason(store.reason) } satisfies NotLive);
  });
  server.get('/readyz', async (_req, res) => {
    const problems = readinessProblems(deps);
    if (problems.length === 0) res.send(200, { status: 'ready' } satisfies Ready);
    else res.send(503, { status: 'not-ready', problems } satisfies NotReady);
  });
}

function readinessProblems(deps: HealthDeps): Array<{ check: string; reason: string }> {
  const problems: Array<{ check: string; reason: string }> = [];
  const starting = deps.starting();
  if (starting !== null) problems.push({ check: 'start-up', reason: starting });
  const store = deps.store()?.health();
  if (store && !store.ok) problems.push({ check: 'store', reason: publicReason(store.reason) });
  return problems;
}

/**
 * The store's reason is written for operators, and these answers are public: a file path in it
 * (errno messages name the file) is cut, so the answer says what failed but not where data lives.
 */
function publicReason(reason: string | null): string {
  return (reason ?? 'not ok').replace(/(?:[A-Za-z]:)?(?:[\\/][^\s'"`,;()\\/]+){2,}[\\/]?/g, '<path>');
}
