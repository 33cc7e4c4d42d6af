/**
 * The HTTP floor: the bot's own restify server (bot/server.ts) and JSON body reader (the usage
 * batch's limit) with a route that answers at once without touching the ledger. What a request
 * costs before any ledger work.
 */
import { BODY_LIMITS, jsonBody } from '../../bot/http/jsonBody.js';
import { createLog } from '../../bot/log.js';
import { createServer, listen } from '../../bot/server.js';
import { processStats, serveParent } from '../lib/child.js';

const server = createServer(createLog({ level: 'warn', production: true }));
server.post('/floor', async (req, res) => {
  const body = await jsonBody(req, res, BODY_LIMITS.usageBatch);
  if (!body) return;
  const records = (body.value as { records?: unknown[] } | null)?.records ?? [];
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
