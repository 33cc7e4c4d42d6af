import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { memoryDeliveryRecord } from '../support/memoryDeliveryRecord.js';
import { DirectoryEmailAlertSink } from '../../bot/graph/directoryEmailAlertSink.js';
import { GraphMailer } from '../../bot/graph/graphMailer.js';
import { GraphMailSender } from '../../bot/graph/graphMailSender.js';
import { GraphRoleHolders } from '../../bot/graph/graphRoleHolders.js';
import { noticeEmail } from '../../bot/notices/noticeEmail.js';
import { emptyMailQueueState, JsonMailQueueStore } from '../../data/jsonMailQueueStore.js';
import { ROLE_TEMPLATES } from '../../services/access.js';
import type { Alert, StoredAlert } from '../../services/alerts.js';
import { DEFAULT_MAIL_QUEUE_OPTIONS, MailQueue, type MailQueueStore } from '../../services/mailQueue.js';
import { memoryDocument } from '../support/memoryDocument.js';
import { TestClock } from '../support/memoryLedgerStore.js';
import type { FakeMicrosoftCloud } from './fakeCloud/fakeMicrosoftCloud.js';
import type { FakeTenant } from './fakeCloud/fakeTenant.js';
import { fakeCloudClients, HOME_TENANT, SENDER, startFakeCloud } from './graphHarness.js';

let cloud: FakeMicrosoftCloud;
let home: FakeTenant;
beforeAll(async () => {
  cloud = await startFakeCloud();
  home = cloud.tenant(HOME_TENANT);
  home.addUser({ id: 'sender-mailbox', mail: SENDER });
});
afterAll(() => cloud.close());
afterEach(() => {
  cloud.clearFaults();
  home.sentMail.length = 0;
  home.granted.add('Mail.Send');
});

const MINUTE_MS = 60_000;

function queueFixture(store: MailQueueStore = new JsonMailQueueStore(memoryDocument(emptyMailQueueState()))) {
  const clock = new TestClock();
  const logs: string[] = [];
  const queue = new MailQueue(store, new GraphMailSender(fakeCloudClients(cloud), HOME_TENANT, SENDER), clock, (m) => logs.push(m), {
    baseDelayMs: MINUTE_MS,
    maxDelayMs: 60 * MINUTE_MS,
    rememberSentMs: 7 * 24 * 60 * MINUTE_MS,
    claimMs: DEFAULT_MAIL_QUEUE_OPTIONS.claimMs,
  });
  return { clock, queue, logs };
}

const message = (subject: string) => ({ to: ['admin@contoso.example'], subject, text: 'Balance below zero.', html: '<p>Balance below zero.</p>' });

describe('notice mail through Graph sendMail', () => {
  it('sends a queued notice once Graph answers 202, and never twice', async () => {
    const f = queueFixture();
    await f.queue.enqueue('t1', 'notice-1', message('Balance below zero'));
    await f.queue.deliverDue();

    expect(home.sentMail).toEqual([
      { sender: SENDER, to: ['admin@contoso.example'], subject: 'Balance below zero', contentType: 'HTML', content: '<p>Balance below zero.</p>' },
    ]);
    expect(await f.queue.pending()).toEqual([]);

    await f.queue.enqueue('t1', 'notice-1', message('Balance below zero'));
    await f.queue.deliverDue();
    expect(home.sentMail).toHaveLength(1);
  });

  it('keeps a notice Graph would not take, and sends it at a later try', async () => {
    const f = queueFixture();
    const outage = cloud.inject({ path: /sendMail$/, times: 1_000, status: 503 });
    await f.queue.enqueue('t1', 'notice-2', message('Auto-recharge failed'));
    await f.queue.deliverDue();

    expect(home.sentMail).toEqual([]);
    expect(await f.queue.pending()).toMatchObject([
      { id: 'notice-2', attempts: 1, nextAttemptAt: f.clock.now() + MINUTE_MS, lastError: expect.stringMatching(/unavailable: .*503/) },
    ]);
    expect(f.logs.join('\n')).toMatch(/notice-2 not sent/);

    // Not due yet: not tried.
    const tries = cloud.graphCalls(/sendMail$/).length;
    await f.queue.deliverDue();
    expect(cloud.graphCalls(/sendMail$/)).toHaveLength(tries);

    // Still failing at the next try: it waits twice as long.
    f.clock.advance(MINUTE_MS);
    await f.queue.deliverDue();
    expect(await f.queue.pending()).toMatchObject([{ attempts: 2, nextAttemptAt: f.clock.now() + 2 * MINUTE_MS }]);

    outage.times = 0;
    f.clock.advance(2 * MINUTE_MS);
    await f.queue.deliverDue();
    expect(home.sentMail.map((m) => m.subject)).toEqual(['Auto-recharge failed']);
    expect(await f.queue.pending()).toEqual([]);
  });

  it('keeps notices while the sender lacks Mail.Send, and sends them once it is granted', async () => {
    const f = queueFixture();
    home.granted.delete('Mail.Send');
    await f.queue.enqueue('t1', 'notice-3', message('Auto-recharge added funds'));
    await f.queue.deliverDue();
    expect(await f.queue.pending()).toMatchObject([{ id: 'notice-3', lastError: expect.stringMatching(/^no-consent: .*403/) }]);

    home.granted.add('Mail.Send');
    f.clock.advance(MINUTE_MS);
    await f.queue.deliverDue();
    expect(home.sentMail.map((m) => m.subject)).toEqual(['Auto-recharge added funds']);
  });

  it('keeps the queue on disk: a notice queued before a restart is sent after it', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'graph-mail-queue-'));
    try {
      const file = path.join(folder, 'graph-mail-queue.json');
      cloud.inject({ path: /sendMail$/, times: 1_000, status: 500 });
      const before = queueFixture(await JsonMailQueueStore.open(file));
      await before.queue.enqueue('t1', 'notice-4', message('Balance below zero'));
      await before.queue.deliverDue();
      expect(home.sentMail).toEqual([]);
      cloud.clearFaults();

      const after = queueFixture(await JsonMailQueueStore.open(file));
      after.clock.advance(MINUTE_MS);
      await after.queue.deliverDue();
      expect(home.sentMail.map((m) => m.subject)).toEqual(['Balance below zero']);
      expect(await after.queue.pending()).toEqual([]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('notice emails to the admins in the directory', () => {
  function sinkFixture(teamsPeople: Array<{ aadObjectId: string | null; name: string | null; email: string | null; locale: string | null }> = []) {
    const tenantId = randomUUID();
    const tenant = cloud.tenant(tenantId);
    const f = queueFixture();
    const sink = new DirectoryEmailAlertSink({
      directory: new GraphRoleHolders(fakeCloudClients(cloud)),
      admins: { people: async () => teamsPeople.map((p, i) => ({ key: `${tenantId}/${i}`, tenantId, userId: `29:${i}`, updatedAt: '', ...p })) },
      mailer: new GraphMailer(f.queue, (m) => f.logs.push(m)),
      from: { address: SENDER, name: 'Communications Credits' },
      log: memoryDeliveryRecord(),
      clock: f.clock,
    });
    const stored = (type: Alert['type'] = 'suspended'): StoredAlert =>
      ({
        id: randomUUID(),
        alert: { type, tenantId, currency: 'USD', balanceMinor: -250, at: '2026-01-15T12:00:00.000Z', thresholdMinor: 1000 },
      }) as StoredAlert;
    return { ...f, tenantId, tenant, sink, stored };
  }

  it('mails every holder of a §1.12 role, each in their own language', async () => {
    const f = sinkFixture();
    f.tenant.addUser({ id: 'ga', mail: 'ga@contoso.example', preferredLanguage: 'zh-CN' }, [ROLE_TEMPLATES.globalAdministrator]);
    f.tenant.addUser({ id: 'billing', mail: 'billing@contoso.example', preferredLanguage: 'en-US' }, [ROLE_TEMPLATES.billingAdministrator]);
    f.tenant.addUser({ id: 'telephony', mail: 'voice@contoso.example' }, [ROLE_TEMPLATES.teamsTelephonyAdministrator]);
    f.tenant.addUser({ id: 'comms', mail: 'comms@contoso.example' });
    f.tenant.addGroup('teams-comms-admins', ['comms'], [ROLE_TEMPLATES.teamsCommunicationsAdministrator]);
    f.tenant.addUser({ id: 'staff', mail: 'staff@contoso.example' });
    f.tenant.addUser({ id: 'left', mail: 'left@contoso.example', accountEnabled: false }, [ROLE_TEMPLATES.globalAdministrator]);
    f.tenant.addUser({ id: 'no-mailbox', mail: null }, [ROLE_TEMPLATES.teamsAdministrator]);
    // An app holding a role has no mailbox.
    f.tenant.assignRole('service-principal-id', ROLE_TEMPLATES.teamsAdministrator);
    const alert = f.stored('suspended');

    await f.sink.deliver(alert);
    await f.queue.deliverDue();

    const sent = new Map(home.sentMail.map((m) => [m.to[0], m]));
    expect([...sent.keys()].sort()).toEqual(['billing@contoso.example', 'comms@contoso.example', 'ga@contoso.example', 'voice@contoso.example']);
    const inChinese = noticeEmail(alert.alert, { name: null, locale: 'zh-CN' });
    const inEnglish = noticeEmail(alert.alert, { name: null, locale: 'en-US' });
    expect(sent.get('ga@contoso.example')).toMatchObject({ subject: inChinese.subject, contentType: 'HTML' });
    expect(sent.get('billing@contoso.example')?.subject).toBe(inEnglish.subject);
    expect(sent.get('voice@contoso.example')?.subject).toBe(inEnglish.subject);
    expect(inChinese.subject).not.toBe(inEnglish.subject);
  });

  it('mails the admins the bot met in Teams too, in their Teams language when the directory has none', async () => {
    const f = sinkFixture([
      { aadObjectId: 'ga', name: 'Grace', email: 'ga@contoso.example', locale: 'zh-CN' },
      { aadObjectId: 'allow-listed', name: 'Ops', email: 'ops@contoso.example', locale: 'en-GB' },
    ]);
    f.tenant.addUser({ id: 'ga', mail: 'ga@contoso.example' }, [ROLE_TEMPLATES.globalAdministrator]);
    const alert = f.stored('auto-recharge-succeeded');

    await f.sink.deliver(alert);
    await f.queue.deliverDue();

    expect(home.sentMail.map((m) => m.to[0]).sort()).toEqual(['ga@contoso.example', 'ops@contoso.example']);
    expect(home.sentMail.find((m) => m.to[0] === 'ga@contoso.example')?.subject).toBe(noticeEmail(alert.alert, { name: null, locale: 'zh-CN' }).subject);
  });

  it('mails only the three notices the source promises', async () => {
    const f = sinkFixture();
    f.tenant.addUser({ id: 'ga' }, [ROLE_TEMPLATES.globalAdministrator]);
    await f.sink.deliver(f.stored('low-balance'));
    expect(await f.queue.pending()).toEqual([]);
  });

  it('fails the delivery while the directory cannot be read, so the alert stays pending', async () => {
    const f = sinkFixture();
    f.tenant.addUser({ id: 'ga' }, [ROLE_TEMPLATES.globalAdministrator]);
    const outage = cloud.inject({ path: /roleAssignments/, times: 1_000, status: 503 });
    const alert = f.stored('auto-recharge-failed');
    await expect(f.sink.deliver(alert)).rejects.toThrow(/could not be read from the directory/);
    expect(await f.queue.pending()).toEqual([]);

    outage.times = 0;
    await f.sink.deliver(alert);
    await f.queue.deliverDue();
    expect(home.sentMail.map((m) => m.to[0])).toEqual(['ga@contoso.example']);
  });
});
