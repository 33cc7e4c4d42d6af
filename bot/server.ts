import restify, { type Server, type ServerOptions } from 'restify';
import { answerFailuresSafely, formatJson } from './http/errorAnswers.js';
import { RequestsInFlight } from './http/requestTracking.js';
import type { Log } from './log.js';

/** How long an idle keep-alive connection stays open. */
const KEEP_ALIVE_MS = 65_000;

/**
 * The restify server every endpoint shares: query strings, a reference per request (the
 * `x-request-id` header, `reference` in every error body and on the request's log lines) and error answers that never carry
 * an error's text. There is no body parser: each route reads its own JSON body, after its own
 * authorisation and under its own limit (`http/jsonBody.ts`). Routes are registered by their owners
 * (health, operator API, Bot Framework messages).
 */
export function createServer(log: Log, inFlight = new RequestsInFlight(log)): Server {
  const server = restify.createServer({
    name: 'comms-credits-bot',
    // restify 11 logs through pino (its types still say bunyan): ours, so it does not make its own (pino 8, loaded then).
    log: log as unknown as ServerOptions['log'],
    handleUncaughtExceptions: false,
    formatters: { 'application/json': formatJson },
  });
  // Node closes an idle keep-alive connection after 5 s; a load balancer (Azure's keep them 4 minutes)
  // or a client that sends on it just then gets a reset. Idle connections stay longer than the
  // clients' and proxies' own idle timeouts, which then close them first; shutdown closes them at once.
  server.server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  inFlight.register(server);
  server.use(restify.plugins.queryParser({ mapParams: false }));
  answerFailuresSafely(server, log);
  return server;
}

/** Listens and resolves with the bound port (0 picks a free one, for tests). */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.removeListener('error', reject);
      resolve(server.address().port);
    });
  });
}
