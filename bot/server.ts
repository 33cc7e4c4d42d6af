import restify, { type Server } from 'restify';
import { answerFailuresSafely, formatJson } from './http/errorAnswers.js';
import type { Log } from './log.js';

/**
 * The restify server every endpoint shares: query strings, a reference per request (the
 * `x-request-id` header, and `reference` in every error body) and error answers that never carry
 * an error's text. There is no body parser: each route reads its own JSON body, after its own
 * authorisation and under its own limit (`http/jsonBody.ts`). Routes are registered by their owners
 * (health, operator API, Bot Framework messages).
 */
export function createServer(log: Log): Server {
  const server = restify.createServer({
    name: 'comms-credits-bot',
    handleUncaughtExceptions: false,
    formatters: { 'application/json': formatJson },
  });
  server.pre((req, res, next) => {
    res.header('x-request-id', req.getId());
    next();
  });
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
