import { afterEach, describe, expect, it } from 'vitest';
import { weeklyReportContext } from '../../bot/alerts/weeklyReports.js';
import { readEml } from '../bot/notices/eml.js';
import { cardText, expectValidCard } from '../cards/validateCard.js';
import { TestClock } from '../support/memoryLedgerStore.js';
import { OPERATOR_KEY, startBot, type BotUnderTest, type Member } from './support/botHarness.js';
import { startFakeConnector, waitFor, type FakeConnector } from './support/fakeConnector.js';

const TENANT = 'report-e2e';
const LI: Member = { id: '29:li', aadObjectId: 'aad-li', name: 'Li Wei', locale: 'zh-CN' };
const ANA: Member = { id: '29:ana', aadObjectId: 'aad-ana', name: 'Ana Ruiz', locale: 'en-US' };
const MAX: Member = { id: '29:max', aadObjectId: 'aad-max', name: 'Max Kim', locale: 'en-US' };
const IS_REPORT = /Weekly report|周报/;

/**
 * The weekly report over Teams-shaped HTTP: scheduled by an admin in Shanghai, switched off by
 * another, raised once when due, delivered once to each admin's personal chat and mailbox across
 * a restart in the middle of sending, and sent on request through the operator API.
 */
describe('the weekly report, end to end', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function setUp(clock: TestClock, dataDir?: string, connector?: FakeConnector): Promise<{ connector: FakeConnector; bot: BotUnderTest }> {
    const fake = connector ?? (await startFakeConnector());
    const bot = await startBot(fake, {}, { clock, ...(dataDir ? { dataDir } : {}) });
    cleanup.push(...(connector ? [] : [() => fake.close()]), () => bot.stop());
    return { connector: fake, bot };
  }

  /** Three admins in personal chats with mail addresses, funds, and a week of calls; Li (in Shanghai) sets Monday 09:00, Max switches it off. */
  async function tenantWithAdmins(bot: BotUnderTest, connector: FakeConnector, clock: TestClock) {
    const clients = Object.fromEntries(
      [LI, ANA, MAX].map((member) => {
        connector.member(member.id, { email: `${member.aadObjectId.slice(4)}@contoso.com`, name: member.name });
        return [member.aadObjectId, bot.teams(TENANT, member)];
      }),
    );
    for (const client of Object.values(clients)) await client.install();
    expect((await bot.operator('POST', `/api/tenants/${TENANT}/funds`, { amount: '100.00', currency: 'USD', idempotencyKey: 'seed' })).status).toBe(200);
    const li = clients['aad-li']!;
    const id = 'set-schedule';
    await li.post({ type: 'message', id, text: '周报 周一 9点', entities: [{ type: 'clientInfo', timezone: 'Asia/Shanghai', locale: 'zh-CN' }] });
    expect(cardText(connector.repliesTo(id)[0]!.card)).toContain('周报时间已设置');
    expect(cardText((await clients['aad-max']!.say('stop weekly report')).card)).toContain('You no longer get the weekly report');
    clock.set('2026-11-25T08:00:00Z');
    expect((await bot.usage(TENANT, '3.00')).body).toMatchObject({ accepted: 1 });
    return { li, ana: clients['aad-ana']!, max: clients['aad-max']! };
  }

  const reportCards = (connector: FakeConnector, conversationId: string) =>
    connector.cardsIn(conversationId).filter((x) => x.card?.body && /Top callers|主要呼叫者/.test(cardText(x.card)));

  it('reaches each admin who did not switch it off exactly once, in chat and by mail, across a restart in the middle of sending', {
    timeout: 90_000,
  }, async () => {
    const clock = new TestClock(Date.parse('2026-11-20T00:00:00Z'));
    const first = await setUp(clock);
    const { li, ana, max } = await tenantWithAdmins(first.bot, first.connector, clock);
    const raise = (bot: BotUnderTest) => bot.app.ledger.raiseDueWeeklyReports(weeklyReportContext(bot.app.conversations));

    // Sunday 17:00 UTC is Monday 01:00 in Shanghai: not yet.
    clock.set('2026-11-29T17:00:00Z');
    expect(await raise(first.bot)).toEqual({ raised: 0 });
    // Monday 09:00 in Shanghai. Ana's chat fails until the restart.
    first.connector.failAlways(ana.conversationId, { status: 500 });
    clock.set('2026-11-30T01:00:00Z');
    expect(await raise(first.bot)).toEqual({ raised: 1 });
    await waitFor('Li to get the report', () => reportCards(first.connector, li.conversationId).length === 1);
    await waitFor('a failed attempt for Ana', () => first.connector.calls.some((c) => c.conversationId === ana.conversationId && c.status === 500));
    expect(await first.bot.app.store.pendingAlerts()).toHaveLength(1);

    const dataDir = first.bot.dataDir;
    await first.bot.stop({ keepData: true });
    cleanup.length = 0;
    cleanup.push(() => first.connector.close());
    first.connector.heal(ana.conversationId);
    clock.advance(60_000);
    const { bot } = await setUp(clock, dataDir, first.connector);

    await waitFor('Ana to get the report after the restart', () => reportCards(first.connector, ana.conversationId).length === 1, 20_000);
    await bot.app.alerts.idle();
    expect(await raise(bot)).toEqual({ raised: 0 });
    expect(await bot.app.store.pendingAlerts()).toEqual([]);
    expect([li, ana, max].map((c) => reportCards(first.connector, c.conversationId).length)).toEqual([1, 1, 0]);

    // The cards: Adaptive Card 1.5, in each admin's language, the figures of the week.
    const [liCard] = reportCards(first.connector, li.conversationId);
    const [anaCard] = reportCards(first.connector, ana.conversationId);
    for (const { card } of [liCard!, anaCard!]) {
      expectValidCard(card, 'weekly report');
      expect(card.version).toBe('1.5');
    }
    expect(cardText(liCard!.card)).toContain('周报');
    expect(cardText(liCard!.card)).toContain('US$97.00');
    expect(cardText(anaCard!.card)).toContain('Weekly report');
    expect(cardText(anaCard!.card)).toContain('$3.00 · 1 calls');

    // The mails: one each to Li and Ana (written after the restart), none to Max.
    const mails = await Promise.all((await bot.outbox()).map((f) => readEml(f.text)));
    const reportMails = mails.filter((m) => IS_REPORT.test(m.subject ?? ''));
    expect(reportMails.map((m) => m.to?.[0]?.address).sort()).toEqual(['ana@contoso.com', 'li@contoso.com']);
    const liMail = reportMails.find((m) => m.to?.[0]?.address === 'li@contoso.com')!;
    expect(liMail.subject).toBe('通信点数：周报：余额 US$97.00 · 本周消费 US$3.00');
    expect(liMail.text).toContain('主要目的地');
    expect(liMail.text).toContain('时间均为中国标准时间');
    const anaMail = reportMails.find((m) => m.to?.[0]?.address === 'ana@contoso.com')!;
    expect(anaMail.text).toContain('Top callers');
    expect(anaMail.html).toContain('<h3>Spend</h3>');
  });

  it('is sent now through the operator API, to whom it says, without counting as the week’s; and refuses what it should', { timeout: 60_000 }, async () => {
    const clock = new TestClock(Date.parse('2026-11-20T00:00:00Z'));
    const { bot, connector } = await setUp(clock);
    const { li, ana, max } = await tenantWithAdmins(bot, connector, clock);
    clock.set('2026-11-27T00:00:00Z');
    const path = `/api/tenants/${TENANT}/report`;

    const sent = await bot.operator('POST', path, {});
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ tenantId: TENANT, from: '2026-11-20T00:00:00.000Z', to: '2026-11-27T00:00:00.000Z', complete: true });
    const delivered = (sent.body.delivered as Array<{ channel: string; to: string; name: string }>).map((d) => `${d.channel} ${d.to} ${d.name}`).sort();
    expect(delivered).toEqual([
      'email ana@contoso.com Ana Ruiz',
      'email li@contoso.com Li Wei',
      `teams ${ana.conversationId} Ana Ruiz`,
      `teams ${li.conversationId} Li Wei`,
    ]);
    expect(reportCards(connector, max.conversationId)).toHaveLength(0);
    expect(reportCards(connector, li.conversationId)).toHaveLength(1);
    // No body at all is fine too.
    expect((await bot.operator('POST', path)).status).toBe(200);
    expect((await bot.journal(TENANT)).some((e) => e.kind === 'weekly-report')).toBe(false);

    // The week's still comes when due.
    clock.set('2026-11-30T01:00:00Z');
    expect(await bot.app.ledger.raiseDueWeeklyReports(weeklyReportContext(bot.app.conversations))).toEqual({ raised: 1 });

    expect((await bot.http('POST', path, {})).status).toBe(401);
    expect((await bot.http('POST', path, {}, { authorization: 'Bearer wrong' })).status).toBe(401);
    const unknown = await bot.operator('POST', '/api/tenants/no-such-tenant/report', {});
    expect(unknown).toMatchObject({ status: 404, body: { error: 'not-found' } });
    for (const hostile of [{ tenantId: 'other' }, [], 'null', '{"__proto__":{"admin":true}}', '{"a":']) {
      const answer = await bot.operator('POST', path, hostile);
      expect(answer.status, JSON.stringify(hostile)).toBe(400);
      expect(answer.body).toMatchObject({ error: 'bad-request', reference: expect.any(String) });
    }
    const auth = { authorization: `Bearer ${OPERATOR_KEY}` };
    expect((await bot.http('POST', path, 'a=1', { ...auth, 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await bot.http('POST', path, { pad: 'x'.repeat(4096) }, auth)).status).toBe(413);
    expect((await bot.http('POST', `/api/tenants/${encodeURIComponent('../etc')}/report`, {}, auth)).status).toBe(400);
    // Nothing above sent another report.
    await bot.app.alerts.idle();
    expect(reportCards(connector, li.conversationId)).toHaveLength(3);
  });
});
