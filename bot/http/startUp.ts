import type { Server } from 'restify';
import type { LedgerStore } from '../../services/ports.js';
import type { ErrorBody } from './errorAnswers.js';
import { type HealthDeps, registerHealthChecks } from './health.js';

/** Paths answered while the app starts: liveness and readiness. */
const HEALTH_PATHS = new Set(['/healthz', '/readyz']);
/** Seconds a client is told to wait before trying again while the app starts. */
const RETRY_AFTER_SECONDS = 1;

/**
 * What the start has done so far, and what the server answers meanwhile. `npm start` listens before
 * the ledger store opens (opening 1M entries takes a few hundred milliseconds, loading the rest of
 * the app as much again): until `done`, `/healthz` says the process serves, `/readyz` answers 503
 * with what is under way, and every other route 503 `starting` with Retry-After, before routing,
 * so no route runs without its store.
 */
export class StartUp implements HealthDeps {
  private underWay: string | null = 'loading and opening the ledger store';
  private openedStore: Pick<LedgerStore, 'health'> | null = null;

  /** Registers the health checks and the refusal of every other route until `done`. */
  register(server: Server): void {
    server.pre((req, res, next) => {
      if (this.underWay === null || HEALTH_PATHS.has(req.getPath())) return next();
      res.header('Retry-After', String(RETRY_AFTER_SECONDS));
      res.send(503, { error: 'starting', message: `The bot is starting (${this.underWay}).` } satisfies ErrorBody);
      return next(false);
    });
    registerHealthChecks(server, this);
  }

  storeOpened(store: Pick<LedgerStore, 'health'>, next: string): void {
    this.openedStore = store;
    this.underWay = next;
  }

  /** Every route is served from now on. */
  done(): void {
    this.underWay = null;
  }

  store(): Pick<LedgerStore, 'health'> | null {
    return this.openedStore;
  }

  starting(): string | null {
    return this.underWay;
  }
}
