import type { Request, Response, Server } from 'restify';
import type { Log } from '../log.js';

/** Each request's log, made when first asked for: most requests never log a line, and a child log costs an allocation of its own. */
const requestLogs = new WeakMap<Request, { parent: Log; log: Log | null }>();

/** The request's log: every line carries its reference (the `x-request-id` header and error bodies' `reference`). */
export function requestLog(req: Request, fallback: Log): Log {
  const entry = requestLogs.get(req);
  if (!entry) return fallback;
  entry.log ??= entry.parent.child({ reference: req.getId() });
  return entry.log;
}

/**
 * Gives each request its reference (the `x-request-id` header) and a child log carrying it, and
 * keeps the requests under way so a shutdown can wait for them and name those it gave up on.
 */
export class RequestsInFlight {
  private readonly running = new Map<string, { what: string; since: number; res: Response }>();
  private closing = false;

  constructor(private readonly log: Log) {}

  /** Runs first on every request of `server` (createServer calls it). */
  register(server: Server): void {
    const log = this.log;
    server.pre((req: Request, res: Response, next: () => void) => {
      const reference = req.getId();
      res.header('x-request-id', reference);
      requestLogs.set(req, { parent: log, log: null });
      if (this.closing) res.setHeader('Connection', 'close');
      this.running.set(reference, { what: `${req.method} ${req.path()}`, since: Date.now(), res });
      // 'close' comes after the answer is sent or the connection is lost, whichever happens.
      res.once('close', () => this.running.delete(reference));
      next();
    });
  }

  /**
   * Shutdown: every answer from now on, and those not yet begun, closes its connection, so clients
   * holding a keep-alive connection reconnect (and are refused) rather than keep the server busy.
   */
  closeConnectionsAfterAnswers(): void {
    this.closing = true;
    for (const { res } of this.running.values()) if (!res.headersSent) res.setHeader('Connection', 'close');
  }

  get size(): number {
    return this.running.size;
  }

  /** What is still running, for the shutdown's last log line: method, path, reference and age. */
  describe(now = Date.now()): string[] {
    return [...this.running].map(([reference, { what, since }]) => `${what} (${reference}, ${Math.round((now - since) / 1000)} s)`);
  }
}
