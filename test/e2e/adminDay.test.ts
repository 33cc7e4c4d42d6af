import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { record } from '../bot/operatorApi/operatorApiServer.js';
import { cardText, expectValidCard } from '../cards/validateCard.js';
import { TestClock } from '../support/memoryLedgerStore.js';
import { buttons, startBot, type BotUnderTest, type Member } from './support/botHarness.js';
import { startFakeConnector, waitFor, type FakeConnector } from './support/fakeConnector.js';

const TENANT = 'admin-day';
const WEI: Member = { id: '29:wei', aadObjectId: 'aad-wei', name: '王伟', locale: 'zh-CN' };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** What a Teams client in Shanghai sends with every activity. */
const SHANGHAI = { entities: [{ type: 'clientInfo', locale: 'zh-CN', country: 'CN', platform: 'Web', timezone: 'Asia/Shanghai' }] };
const HAN = /\p{Script=Han}/u;

/**
 * An admin's day, as Teams drives it over real HTTP: a Chinese client in Shanghai, a tenant with
 * no card yet, a month of calls by five people to seven countries, and every alert that brings:
 * low balance, new destinations, a spending spike, calling suspended, resumed. Every card and
 * every notification line reads in Chinese, in Shanghai time.
 */
describe("an admin's day in Teams, in Chinese from Shanghai", () => {
  let connector: FakeConnector;
  let bot: BotUnderTest;
  let wei: ReturnType<BotUnderTest['teams']>;

  /** Sends a message from Wei's client and returns the one card the bot answered with, and its summary. */
  async function say(text: string) {
    const id = `day-${Math.random().toString(36).slice(2)}`;
    const response = await wei.post({ type: 'message', text, id, ...SHANGHAI });
    expect(response.status).toBe(200);
    const reply = connector.calls.find((c) => c.kind === 'reply' && c.activityId === id && c.status === 200)!;
    expectValidCard(reply.body.attachments[0].content, `reply to ${text}`);
    return { card: reply.body.attachments[0].content, summary: reply.body.summary as string, text: cardText(reply.body.attachments[0].content) };
  }

  async function press(data: Record<string, unknown>) {
    const response = await wei.post({
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: data.verb, data } },
      ...SHANGHAI,
    });
    expect(response.status).toBe(200);
    return response.body.value;
  }

  /** The alerts posted into Wei's chat so far (cards whose band names the product, not answers to Wei), with their notification lines. */
  const proactive = () =>
    connector.calls
      .filter(
        (c) => (c.kind === 'send' || c.kind === 'reply') && !c.activityId?.startsWith('day-') && c.conversationId === wei.conversationId && c.status === 200,
      )
      .filter((c) => c.body?.attachments?.[0]?.content?.body?.[0]?.items?.[1]?.text === '通信点数')
      .map((c) => ({ card: c.body.attachments[0].content, summary: c.body.summary as string, text: cardText(c.body.attachments[0].content) }));

  const calls = (count: number, options: { from: number; every: number; charge: string; countries: string[]; id: string }) =>
    Array.from({ length: count }, (_, i) => {
      const start = options.from + i * options.every;
      return record(TENANT, options.charge, {
        id: `${options.id}-${i}`,
        startDateTime: new Date(start).toISOString(),
        endDateTime: new Date(start + 180_000).toISOString(),
        duration: 180,
        destinationContext: 'International',
        destinationName: options.countries[i % options.countries.length],
        userId: ['aad-wei', 'user-2', 'user-3', 'user-4', 'user-5'][i % 5],
      });
    });

  beforeAll(async () => {
    connector = await startFakeConnector();
    // A fixed time, so the suspicious calls fall in one hour: 14:30 UTC, 22:30 in Shanghai.
    bot = await startBot(connector, {}, { cardForNewTenants: null, clock: new TestClock(Date.parse('2026-03-05T14:30:00.000Z')) });
    wei = bot.teams(TENANT, WEI);
  }, 60_000);

  afterAll(async () => {
    await bot?.stop();
    await connector?.close();
  });

  it('starts with the get-started card and a card chosen, then adds funds', async () => {
    await wei.post({ type: 'conversationUpdate', membersAdded: [{ id: '28:credits-bot' }], ...SHANGHAI });
    expect(cardText(connector.cardsIn(wei.conversationId)[0]!.card)).toContain('通信额度');
    const start = await say('余额');
    expect(start.text).toContain('开始使用通信点数');
    expect(start.text).not.toContain('通话已暂停');
    expect(start.summary).toBe('开始使用通信点数');
    const payment = await say('付款方式');
    expect(payment.text).toContain('尚未登记付款方式');
    const chosen = await press({ verb: 'paymentMethod.choose', testCardId: 'visa-success' });
    expect(cardText(chosen)).toContain('Visa •••• 4242，有效期至 12/2034（测试卡）');
    const confirmation = await say('充值500');
    expect(confirmation.summary).toBe('确认充值：US$500.00');
    const receipt = await press(buttons(confirmation.card)['funds.confirm']!);
    expect(cardText(receipt)).toMatch(/充值成功[\s\S]*（中国标准时间）/);
    expect((await say('余额提醒 300')).summary).toBe('余额不足提醒：低于 US$300.00');
  }, 60_000);

  it('a month of calls: low balance, new destinations, a spike, suspended, each saying what happened in Chinese', async () => {
    const now = bot.clock.now();
    // 150 calls over 30 days to the usual countries: the first usage raises no destination alert.
    const month = calls(150, {
      from: now - 30 * DAY,
      every: (29 * DAY) / 150,
      charge: '1.50',
      countries: ['Japan', 'Germany', 'India', 'Canada', 'China', 'United Kingdom'],
      id: 'month',
    });
    expect((await bot.operator('POST', '/api/usage', { records: month })).body).toMatchObject({ accepted: 150 });
    // Then Sierra Leone, a country never called, four times in one hour for 262.00.
    const fraud = calls(4, { from: now - HOUR / 2, every: 60_000, charge: '65.50', countries: ['Sierra Leone'], id: 'fraud' });
    expect((await bot.operator('POST', '/api/usage', { records: fraud })).body).toMatchObject({ accepted: 4 });
    // Then more than is left: calling stops.
    expect(
      (
        await bot.operator('POST', '/api/usage', {
          records: calls(1, { from: now - 10 * 60_000, every: 0, charge: '20.00', countries: ['Japan'], id: 'last' }),
        })
      ).body,
    ).toMatchObject({ accepted: 1 });
    await bot.app.alerts.idle();

    const alerts = await waitFor('the alerts', () => (proactive().length >= 4 ? proactive() : false), 20_000);
    for (const alert of alerts) {
      expectValidCard(alert.card);
      expect(alert.summary).toMatch(HAN);
      expect(alert.text).toContain('时间均为中国标准时间。');
      expect(alert.text).not.toMatch(/UTC|Sierra Leone/);
    }
    const summaries = alerts.map((a) => a.summary);
    expect(summaries).toContain('余额不足：US$275.00，低于 US$300.00');
    expect(summaries).toContain('异常花费：有通话拨往塞拉利昂');
    expect(summaries).toContain('异常花费：一小时内花费 US$262.00');
    expect(summaries).toContain('通话已暂停：余额 -US$7.00');
    const spike = alerts.find((a) => a.summary.includes('一小时内'))!;
    expect(spike.text).toMatch(/过去 7 天平均每小时 US\$[\d.]+，一小时超过 US\$[\d.]+ 就会触发此提醒/);

    // No dead end: who called Sierra Leone, and where to restrict calling abroad.
    const newDestination = alerts.find((a) => a.summary.includes('塞拉利昂'))!;
    const drill = cardText(await press(buttons(newDestination.card)['usage.destination']!));
    expect(drill).toContain('拨往塞拉利昂的通话');
    expect(drill).toContain('此期间共 4 通电话，12.0 分钟，US$262.00。');
    expect(drill).toContain('王伟');
    expect(drill).toContain('Teams 管理中心');
  }, 60_000);

  it("the history sums a day's calls in Shanghai time, and the money view shows the purchase", async () => {
    const history = await say('历史记录');
    expect(history.text).toMatch(/\d{4}年\d{1,2}月\d{1,2}日 · \d+ 通电话/);
    expect(history.text).toMatch(/第 \d+–\d+ 条，共 \d+ 条/);
    expect(history.summary).toMatch(/^历史记录：第 \d+–\d+ 条，共 \d+ 条$/);
    expect(history.text).not.toContain('显示确认卡片');
    const money = cardText(await press({ verb: 'history.page', view: 'money' }));
    expect(money).toContain('+US$500.00');
    expect(money).not.toContain('通电话');
  }, 60_000);

  it('the balance card names the suspension and leads with adding funds, in four buttons and 更多', async () => {
    const balance = await say('余额');
    expect(balance.summary).toBe('通话已暂停：余额 -US$7.00');
    expect(balance.text).toContain('资金进出');
    expect(balance.card.actions.length).toBeLessThanOrEqual(4);
    expect(balance.card.actions[0]).toMatchObject({ verb: 'funds.start', title: '充值' });
    expect(balance.card.actions.at(-1)).toMatchObject({ type: 'Action.ShowCard', title: '更多' });
  }, 60_000);
});
