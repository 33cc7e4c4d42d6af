import { BenchChild } from './lib/child.js';
import { API_KEY, type BenchContext, type Row } from './lib/context.js';
import { startFakeConnector } from './lib/fakeConnector.js';
import { HttpClient } from './lib/http.js';
import { int, ms, round, summarise } from './lib/stats.js';

const SECTION = 'Long messages: hostile text to POST /api/messages while the operator API is called';
const TENANT = 'bench-long-tenant';
const ADMIN = { id: '29:bench-long-admin', aadObjectId: '00000000-0000-4000-8000-00000000a001' };
const MEMBER = { id: '29:bench-long-member', aadObjectId: '00000000-0000-4000-8000-00000000b001' };
/** The target: no message of any length blocks the event loop for longer. */
const TARGET_MS = 50;

/** The shapes whose cost grew about quadratically in the amount recognizers, in both languages. */
const SHAPES = [
  { opening: '', unit: '1 ', locale: 'en-US' },
  { opening: 'add ', unit: '$1 ', locale: 'en-US' },
  { opening: 'auto-recharge below ', unit: '€1 ', locale: 'en-US' },
  { opening: 'add ', unit: 'one hundred and fifty dollars ', locale: 'en-US' },
  { opening: 'add ', unit: '50 usd and then some ', locale: 'en-US' },
  { opening: '', unit: '美元', locale: 'zh-CN' },
  { opening: '充值', unit: '一百', locale: 'zh-CN' },
  { opening: '自动充值', unit: '5块', locale: 'zh-CN' },
  { opening: '余额', unit: '1美元😀', locale: 'zh-CN' },
  { opening: '充值', unit: '50美元，然后再', locale: 'zh-CN' },
] as const;
/** Characters: short, just under and at the 500-character limit, and far past it (Teams allows about 28 KB). */
const LENGTHS = [40, 200, 499, 500, 2_000, 8_000];

interface Turn {
  who: 'admin' | 'member' | 'ordinary';
  text: string;
  ms: number;
  /** CPU time the bot process spent meanwhile: what the turn cost it, however busy the machine. */
  cpuMs: number;
}

interface LoopDelay {
  maxMs: number;
  p99Ms: number;
  meanMs: number;
}

/**
 * Section 5: long, number-packed messages in both languages from an administrator and from a
 * member who is not one. First alone, one at a time: each turn's time and the CPU time the bot
 * process spent on it, and the process's event-loop delay (monitorEventLoopDelay, 1 ms
 * resolution). Then again while the operator API is called, for how long those calls waited.
 * Ordinary turns ("balance", "add 50") run alongside as the reference.
 */
export async function runLongMessages(ctx: BenchContext): Promise<{ rows: Row[] }> {
  const dataDir = await ctx.tempDir('long');
  const connector = await startFakeConnector();
  const app = new BenchChild('children/appProcess.ts', [dataDir, API_KEY]);
  const clients: HttpClient[] = [];
  try {
    const { port } = await app.ask<{ port: number }>({ type: 'start', env: { ADMIN_USER_IDS: ADMIN.aadObjectId } }, 60_000);
    const base = new URL(`http://127.0.0.1:${port}`);
    const operator = new HttpClient(base, 2, { authorization: `Bearer ${API_KEY}` });
    const teams = new HttpClient(base, 2);
    clients.push(operator, teams);
    await operator.json('POST', `/api/tenants/${TENANT}/funds`, JSON.stringify({ amount: '500.00', currency: 'USD', idempotencyKey: 'bench-long-funds' }));

    let sequence = 0;
    const post = async (person: typeof ADMIN, text: string, locale: string): Promise<void> => {
      const id = `bench-long-${++sequence}`;
      const activity = {
        type: 'message',
        id,
        text,
        channelId: 'msteams',
        serviceUrl: connector.serviceUrl,
        timestamp: new Date().toISOString(),
        locale,
        from: { ...person, name: 'Bench' },
        recipient: { id: '28:credits-bot', name: 'Credits' },
        conversation: { id: `a:bench-long-${person.id}`, conversationType: 'personal', tenantId: TENANT },
        channelData: { tenant: { id: TENANT } },
      };
      const answer = await teams.request('POST', '/api/messages', JSON.stringify(activity));
      if (answer.status !== 200) throw new Error(`a ${text.length}-character message answered ${answer.status}: ${answer.body.slice(0, 200)}`);
      if (connector.repliesTo(id) !== 1) throw new Error(`a ${text.length}-character message got ${connector.repliesTo(id)} replies, not one card`);
    };
    const cpuMs = async () => (await app.ask<{ cpuMs: number }>({ type: 'stats' })).cpuMs;
    const measured = async (who: Turn['who'], text: string, locale: string): Promise<Turn> => {
      const cpuBefore = await cpuMs();
      const t = performance.now();
      await post(who === 'member' ? MEMBER : ADMIN, text, locale);
      const elapsed = performance.now() - t;
      return { who, text, ms: elapsed, cpuMs: (await cpuMs()) - cpuBefore };
    };

    // First contact of each person and the first turns of the process are not the steady state.
    for (const person of [ADMIN, MEMBER]) for (const text of ['balance', 'add 50', '充值50美元']) await post(person, text, 'en-US');

    const lengths = ctx.quick ? [200, 500, 2_000] : LENGTHS;
    const rounds = ctx.quick ? 1 : 3;
    const everyTurn = async (turn: (who: Turn['who'], text: string, locale: string) => Promise<unknown>) => {
      for (const { opening, unit, locale } of SHAPES) {
        for (const length of lengths) {
          const text = (opening + unit.repeat(Math.ceil(length / unit.length))).slice(0, length);
          await turn('member', text, locale);
          await turn('admin', text, locale);
        }
      }
      for (const text of ['balance', 'add 50', '充值50美元', 'auto-recharge below 20 add 100']) await turn('ordinary', text, 'en-US');
    };

    ctx.log('long messages: hostile text from an administrator and a member, one turn at a time');
    const turns: Turn[] = [];
    await app.ask({ type: 'loopDelayStart' });
    for (let r = 0; r < rounds; r++) await everyTurn(async (who, text, locale) => turns.push(await measured(who, text, locale)));
    const loop = await app.ask<LoopDelay>({ type: 'loopDelayStop' });

    ctx.log('long messages: again, while the operator API is called');
    const operatorMs: number[] = [];
    let sending = true;
    const prober = (async () => {
      while (sending) {
        const t = performance.now();
        await operator.json('GET', `/api/tenants/${TENANT}/account`);
        operatorMs.push(performance.now() - t);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    try {
      await everyTurn((who, text, locale) => post(who === 'member' ? MEMBER : ADMIN, text, locale));
    } finally {
      sending = false;
      await prober;
    }
    return { rows: rows(turns, loop, operatorMs) };
  } finally {
    for (const client of clients) client.close();
    await app.stop();
    await connector.close();
  }
}

function rows(turns: Turn[], loop: LoopDelay, operatorMs: number[]): Row[] {
  const out: Row[] = [];
  for (const who of ['member', 'admin', 'ordinary'] as const) {
    const mine = turns.filter((t) => t.who === who);
    const wall = summarise(mine.map((t) => t.ms));
    const cpu = summarise(mine.map((t) => t.cpuMs));
    const worst = mine.reduce((a, b) => (b.cpuMs > a.cpuMs ? b : a));
    const label = {
      member: 'from a member who is not an administrator',
      admin: 'from an administrator',
      ordinary: 'ordinary turns ("balance", "add 50"), for reference',
    }[who];
    out.push({
      section: SECTION,
      case: `worst turn, ${label}`,
      result:
        `CPU ${ms(cpu.max)} ms (${worst.text.length} chars of ${JSON.stringify(worst.text.slice(0, 12))}…), p99 ${ms(cpu.p99)} ms · ` +
        `turn ${ms(wall.max)} ms, p99 ${ms(wall.p99)} ms, p50 ${ms(wall.p50)} ms · ${int(wall.count)} turns`,
      ...(who === 'ordinary'
        ? { status: 'info' as const }
        : { target: `CPU ≤ ${TARGET_MS} ms`, status: cpu.max <= TARGET_MS ? ('met' as const) : ('missed' as const) }),
      figures: {
        who,
        turns: wall.count,
        cpuMaxMs: round(cpu.max, 3),
        cpuP99Ms: round(cpu.p99, 3),
        maxMs: round(wall.max, 3),
        p99Ms: round(wall.p99, 3),
        p50Ms: round(wall.p50, 3),
        worstLength: worst.text.length,
        worstStart: worst.text.slice(0, 40),
      },
    });
  }
  out.push({
    section: SECTION,
    case: 'event-loop delay in the bot process over those turns',
    result: `max ${ms(loop.maxMs)} ms · p99 ${ms(loop.p99Ms)} ms · mean ${ms(loop.meanMs)} ms`,
    target: `≤ ${TARGET_MS} ms`,
    status: loop.maxMs <= TARGET_MS ? 'met' : 'missed',
    figures: { ...loop },
  });
  const o = summarise(operatorMs);
  out.push({
    section: SECTION,
    case: 'operator GET …/account while they are sent again',
    result: `worst ${ms(o.max)} ms · p99 ${ms(o.p99)} ms · p50 ${ms(o.p50)} ms · ${int(o.count)} calls`,
    status: 'info',
    figures: { calls: o.count, maxMs: round(o.max, 3), p99Ms: round(o.p99, 3), p50Ms: round(o.p50, 3) },
  });
  return out;
}
