import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Verb } from '../../cards/index.js';
import { cardText } from '../cards/validateCard.js';
import { useTestDatabase } from '../data/postgresTestDatabase.js';
import { buttons, startBot, type Member } from './support/botHarness.js';
import { startFakeConnector } from './support/fakeConnector.js';

const db = useTestDatabase();
const TENANT = 'shared-t';
const CHANNEL = '19:ops@thread.tacv2';
const ALEX: Member = { id: '29:alex', aadObjectId: 'aad-alex', name: 'Alex Wilber' };

/**
 * Two instances on one database, each with a data folder of its own: what one learns in Teams (a
 * conversation, a person, a channel's subscription, a chosen test card) the other knows at once, so
 * either can answer any request.
 */
describe('two instances on one PostgreSQL', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('share the conversations, people, alert subscriptions and sandbox cards', { timeout: 90_000 }, async () => {
    const connector = await startFakeConnector();
    cleanup.push(() => connector.close());
    const start = async () => {
      const bot = await startBot(connector, { DATABASE_URL: db.url }, { dataDir: await mkdtemp(path.join(os.tmpdir(), 'shared-')) });
      cleanup.push(() => bot.stop());
      return bot;
    };
    const [a, b] = [await start(), await start()];

    await a.teams(TENANT, ALEX).install();
    expect(await b.app.conversations.conversation(TENANT, `a:personal-${TENANT}-${ALEX.id}`)).toMatchObject({
      scope: 'personal',
      userKey: `${TENANT}/aad-alex`,
    });
    expect(await b.app.conversations.person(TENANT, `${TENANT}/aad-alex`)).toMatchObject({ name: 'Alex Wilber' });

    // "post alerts here" offered by one instance, confirmed on the other.
    const offer = await a.teams(TENANT, ALEX, { id: CHANNEL, type: 'channel' }).say('post alerts here');
    const confirmed = await b.teams(TENANT, ALEX, { id: CHANNEL, type: 'channel' }).execute(buttons(offer.card)[Verb.alertsHereConfirm]!, offer.id);
    expect(cardText(confirmed.body.value)).toContain('Alerts are posted here');
    expect((await a.app.conversations.conversation(TENANT, CHANNEL))?.alertSubscription).toMatchObject({ tenantId: TENANT, by: `${TENANT}/aad-alex` });

    await a.app.gateway.chooseTestCard(TENANT, 'mastercard-decline');
    expect(await b.app.gateway.cardOnFile(TENANT)).toMatchObject({ brand: 'Mastercard', last4: '0002' });
  });
});
