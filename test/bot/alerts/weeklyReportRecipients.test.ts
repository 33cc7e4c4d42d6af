import { describe, expect, it } from 'vitest';
import { AllowListAccessPolicy } from '../../../bot/access/allowListAccessPolicy.js';
import { AdminDirectory } from '../../../bot/alerts/adminDirectory.js';
import { memoryDeliveryRecord } from '../../support/memoryDeliveryRecord.js';
import { EmailAlertSink } from '../../../bot/alerts/emailAlertSink.js';
import { TeamsAlertSink } from '../../../bot/alerts/teamsAlertSink.js';
import { DirectoryEmailAlertSink } from '../../../bot/graph/directoryEmailAlertSink.js';
import type { Mailer, OutgoingMail } from '../../../bot/notices/mailer.js';
import type { StoredAlert } from '../../../services/alerts.js';
import { report } from '../../support/weeklyReportFixture.js';
import { ok } from '../../../services/result.js';
import { emptyConversationBook, sighting } from '../../support/conversationBookFixture.js';
import { TestClock } from '../../support/memoryLedgerStore.js';

const TENANT = 't1';
const weekly = (id: string, optedOut: string[]): StoredAlert => ({ id, alert: { ...report(), optedOut } });
const suspended: StoredAlert = { id: 's1', alert: { type: 'suspended', tenantId: TENANT, currency: 'USD', balanceMinor: -5, at: '2026-11-30T01:00:00.000Z' } };

async function setUp() {
  const book = emptyConversationBook();
  for (const user of ['alex', 'wei']) await book.remember(sighting(`conv-${user}`, { tenantId: TENANT, scope: 'personal', user }));
  await book.setEmail(TENANT, `${TENANT}/aad-alex`, 'alex@contoso.com');
  await book.setEmail(TENANT, `${TENANT}/aad-wei`, 'wei@contoso.com');
  const admins = new AdminDirectory(book, new AllowListAccessPolicy([], true));
  const sent: OutgoingMail[] = [];
  const mailer: Mailer = { send: async (mail) => void sent.push(mail) };
  const log = memoryDeliveryRecord();
  return { admins, sent, mailer, log };
}

/** Whose mailbox the weekly report reaches: every admin but those who switched it off, by either mail path. */
describe('weekly report mail recipients', () => {
  it('the outbox path mails every admin the bot met but one who switched it off, and mails nobody when all did', async () => {
    const { admins, sent, mailer, log } = await setUp();
    const sink = new EmailAlertSink({ mailer, from: { name: null, address: 'bot@contoso.com' }, admins, log, clock: new TestClock() });
    const delivered = await sink.deliver(weekly('r1', ['aad-wei']));
    expect(delivered).toEqual([{ channel: 'email', to: 'alex@contoso.com', name: 'alex' }]);
    expect(await sink.deliver(weekly('r2', ['aad-wei', 'aad-alex']))).toEqual([]);
    // Other alerts still reach everyone.
    await sink.deliver(suspended);
    expect(sent.map((m) => m.to.address)).toEqual(['alex@contoso.com', 'alex@contoso.com', 'wei@contoso.com']);
  });

  it('the Graph path leaves out directory role holders and met admins who switched it off', async () => {
    const { admins, sent, mailer, log } = await setUp();
    const directory = {
      mailboxesInRoles: async () =>
        ok([
          { userObjectId: 'AAD-WEI', address: 'wei@contoso.com', displayName: 'Wei', preferredLanguage: 'zh-CN' },
          { userObjectId: 'aad-dana', address: 'dana@contoso.com', displayName: 'Dana', preferredLanguage: null },
        ]),
    };
    const sink = new DirectoryEmailAlertSink({ directory, admins, mailer, from: { name: null, address: 'bot@contoso.com' }, log, clock: new TestClock() });
    const delivered = await sink.deliver(weekly('r1', ['aad-wei', 'aad-alex']));
    expect(delivered.map((d) => d.to)).toEqual(['dana@contoso.com']);
    expect(sent.map((m) => m.to.address)).toEqual(['dana@contoso.com']);
  });
});

describe('weekly report chat recipients', () => {
  it("reaches admins' personal chats, not a subscribed channel, and not an admin who switched it off; says whom", async () => {
    const book = emptyConversationBook();
    for (const user of ['alex', 'wei']) await book.remember(sighting(`conv-${user}`, { tenantId: TENANT, scope: 'personal', user }));
    await book.remember(sighting('19:billing@thread.tacv2', { tenantId: TENANT, scope: 'channel', user: 'alex' }));
    await book.subscribeToAlerts('19:billing@thread.tacv2', { tenantId: TENANT, by: `${TENANT}/aad-alex`, at: '2026-11-01T00:00:00.000Z' });
    const posted: string[] = [];
    const adapter = {
      async continueConversationAsync(_appId: string, reference: { conversation?: { id: string } }, logic: (context: never) => Promise<void>) {
        await logic({ sendActivity: async () => void posted.push(reference.conversation!.id) } as never);
      },
    };
    const sink = new TeamsAlertSink({
      adapter,
      appId: '',
      book,
      admins: new AdminDirectory(book, new AllowListAccessPolicy([], true)),
      log: memoryDeliveryRecord(),
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    const signal = new AbortController().signal;
    expect(await sink.deliver(weekly('r1', ['aad-wei']), signal)).toEqual([{ channel: 'teams', to: 'conv-alex', name: 'alex' }]);
    expect(posted).toEqual(['conv-alex']);
    // Handed over again (a restart): nobody gets it twice.
    expect(await sink.deliver(weekly('r1', ['aad-wei']), signal)).toEqual([]);
    // Other alerts still go to the subscribed channel.
    await sink.deliver(suspended, signal);
    expect(posted.slice(1).sort()).toEqual(['19:billing@thread.tacv2', 'conv-alex', 'conv-wei']);
  });
});
