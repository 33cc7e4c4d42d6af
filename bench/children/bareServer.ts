/**
 * The HTTP floor: the bot's own restify server (bot/server.ts: query and JSON body parsers) with a
 * route that answers at once without touching the ledger. What a request costs before any ledger work.
 */
import { createServer, listen } from '../../bot/server.js';
import { processStats, serveParent } from '../lib/child.js';

const server = createServer();
server.post('/floor', async (req, res) => {
  const records = (req.body as { records?: unknown[] } | undefined)?.records ?? [];
  res.send(200, { accepted: records.length, duplicates: 0, rejected: [] });
});

serveParent(
  async (message) => {
    if (message.type === 'start') return { port: await listen(server, 0, '127.0.0.1') };
    if (message.type === 'stats') return processStats();
    throw new Error(`unknown request ${message.type}`);
  },
  () => new Promise<void>((resolve) => server.close(() => resolve())),
);
