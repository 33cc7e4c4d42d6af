import type { Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { Verb, type AdaptiveCard } from '../../cards/index.js';
import { cardActions, cardText, executeActions } from '../cards/validateCard.js';
import { ALEX, MEGAN, teamsBotFixture } from './support/teamsBotFixture.js';

const CHANNEL = '19:billing@thread.tacv2';
const GROUP_CHAT = '19:finance-chat@thread.v2';
const inChannel = (tenantId = 'tenant-a'): Partial<Activity> => ({
  // A reply thread in the channel: the subscription is the channel's.
  conversation: { id: `${CHANNEL};messageid=1700000000000`, conversationType: 'channel', tenantId, isGroup: true, name: '' },
});
const inGroupChat: Partial<Activity> = { conversation: { id: GROUP_CHAT, conversationType: 'groupChat', tenantId: 'tenant-a', isGroup: true, name: '' } };

const subscription = async (f: ReturnType<typeof teamsBotFixture>, id: string) => (await f.book.conversation('tenant-a', id))?.alertSubscription;

describe('Teams bot: "post alerts here" and "stop alerts here"', () => {
  it('in a channel, "post alerts here" answers with a card saying every member will see balances and alerts, and subscribes only on Confirm', async () => {
    const f = teamsBotFixture({ adminUserIds: ['aad-alex'] });
    const offer = await f.say('post alerts here', inChannel());
    expect(cardText(offer.card)).toContain('Every member of this channel will see the balance and every billing alert');
    expect(await subscription(f, CHANNEL)).toBeUndefined();

    // Action.Execute, with the same button as Action.Submit for hosts without Universal Actions.
    const [confirm] = cardActions(offer.card);
    expect(confirm).toMatchObject({
      type: 'Action.Execute',
      verb: Verb.alertsHereConfirm,
      data: { verb: Verb.alertsHereConfirm },
      fallback: { type: 'Action.Submit', data: { verb: Verb.alertsHereConfirm } },
    });

    f.clock.set('2026-04-01T10:00:00.000Z');
    const confirmed = await f.execute(offer.card, Verb.alertsHereConfirm, {}, inChannel());
    expect(confirmed.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(confirmed.body.value)).toContain('as Alex Wilber asked');
    expect(executeActions(confirmed.body.value)).toHaveLength(0);
    expect(await subscription(f, CHANNEL)).toEqual({ tenantId: 'tenant-a', by: 'tenant-a/aad-alex', at: '2026-04-01T10:00:00.000Z' });

    // Asked again, it says who subscribed it rather than offering again.
    expect(cardText((await f.say('post alerts here', inChannel())).card)).toContain('Alerts are posted here');

    const stopped = await f.say('stop alerts here', inChannel());
    expect(cardText(stopped.card)).toContain('no longer posted');
    expect(await subscription(f, CHANNEL)).toBeUndefined();
    expect(cardText((await f.say('stop alerts here', inChannel())).card)).toContain('not to this conversation');
  });

  it('in Chinese, in a group chat, confirmed through Action.Submit', async () => {
    const f = teamsBotFixture({ adminUserIds: ['aad-alex'] });
    const offer = await f.say('在这里发提醒', { ...inGroupChat, locale: 'zh-CN' });
    expect(cardText(offer.card)).toContain('此群聊的所有成员都将看到余额');
    const sent = await f.submit(offer, Verb.alertsHereConfirm, {}, { ...inGroupChat, locale: 'zh-CN' });
    expect(sent).toHaveLength(0); // the offer was replaced in place
    expect(cardText(f.shown(offer.id))).toContain('提醒会发布在这里');
    expect((await subscription(f, GROUP_CHAT))?.by).toBe('tenant-a/aad-alex');

    expect(cardText((await f.say('停止在这里发提醒', { ...inGroupChat, locale: 'zh-CN' })).card)).toContain('不再发布');
    expect(await subscription(f, GROUP_CHAT)).toBeUndefined();
    expect(cardText((await f.say('在此频道接收提醒', { ...inChannel(), locale: 'zh-CN' })).card)).toContain('此频道的所有成员');
  });

  it('refuses a non-admin: no card to confirm, and a Confirm they press subscribes nothing', async () => {
    const f = teamsBotFixture({ adminUserIds: ['aad-alex'] });
    const refused = await f.say('post alerts here', { ...inChannel(), person: MEGAN });
    expect(cardText(refused.card)).toContain('administrators');
    expect(executeActions(refused.card)).toHaveLength(0);

    const offer = await f.say('post alerts here', { ...inChannel(), person: ALEX });
    const pressed = await f.execute(offer.card, Verb.alertsHereConfirm, {}, { ...inChannel(), person: MEGAN });
    expect(pressed.body.type).toBe('application/vnd.microsoft.activity.message');
    await f.submit(offer, Verb.alertsHereConfirm, {}, { ...inChannel(), person: MEGAN });
    expect(cardText(f.shown(offer.id))).toContain('Post billing alerts here?'); // the offer stays for an admin
    expect(await subscription(f, CHANNEL)).toBeUndefined();

    expect(cardText((await f.say('stop alerts here', { ...inChannel(), person: MEGAN })).card)).toContain('administrators');
  });

  it('refuses someone who may only view (a Teams administrator): subscribing is managing', async () => {
    const f = teamsBotFixture({ access: { decide: async () => ({ ok: true, permissions: new Set(['view'] as const), via: 'directory' }) } });
    expect(cardText((await f.say('post alerts here', inChannel())).card)).toContain('Global and Billing administrators');
    const pressed = await f.invoke({ action: { type: 'Action.Execute', verb: Verb.alertsHereConfirm, data: { verb: Verb.alertsHereConfirm } } }, inChannel());
    expect(pressed.body.type).toBe('application/vnd.microsoft.activity.message');
    expect(await subscription(f, CHANNEL)).toBeUndefined();
  });

  it('in a personal chat, explains that personal chats always get alerts, and changes nothing', async () => {
    const f = teamsBotFixture({ adminUserIds: ['aad-alex'] });
    for (const text of ['post alerts here', 'stop alerts here'])
      expect(cardText((await f.say(text)).card)).toContain('always get billing alerts in their personal chat');
    expect(cardText((await f.say('在这里发提醒', { locale: 'zh-CN' })).card)).toContain('个人聊天始终会收到账单提醒');
    const forged = await f.invoke({ action: { type: 'Action.Execute', verb: Verb.alertsHereConfirm, data: { verb: Verb.alertsHereConfirm } } });
    expect(cardText(forged.body.value)).toContain('always get billing alerts');
    expect(Object.values(f.book.data.conversations).filter((c) => c.alertSubscription)).toEqual([]);
  });

  it("subscribes for the activity's tenant, whatever the card data says", async () => {
    const f = teamsBotFixture();
    await f.invoke(
      {
        action: {
          type: 'Action.Execute',
          verb: Verb.alertsHereConfirm,
          data: { verb: Verb.alertsHereConfirm, tenantId: 'tenant-b', conversationId: 'elsewhere' },
        },
      },
      inChannel('tenant-a'),
    );
    expect((await subscription(f, CHANNEL))?.tenantId).toBe('tenant-a');
    expect(await f.book.conversation('tenant-b', 'elsewhere')).toBeUndefined();
  });
});

describe('the help card', () => {
  it.each([
    ['en-US', ['post alerts here', 'stop alerts here']],
    ['zh-CN', ['在这里发提醒', '停止在这里发提醒']],
  ])('lists "post alerts here" and "stop alerts here" in %s', async (locale, commands) => {
    const f = teamsBotFixture();
    const help = cardText((await f.say(locale === 'zh-CN' ? '帮助' : 'help', { locale })).card as AdaptiveCard);
    for (const command of commands) expect(help).toContain(command);
  });
});
