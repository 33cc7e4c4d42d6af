import { afterEach, describe, expect, it } from 'vitest';
import { Verb } from '../../cards/index.js';
import { cardText } from '../cards/validateCard.js';
import { buttons, startBot, type BotUnderTest, type Member } from '../e2e/support/botHarness.js';
import { startFakeConnector, waitFor, type FakeConnector } from '../e2e/support/fakeConnector.js';

/**
 * Threat: billing alerts (balances, suspensions) posted where non-admins read them (SPEC §1.12,
 * §2). Over real HTTP against the started app: a channel or group chat gets alerts only after an
 * admin there subscribed it and confirmed that every member will see them, never because an admin
 * merely wrote there, and never another tenant's.
 */
const TENANT = 'contoso';
const OTHER_TENANT = 'fabrikam';
const ALEX: Member = { id: '29:alex', aadObjectId: 'aad-alex', name: 'Alex' };
const MEGAN: Member = { id: '29:megan', aadObjectId: 'aad-megan', name: 'Megan' };
const ZOE: Member = { id: '29:zoe', aadObjectId: 'aad-zoe', name: 'Zoe' };
const CHANNEL = '19:billing@thread.tacv2';
const GROUP_CHAT = '19:finance-chat@thread.v2';
const OTHER_CHANNEL = '19:fabrikam-general@thread.tacv2';

describe('alerts in shared conversations', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function setUp(): Promise<{ connector: FakeConnector; bot: BotUnderTest }> {
    const connector = await startFakeConnector();
    const bot = await startBot(connector, { ADMIN_USER_IDS: 'aad-alex,aad-zoe' });
    cleanup.push(
      () => connector.close(),
      () => bot.stop(),
    );
    return { connector, bot };
  }

  /** Posts the bot made into a conversation on its own, not in answer to an activity (those have `teams-` ids). */
  const proactive = (connector: FakeConnector, conversationId: string) =>
    connector.calls.filter((c) => (c.kind === 'send' || c.kind === 'reply') && c.conversationId === conversationId && !c.activityId?.startsWith('teams-'));
  /** How many alert cards with this title were posted into a conversation. */
  const alertsIn = (connector: FakeConnector, conversationId: string, title: RegExp) =>
    proactive(connector, conversationId).filter((c) => c.status === 200 && title.test(cardText(c.body?.attachments?.[0]?.content))).length;

  it('a channel or group chat where an admin writes gets no alert until an admin there subscribes it; "stop alerts here" stops them', {
    timeout: 60_000,
  }, async () => {
    const { connector, bot } = await setUp();
    const personal = bot.teams(TENANT, ALEX);
    // A reply thread in the channel: the channel is the conversation.
    const channel = bot.teams(TENANT, ALEX, { id: `${CHANNEL};messageid=1700000000001`, type: 'channel' });
    const groupChat = bot.teams(TENANT, ALEX, { id: GROUP_CHAT, type: 'groupChat' });
    await personal.install();
    await bot.teams(TENANT, MEGAN, { id: CHANNEL, type: 'channel' }).say('hello');
    for (const client of [channel, groupChat]) expect(cardText((await client.say('balance')).card)).toContain('$0.00');
    const otherTenant = bot.teams(OTHER_TENANT, ZOE, { id: OTHER_CHANNEL, type: 'channel' });
    const offerElsewhere = await otherTenant.say('post alerts here');
    expect((await otherTenant.execute(buttons(offerElsewhere.card)[Verb.alertsHereConfirm]!)).status).toBe(200);

    // Usage through the operator API takes the balance below the threshold (10.00): a low-balance alert.
    expect((await bot.operator('POST', `/api/tenants/${TENANT}/funds`, { amount: '20.00', currency: 'USD', idempotencyKey: 'grant-1' })).status).toBe(200);
    expect((await bot.usage(TENANT, '15.00')).body).toMatchObject({ accepted: 1 });
    await waitFor("the admin's personal chat to get the alert", () => alertsIn(connector, personal.conversationId, /Low balance/) === 1);
    await bot.app.alerts.idle();
    for (const id of [CHANNEL, GROUP_CHAT, OTHER_CHANNEL]) expect(proactive(connector, id)).toEqual([]);

    // "post alerts here" in the channel: a card saying every member will see it; Confirm subscribes.
    const offer = await channel.say('post alerts here');
    expect(cardText(offer.card)).toContain('Every member of this channel will see the balance');
    // A non-admin pressing Confirm is refused and subscribes nothing.
    const megan = bot.teams(TENANT, MEGAN, { id: CHANNEL, type: 'channel' });
    const refused = await megan.execute(buttons(offer.card)[Verb.alertsHereConfirm]!, offer.id);
    expect(refused.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message' });
    expect((await bot.app.conversations.conversation(TENANT, CHANNEL))?.alertSubscription).toBeUndefined();
    const confirmed = await channel.execute(buttons(offer.card)[Verb.alertsHereConfirm]!, offer.id);
    expect(cardText(confirmed.body.value)).toContain('Alerts are posted here');
    expect((await bot.app.conversations.conversation(TENANT, CHANNEL))?.alertSubscription).toMatchObject({ tenantId: TENANT, by: `${TENANT}/aad-alex` });

    // The next alert (below zero) is posted in the subscribed channel too, once; not in the group chat or the other tenant's channel.
    expect((await bot.usage(TENANT, '10.00')).body).toMatchObject({ accepted: 1 });
    await waitFor('the subscribed channel to get the alert', () => alertsIn(connector, CHANNEL, /Calling suspended/) === 1);
    await waitFor('the personal chat to get it', () => alertsIn(connector, personal.conversationId, /Calling suspended/) === 1);
    await bot.app.alerts.idle();
    expect(alertsIn(connector, CHANNEL, /Calling suspended/)).toBe(1);
    for (const id of [GROUP_CHAT, OTHER_CHANNEL]) expect(proactive(connector, id)).toEqual([]);

    // "stop alerts here": the next alert (low balance again, after funds and usage) goes to the personal chat only.
    expect(cardText((await channel.say('stop alerts here')).card)).toContain('no longer posted');
    expect((await bot.operator('POST', `/api/tenants/${TENANT}/funds`, { amount: '100.00', currency: 'USD', idempotencyKey: 'grant-2' })).status).toBe(200);
    expect((await bot.usage(TENANT, '90.00')).body).toMatchObject({ accepted: 1 });
    await waitFor('the second low-balance alert in the personal chat', () => alertsIn(connector, personal.conversationId, /Low balance/) === 2);
    await bot.app.alerts.idle();
    expect(proactive(connector, CHANNEL)).toHaveLength(1); // the below-zero alert while subscribed, nothing since
    for (const id of [GROUP_CHAT, OTHER_CHANNEL]) expect(proactive(connector, id)).toEqual([]);
    expect(await bot.app.store.pendingAlerts()).toEqual([]);
  });

  it('in a personal chat, "post alerts here" explains that it always gets alerts; in Chinese too', async () => {
    const { bot } = await setUp();
    expect(cardText((await bot.teams(TENANT, ALEX).say('post alerts here')).card)).toContain('always get billing alerts in their personal chat');
    expect(cardText((await bot.teams(TENANT, { ...ALEX, locale: 'zh-CN' }).say('在这里发提醒')).card)).toContain('个人聊天始终会收到账单提醒');
    expect((await bot.app.conversations.conversationsOf(TENANT)).filter((c) => c.alertSubscription)).toEqual([]);
  });

  it("another tenant taking over a subscribed conversation id neither inherits the subscription nor gets this tenant's alerts", {
    timeout: 60_000,
  }, async () => {
    const { connector, bot } = await setUp();
    await bot.teams(TENANT, ALEX).install();
    const channel = bot.teams(TENANT, ALEX, { id: CHANNEL, type: 'channel' });
    const offer = await channel.say('post alerts here');
    await channel.execute(buttons(offer.card)[Verb.alertsHereConfirm]!, offer.id);
    // An activity of another tenant claiming the same conversation id, from that tenant's admin.
    await bot.teams(OTHER_TENANT, ZOE, { id: CHANNEL, type: 'channel' }).say('balance');
    expect((await bot.app.conversations.conversation(TENANT, CHANNEL))?.alertSubscription).toBeUndefined();

    expect((await bot.operator('POST', `/api/tenants/${TENANT}/funds`, { amount: '20.00', currency: 'USD', idempotencyKey: 'grant-1' })).status).toBe(200);
    expect((await bot.usage(TENANT, '15.00')).body).toMatchObject({ accepted: 1 });
    await waitFor('the personal chat to get the alert', () => alertsIn(connector, `a:personal-${TENANT}-${ALEX.id}`, /Low balance/) === 1);
    // Nor do the other tenant's alerts go there: its admin only wrote there, and subscribed nothing.
    expect((await bot.operator('POST', `/api/tenants/${OTHER_TENANT}/funds`, { amount: '20.00', currency: 'USD', idempotencyKey: 'grant-1' })).status).toBe(
      200,
    );
    expect((await bot.usage(OTHER_TENANT, '15.00')).body).toMatchObject({ accepted: 1 });
    await waitFor("the other tenant's alert to be delivered", async () => (await bot.app.store.pendingAlerts()).length === 0);
    await bot.app.alerts.idle();
    expect(proactive(connector, CHANNEL)).toEqual([]);
  });
});
