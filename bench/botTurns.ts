import { BenchChild } from './lib/child.js';
import { API_KEY, type BenchContext, type Row } from './lib/context.js';
import { startFakeConnector, type FakeConnector } from './lib/fakeConnector.js';
import { HttpClient } from './lib/http.js';
import { runLoad } from './lib/load.js';
import { usageBody } from './lib/records.js';
import { int, ms, ratio, round, summarise } from './lib/stats.js';

const SECTION = 'Bot turns: POST /api/messages, replies through a fake Bot Connector';
const USERS = 32;

interface TurnFigures {
  bot: 'balance' | 'echo';
  concurrency: number;
  turns: number;
  turnsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
}

const tenantOfUser = (u: number) => `bench-bot-tenant-${String(u).padStart(2, '0')}`;

/**
 * Section 3: a "balance" turn (the balance card: account, the latest journal entries, the runway)
 * against an echo bot on the same adapter, endpoint code and restify setup in the same process.
 * Each of 32 admins has a personal chat in their own tenant, whose account holds 1,000 usage
 * entries already checkpointed to the journal files.
 */
export async function runBotTurns(
  ctx: BenchContext,
  options: { env?: Record<string, string>; section?: string } = {},
): Promise<{ rows: Row[]; figures: TurnFigures[] }> {
  const section = options.section ?? SECTION;
  const dataDir = await ctx.tempDir('bot');
  const connector = await startFakeConnector();
  const app = new BenchChild('children/appProcess.ts', [dataDir, API_KEY]);
  const clients: HttpClient[] = [];
  try {
    const { port, echoPort } = await app.ask<{ port: number; echoPort: number }>({ type: 'start', echo: true, env: options.env }, 60_000);
    const operator = new HttpClient(new URL(`http://127.0.0.1:${port}`), 4, { authorization: `Bearer ${API_KEY}` });
    const balanceBot = new HttpClient(new URL(`http://127.0.0.1:${port}`), USERS);
    const echoBot = new HttpClient(new URL(`http://127.0.0.1:${echoPort}`), USERS);
    clients.push(operator, balanceBot, echoBot);

    ctx.log('bot turns: giving 32 tenants a history');
    const perTenant = ctx.quick ? 200 : 1000;
    const now = Date.now();
    for (let u = 0; u < USERS; u++) {
      const tenant = tenantOfUser(u);
      await operator.json('POST', `/api/tenants/${tenant}/funds`, JSON.stringify({ amount: '500.00', currency: 'USD', idempotencyKey: 'bench-funds' }));
      const records = Array.from({ length: perTenant }, (_, k) => usageBody(`${ctx.runId}-bot-${u}-${k}`, tenant, k, now, 30));
      await operator.json('POST', '/api/usage', JSON.stringify({ records }));
    }
    await app.ask({ type: 'checkpoint' }, 120_000);

    let sequence = 0;
    const turn = async (client: HttpClient, user: number, text: string): Promise<number> => {
      const id = `bench-activity-${++sequence}`;
      const tenantId = tenantOfUser(user);
      const activity = {
        type: 'message',
        id,
        text,
        channelId: 'msteams',
        serviceUrl: connector.serviceUrl,
        timestamp: new Date().toISOString(),
        locale: 'en-US',
        from: { id: `29:bench-user-${user}`, aadObjectId: `00000000-0000-4000-8000-${String(user).padStart(12, '0')}`, name: `Admin ${user}` },
        recipient: { id: '28:credits-bot', name: 'Credits' },
        conversation: { id: `a:bench-personal-${user}`, conversationType: 'personal', tenantId },
        channelData: { tenant: { id: tenantId } },
      };
      const answer = await client.request('POST', '/api/messages', JSON.stringify(activity));
      if (answer.status !== 200) throw new Error(`"${text}" turn answered ${answer.status}: ${answer.body.slice(0, 200)}`);
      if (connector.repliesTo(id) < 1) throw new Error(`"${text}" turn ${id} answered 200 but posted no reply`);
      return 1;
    };

    // First contact of each admin (conversation stored, email looked up) is not the steady state.
    for (let u = 0; u < USERS; u++) {
      await turn(balanceBot, u, 'balance');
      await turn(echoBot, u, 'hello');
    }
    const card = connector.sample('application/vnd.microsoft.card.adaptive') as { attachments: Array<{ content: { body?: unknown[] } }> } | undefined;
    if (!card) throw new Error('the balance turn posted no Adaptive Card');

    const figures: TurnFigures[] = [];
    for (const concurrency of [1, 32]) {
      const perBlock = ctx.quick ? (concurrency === 1 ? 40 : 300) : concurrency === 1 ? 300 : 2000;
      const samples = { balance: [] as number[], echo: [] as number[] };
      const rates = { balance: [] as number[], echo: [] as number[] };
      // Echo, balance, echo, balance: both see the same conditions, drift included.
      for (const bot of ['echo', 'balance', 'echo', 'balance'] as const) {
        ctx.log(`bot turns: ${bot} · c${concurrency}`);
        const client = bot === 'echo' ? echoBot : balanceBot;
        const latencies: number[] = [];
        const result = await app.profiled(ctx.profileDir, `bot-app-${bot}-c${concurrency}`, () =>
          runLoad({ concurrency, total: perBlock, warmup: Math.round(perBlock / 10), maxMs: ctx.quick ? 5_000 : 20_000 }, async (i) => {
            const t = performance.now();
            await turn(client, i % USERS, bot === 'echo' ? 'hello there' : 'balance');
            latencies.push(performance.now() - t);
            return 1;
          }),
        );
        samples[bot].push(...latencies.slice(result.ops > 0 ? -result.ops : latencies.length));
        rates[bot].push(result.opsPerSecond);
      }
      for (const bot of ['balance', 'echo'] as const) {
        const s = summarise(samples[bot]);
        figures.push({
          bot,
          concurrency,
          turns: s.count,
          turnsPerSecond: round(rates[bot].reduce((a, b) => a + b, 0) / rates[bot].length, 0),
          p50Ms: round(s.p50, 3),
          p99Ms: round(s.p99, 3),
          meanMs: round(s.mean, 3),
        });
      }
    }
    return { rows: botRows(figures, connector, section), figures };
  } finally {
    for (const client of clients) client.close();
    await app.stop();
    await connector.close();
  }
}

function botRows(figures: TurnFigures[], connector: FakeConnector, section: string): Row[] {
  const rows: Row[] = figures.map((f) => ({
    section,
    case: `${f.bot === 'balance' ? '"balance" (balance card)' : 'echo bot (floor)'} · c${f.concurrency}`,
    result: `${int(f.turnsPerSecond)} turns/s · p50 ${ms(f.p50Ms)} ms · p99 ${ms(f.p99Ms)} ms · ${int(f.turns)} turns`,
    figures: { ...f },
  }));
  for (const concurrency of [1, 32]) {
    const balance = figures.find((f) => f.bot === 'balance' && f.concurrency === concurrency);
    const echo = figures.find((f) => f.bot === 'echo' && f.concurrency === concurrency);
    if (!balance || !echo) continue;
    const r = balance.p99Ms / echo.p99Ms;
    rows.push({
      section,
      case: `"balance" p99 ÷ echo p99 · c${concurrency}`,
      result: `${ratio(r)} (${ms(balance.p99Ms)} ms vs ${ms(echo.p99Ms)} ms; p50 ${ratio(balance.p50Ms / echo.p50Ms)})`,
      target: '≤ 1.5×',
      status: r <= 1.5 ? 'met' : 'missed',
      figures: { p99Ratio: round(r, 3), p50Ratio: round(balance.p50Ms / echo.p50Ms, 3), connectorReplies: connector.replies },
    });
  }
  return rows;
}
