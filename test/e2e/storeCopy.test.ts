import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyConfiguredStore } from '../../bot/storeCopy.js';
import { Verb } from '../../cards/index.js';
import { cardText } from '../cards/validateCard.js';
import { useTestDatabase } from '../data/postgresTestDatabase.js';
import { buttons, startBot, type BotUnderTest, type Member } from './support/botHarness.js';
import { startFakeConnector, waitFor, type FakeConnector } from './support/fakeConnector.js';

const db = useTestDatabase();
const TENANT = 'copy-a';
const OTHER = 'copy-b';
const CHANNEL = '19:billing@thread.tacv2';
const ALEX: Member = { id: '29:alex', aadObjectId: 'aad-alex', name: 'Alex Wilber' };
const LOW_BALANCE = /Low balance/;

/**
 * Moving a deployment: a data folder with history, offers, a subscribed channel and alerts still
 * pending (Teams failing) is copied into PostgreSQL; the bot started on the database alone (a new,
 * empty DATA_DIR) answers the same balances and journals, and delivers the pending alerts.
 */
describe('npm run store:copy', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function embeddedWithHistory(connector: FakeConnector): Promise<BotUnderTest> {
    const bot = await startBot(connector);
    cleanup.push(() => rm(bot.dataDir, { recursive: true, force: true }));
    const alex = bot.teams(TENANT, ALEX);
    await alex.install();
    const channel = bot.teams(TENANT, ALEX, { id: CHANNEL, type: 'channel' });
    const offer = await channel.say('post alerts here');
    await channel.execute(buttons(offer.card)[Verb.alertsHereConfirm]!, offer.id);
    // Teams refuses every proactive post from now on: the alerts below stay pending.
    connector.failAlways(alex.conversationId, { status: 503 });
    connector.failAlways(CHANNEL, { status: 503 });

    expect((await bot.operator('POST', `/api/tenants/${TENANT}/funds`, { amount: '20.00', currency: 'USD', idempotencyKey: 'grant-1' })).status).toBe(200);
    expect((await bot.operator('POST', `/api/tenants/${OTHER}/funds`, { amount: '30.00', currency: 'USD', idempotencyKey: 'grant-1' })).status).toBe(200);
    for (const charge of ['1.25', '0.40', '2.00']) expect((await bot.usage(OTHER, charge)).body).toMatchObject({ accepted: 1 });
    // A purchase paid through the sandbox, and an offer still open.
    expect(await bot.app.ledger.offerPurchase(TENANT, { offerId: 'offer-paid', amount: '25', offeredTo: 'aad-alex' })).toMatchObject({ ok: true });
    expect(await bot.app.ledger.confirmPurchase(TENANT, 'offer-paid', 'aad-alex')).toMatchObject({ ok: true });
    expect(await bot.app.ledger.offerPurchase(TENANT, { offerId: 'offer-open', amount: '50', offeredTo: 'aad-alex' })).toMatchObject({ ok: true });
    expect((await bot.usage(TENANT, '40.00')).body).toMatchObject({ accepted: 1 });
    await waitFor('the low-balance alert to be tried in the personal chat', () =>
      connector.calls.some((c) => c.conversationId === alex.conversationId && c.status === 503),
    );
    expect((await bot.app.store.pendingAlerts()).length).toBeGreaterThan(0);
    return bot;
  }

  it('copies every tenant, key, offer, conversation and pending alert; the bot on PostgreSQL answers the same and delivers them', {
    timeout: 120_000,
  }, async () => {
    const connector = await startFakeConnector();
    cleanup.push(() => connector.close());
    const embedded = await embeddedWithHistory(connector);
    const before = {
      accounts: [await embedded.account(TENANT), await embedded.account(OTHER)],
      journals: [await embedded.journal(TENANT), await embedded.journal(OTHER)],
    };
    const env = { DATA_DIR: embedded.dataDir, DATABASE_URL: db.url };

    // While the bot runs, its folder lock refuses the copy.
    await expect(copyConfiguredStore([], env)).rejects.toThrow(/already open/);
    await embedded.stop({ keepData: true });

    const { report } = await copyConfiguredStore([], env);
    expect(report.tenants.map((t) => [t.tenantId, t.state])).toEqual([
      [TENANT, 'copied'],
      [OTHER, 'copied'],
    ]);
    expect(report.alertIds.size).toBeGreaterThan(0);
    expect(report).toMatchObject({ conversations: 2, people: 1, sandboxCharges: 1 });
    // A second run finds a database that is not empty, and with --into-non-empty finds everything copied.
    await expect(copyConfiguredStore([], env)).rejects.toThrow(/already holds rows/);
    expect((await copyConfiguredStore(['--into-non-empty'], env)).report.tenants.map((t) => t.state)).toEqual(['already-copied', 'already-copied']);

    // The bot on the database, with an empty data folder of its own, and Teams answering again.
    connector.heal(`a:personal-${TENANT}-${ALEX.id}`);
    connector.heal(CHANNEL);
    const fresh = await mkdtemp(path.join(os.tmpdir(), 'copy-target-'));
    const bot = await startBot(connector, { DATABASE_URL: db.url }, { dataDir: fresh });
    cleanup.push(() => bot.stop());
    expect(bot.app.storeDescription).toMatch(/^PostgreSQL/);
    expect([await bot.account(TENANT), await bot.account(OTHER)]).toEqual(before.accounts);
    expect([await bot.journal(TENANT), await bot.journal(OTHER)]).toEqual(before.journals);

    // The pending alert reaches the personal chat and the subscribed channel, once each.
    const alex = bot.teams(TENANT, ALEX);
    await waitFor('the pending alert in the personal chat and the channel', () =>
      [alex.conversationId, CHANNEL].every((id) => connector.cardsIn(id).some((c) => LOW_BALANCE.test(cardText(c.card)))),
    );
    await waitFor('no alert left pending', async () => (await bot.app.store.pendingAlerts()).length === 0);
    for (const id of [alex.conversationId, CHANNEL]) expect(connector.cardsIn(id).filter((c) => LOW_BALANCE.test(cardText(c.card)))).toHaveLength(1);

    // The open offer can still be confirmed (charged once, through the copied sandbox); the paid one is not paid again.
    expect(await bot.app.ledger.confirmPurchase(TENANT, 'offer-open', 'aad-alex')).toMatchObject({ ok: true, value: { replayed: false } });
    expect(await bot.app.ledger.confirmPurchase(TENANT, 'offer-paid', 'aad-alex')).toMatchObject({ ok: true, value: { replayed: true } });
    expect(await bot.app.gateway.settledCharges(0)).toHaveLength(2);
    // And a Teams turn on the database shows the same balance the operator API does.
    // (An id of its own: the first bot's activity ids are in the same connector's record.)
    expect((await alex.post({ type: 'message', text: 'balance', id: 'after-the-copy' })).status).toBe(200);
    expect(connector.repliesTo('after-the-copy').map((reply) => cardText(reply.card))).toEqual([expect.stringContaining('$55.00')]);
  });
});
