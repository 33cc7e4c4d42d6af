import { afterEach, describe, expect, it } from 'vitest';
import { cardText } from '../cards/validateCard.js';
import { startBot, type BotUnderTest, type Member } from './support/botHarness.js';
import { startFakeConnector, waitFor, type FakeConnector } from './support/fakeConnector.js';

const TENANT = 'delivery-e2e';
const admin = (name: string): Member => ({ id: `29:${name}`, aadObjectId: `aad-${name}`, name });
const SUSPENDED = /Calling suspended/;

/**
 * Proactive delivery against a Bot Connector that throttles, fails and forgets conversations,
 * and across a restart: every alert reaches every admin conversation once, and the operator API
 * never waits for it.
 */
describe('proactive alert delivery', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function setUp(env: Record<string, string> = {}): Promise<{ connector: FakeConnector; bot: BotUnderTest }> {
    const connector = await startFakeConnector();
    const bot = await startBot(connector, env);
    cleanup.push(
      () => connector.close(),
      () => bot.stop(),
    );
    return { connector, bot };
  }

  /** Money in, then usage that takes the balance below zero: one "suspended" alert. */
  async function goBelowZero(bot: BotUnderTest) {
    const grant = await bot.operator('POST', `/api/tenants/${TENANT}/funds`, { amount: '20.00', currency: 'USD', idempotencyKey: `grant-${Math.random()}` });
    expect(grant.status).toBe(200);
    const started = Date.now();
    const usage = await bot.usage(TENANT, '30.00');
    expect(usage.body).toMatchObject({ accepted: 1 });
    return Date.now() - started;
  }

  it('honours 429 Retry-After, retries 5xx, drops a conversation only on 403, and never slows the usage API', async () => {
    const { connector, bot } = await setUp();
    const [throttled, flaky, removed, healthy] = ['throttled', 'flaky', 'removed', 'healthy'].map((n) => bot.teams(TENANT, admin(n)));
    for (const client of [throttled!, flaky!, removed!, healthy!]) await client.install();
    const grant = await bot.operator('POST', `/api/tenants/${TENANT}/funds`, { amount: '20.00', currency: 'USD', idempotencyKey: 'grant-1' });
    expect(grant.status).toBe(200);
    await bot.app.alerts.idle();
    connector.fail(throttled!.conversationId, { status: 429, headers: { 'retry-after': '1' } });
    connector.fail(flaky!.conversationId, { status: 500 }, { status: 503 });
    connector.failAlways(removed!.conversationId, { status: 403 });

    const started = Date.now();
    expect((await bot.usage(TENANT, '30.00')).body).toMatchObject({ accepted: 1 });
    const usageMs = Date.now() - started;
    expect(usageMs).toBeLessThan(1000);

    await waitFor(
      'the alert everywhere it can go',
      () => [throttled!, flaky!, healthy!].every((c) => connector.cardsIn(c.conversationId).some((x) => SUSPENDED.test(cardText(x.card)))),
      20_000,
    );
    await bot.app.alerts.idle();

    // Every proactive post into the conversation since the usage, failed or not.
    const attempts = (conversationId: string) =>
      connector.calls.filter(
        (c) => c.conversationId === conversationId && c.at >= started && (c.kind === 'send' || c.kind === 'reply') && !c.activityId?.startsWith('teams-'),
      );
    const throttledAttempts = attempts(throttled!.conversationId);
    expect(throttledAttempts.map((c) => c.status)).toEqual([429, 200, 200]); // low balance (throttled once), below zero
    expect(throttledAttempts[1]!.at - throttledAttempts[0]!.at).toBeGreaterThanOrEqual(950);
    expect(attempts(flaky!.conversationId).map((c) => c.status)).toEqual([500, 503, 200, 200]);
    expect(attempts(removed!.conversationId).map((c) => c.status)).toEqual([403]);
    expect(await bot.app.conversations.conversation(TENANT, removed!.conversationId)).toBeUndefined();
    expect(await bot.app.conversations.conversation(TENANT, healthy!.conversationId)).toBeDefined();
    for (const c of [throttled!, flaky!, healthy!]) expect(connector.cardsIn(c.conversationId).filter((x) => SUSPENDED.test(cardText(x.card)))).toHaveLength(1);
    expect(await bot.app.store.pendingAlerts()).toEqual([]);
  });

  it('an alert not yet delivered when the bot stops is delivered after the restart, to those who had not got it', { timeout: 60_000 }, async () => {
    const first = await setUp();
    const reached = first.bot.teams(TENANT, admin('reached'));
    const down = first.bot.teams(TENANT, admin('down'));
    await reached.install();
    await down.install();
    first.connector.failAlways(down.conversationId, { status: 500 });

    // Two alerts (low balance, then below zero): the stuck conversation holds up only itself.
    await goBelowZero(first.bot);
    await waitFor('the first admin to get it', () => first.connector.cardsIn(reached.conversationId).some((x) => SUSPENDED.test(cardText(x.card))));
    await waitFor('a failed attempt for the other', () => first.connector.calls.some((c) => c.conversationId === down.conversationId && c.status === 500));
    expect(await first.bot.app.store.pendingAlerts()).toHaveLength(2);

    const dataDir = first.bot.dataDir;
    await first.bot.stop({ keepData: true });
    cleanup.length = 0;
    first.connector.heal(down.conversationId);

    // The same Bot Connector, a new process on the same data folder.
    const bot = await startBot(first.connector, {}, { dataDir });
    cleanup.push(
      () => first.connector.close(),
      () => bot.stop(),
    );
    await waitFor('the alert after the restart', () => first.connector.cardsIn(down.conversationId).some((x) => SUSPENDED.test(cardText(x.card))), 20_000);
    await bot.app.alerts.idle();
    expect(first.connector.cardsIn(reached.conversationId).filter((x) => SUSPENDED.test(cardText(x.card)))).toHaveLength(1);
    expect(first.connector.cardsIn(down.conversationId).filter((x) => SUSPENDED.test(cardText(x.card)))).toHaveLength(1);
    expect(await bot.app.store.pendingAlerts()).toEqual([]);
    expect((await bot.outbox()).filter((f) => f.text.includes('Subject: Communications Credits: Calling suspended'))).toHaveLength(2);
  });
});
