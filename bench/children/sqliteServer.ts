/**
 * The peer over HTTP: a plain node:http server in front of better-sqlite3 (WAL, synchronous=FULL,
 * one transaction per request: bench/peers/sqlite.ts), taking the same `POST /api/usage` bodies as
 * the bot and checking each record with the bot's own schema before the same ledger work. Run by
 * the ingestion section with its data folder in argv.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { toUsageRecord, UsageBody, UsageRecordCheck } from '../../bot/operatorApi/schemas.js';
import type { UsageRecord } from '../../services/ledger/applyUsage.js';
import { processStats, serveParent } from '../lib/child.js';
import { openSqlite } from '../peers/sqlite.js';

const [dataDir] = process.argv.slice(2);
const backend = await openSqlite(dataDir!, true);

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

const server = createServer((req, res) => {
  const answer = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.method !== 'POST' || req.url !== '/api/usage') return answer(404, { error: 'not found' });
  readJson(req)
    .then(async (json) => {
      const body = UsageBody.safeParse(json);
      if (!body.success) return answer(400, { error: 'bad request' });
      const valid: UsageRecord[] = [];
      const rejected: Array<{ index: number; error: string }> = [];
      body.data.records.forEach((raw, index) => {
        const record = UsageRecordCheck.safeParse(raw);
        if (record.success) valid.push(toUsageRecord(record.data));
        else rejected.push({ index, error: record.error.message });
      });
      const outcome = await backend.ingest(valid);
      answer(200, { accepted: outcome.accepted, duplicates: outcome.duplicates, rejected: [...rejected, ...outcome.rejected] });
    })
    .catch((error: unknown) => answer(500, { error: String(error) }));
});

serveParent(
  async (message) => {
    switch (message.type) {
      case 'start':
        await backend.prefund(message.tenants as string[], message.extraLots as number);
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        return { port: (server.address() as { port: number }).port };
      case 'stats':
        return { ...processStats(), store: null };
      default:
        throw new Error(`unknown request ${message.type}`);
    }
  },
  async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await backend.close();
  },
);
