import restify, { type Server } from 'restify';

/** Usage batches of 10,000 records fit well inside this; anything larger is refused with 413. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * The restify server every endpoint shares, with JSON bodies, query strings and `GET /healthz`.
 * Routes are registered by their owners (operator API, Bot Framework messages).
 */
export function createServer(): Server {
  const server = restify.createServer({ name: 'comms-credits-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, mapFiles: false }));
  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });
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
