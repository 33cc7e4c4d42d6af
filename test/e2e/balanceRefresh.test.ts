import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Verb } from '../../cards/index.js';
import { cardText, expectValidCard } from '../cards/validateCard.js';
import { startBot, type BotUnderTest, type Member } from './support/botHarness.js';
import { startFakeConnector, type FakeConnector } from './support/fakeConnector.js';

const ALEX: Member = { id: '29:alex', aadObjectId: 'aad-alex', name: 'Alex Wilber' };
const MEGAN: Member = { id: '29:megan', aadObjectId: 'aad-megan', name: 'Megan Bowen' };
const TENANT = 'contoso-refresh';
const DAY = 86_400_000;

/**
 * Balance cards that stay current (Universal Actions `refresh`), over the bot's HTTP endpoint: a
 * balance card found days later in the chat is refreshed by Teams with an `adaptiveCard/action`
 * invoke (trigger `automatic`), answered with today's card; nothing moves or is written.
 */
describe('the balance card refreshes itself', () => {
  let connector: FakeConnector;
  let bot: BotUnderTest;

  beforeAll(async () => {
    connector = await startFakeConnector();
    bot = await startBot(connector, { ADMIN_USER_IDS: 'aad-alex' });
  });
  afterAll(async () => {
    await bot?.stop();
    await connector?.close();
  });

  it('an old balance card refreshed days later shows today’s balance, and writes nothing', async () => {
    const alex = bot.teams(TENANT, ALEX);
    expect((await bot.operator('POST', `/api/tenants/${TENANT}/funds`, { amount: '80.00', currency: 'USD', idempotencyKey: 'seed' })).status).toBe(200);
    const old = await alex.say('balance');
    expect(cardText(old.card)).toContain('$80.00');
    expect(old.card.refresh).toMatchObject({
      action: { type: 'Action.Execute', title: 'Refresh', verb: Verb.balanceRefresh, data: { verb: Verb.balanceRefresh } },
      userIds: [ALEX.id],
    });

    // Days later calls have been charged; the admin scrolls back to the old card.
    bot.clock.advance(3 * DAY);
    expect((await bot.usage(TENANT, '12.34')).status).toBe(200);
    const journalBefore = await bot.journal(TENANT);
    const messagesBefore = connector.cardsIn(alex.conversationId).length;
    const refreshed = await alex.post({
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId: old.id,
      value: { action: old.card.refresh.action, trigger: 'automatic' },
    });

    expect(refreshed.status).toBe(200);
    expect(refreshed.body.statusCode).toBe(200);
    expect(refreshed.body.type).toBe('application/vnd.microsoft.card.adaptive');
    const card = refreshed.body.value;
    expectValidCard(card);
    expect(cardText(card)).toContain('$67.66');
    // As of now, not as of the old card.
    const asOf = (c: unknown) =>
      cardText(c)
        .split('\n')
        .find((line) => line.startsWith('As of'));
    expect(asOf(card)).toBeDefined();
    expect(asOf(card)).not.toBe(asOf(old.card));
    // The fresh card keeps refreshing itself.
    expect(card.refresh.action.verb).toBe(Verb.balanceRefresh);
    expect(card.refresh.userIds).toContain(ALEX.id);
    expect(await bot.journal(TENANT)).toEqual(journalBefore);
    expect(connector.cardsIn(alex.conversationId)).toHaveLength(messagesBefore);
  });

  it('someone who may not see the balance gets a card without it, as a card, and nothing is written', async () => {
    const megan = bot.teams(TENANT, MEGAN);
    const journalBefore = await bot.journal(TENANT);
    const refreshed = await megan.post({
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: Verb.balanceRefresh, data: { verb: Verb.balanceRefresh } }, trigger: 'automatic' },
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expectValidCard(refreshed.body.value);
    expect(cardText(refreshed.body.value)).not.toContain('$');
    expect(refreshed.body.value.refresh).toBeUndefined();
    expect(await bot.journal(TENANT)).toEqual(journalBefore);
  });

  it('a refresh for a tenant the ledger does not know opens no account', async () => {
    const alex = bot.teams('tenant-never-seen', ALEX);
    const refreshed = await alex.post({
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: Verb.balanceRefresh, data: { verb: Verb.balanceRefresh } }, trigger: 'automatic' },
    });
    expect(refreshed.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect((await bot.operator('GET', '/api/tenants/tenant-never-seen/account')).status).toBe(404);
  });
});
