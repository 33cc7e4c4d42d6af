import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Verb } from '../../cards/index.js';
import { buildForNpmStart, freePort, isRunning, npmStart, type NpmStarted } from '../bot/operatorApi/botProcess.js';
import { API_KEY, record } from '../bot/operatorApi/operatorApiServer.js';
import { useTestDatabase } from '../data/postgresTestDatabase.js';
import { buttons, teamsClient, type Member } from './support/botHarness.js';
import { startFakeConnector, waitFor, type FakeConnector } from './support/fakeConnector.js';

/**
 * Three `npm start` processes (the built bot, dist/ built once before) on one fresh database, each
 * with its own port and data folder, configured by environment variables alone, driven over HTTP:
 * Teams activities through the fake Bot Connector, usage through the operator API, spread across
 * the instances; one instance's bot process is killed with SIGKILL mid-run and started again. Then
 * the ledger, the sandbox gateway's charges and the alert deliveries are compared with what was
 * acknowledged, and every instance is stopped as an operator stops it (SIGTERM to npm).
 */
const database = useTestDatabase();

const TENANTS = ['contoso', 'fabrikam', 'northwind'];
/** Usage batches an instance answers before it is killed, and again once restarted; and the two others while it is down. */
const BATCHES_BEFORE_THE_KILL = 30;
const BATCHES_WHILE_DOWN = 20;
const adminsOf = (tenantId: string): Member[] =>
  ['a', 'b'].map((who) => ({ id: `29:${tenantId}-${who}`, aadObjectId: `aad-${tenantId}-${who}`, name: `${who.toUpperCase()} of ${tenantId}` }));

interface Instance extends NpmStarted {
  port: number;
  dataDir: string;
}

const operator = async (instance: Instance, method: string, route: string, body?: unknown) => {
  const response = await fetch(`http://127.0.0.1:${instance.port}${route}`, {
    method,
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => null)) as any };
};

/** A proactive post the connector took (not an answer to one of the test's activities, all `teams-…`): an alert. */
const alertsIn = (connector: FakeConnector, conversationId: string) =>
  connector.calls.filter(
    (c) => (c.kind === 'send' || c.kind === 'reply') && c.conversationId === conversationId && c.status === 200 && !c.activityId?.startsWith('teams-'),
  );

describe('three instances on one database, one killed and restarted', () => {
  const folders: string[] = [];
  const instances: Instance[] = [];
  let connector: FakeConnector | undefined;
  beforeAll(buildForNpmStart, 180_000);
  afterAll(async () => {
    // After a failure: the bots (npm then exits), not npm, whose bot would be left running.
    for (const { pid, exited } of instances) {
      if (await isRunning(pid)) process.kill(pid, 'SIGKILL');
      await exited;
    }
    await connector?.close();
    for (const folder of folders) await rm(folder, { recursive: true, force: true });
  });

  it('moves money once, charges each recharge once and delivers each alert to each admin once', async () => {
    connector = await startFakeConnector();
    const env = { DATABASE_URL: database.url, ALERT_LEASE_SECONDS: '3' };
    const start = async (dataDir: string): Promise<Instance> => {
      const port = await freePort();
      return { ...(await npmStart(dataDir, port, env)), port, dataDir };
    };
    for (let i = 0; i < 3; i++) folders.push(await mkdtemp(path.join(os.tmpdir(), `instance-${i}-`)));
    instances.push(...(await Promise.all(folders.map(start))));
    const live = new Set(instances);
    let turn = 0;
    /** The next live instance, round robin: a load balancer. */
    const next = () => [...live][turn++ % live.size]!;
    const activityTo = (instance: () => Instance) => async (activity: Record<string, unknown>) => {
      const response = await fetch(`http://127.0.0.1:${instance().port}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    };

    // Two admins per tenant install the bot, each turn on another instance.
    const admins = TENANTS.flatMap((tenantId) =>
      adminsOf(tenantId).map((member) => ({ tenantId, member, teams: teamsClient(connector!, activityTo(next), tenantId, member) })),
    );
    for (const { teams } of admins) {
      expect((await teams.install()).status).toBe(200);
      await teams.say('balance');
    }
    const first = (tenantId: string) => admins.find((admin) => admin.tenantId === tenantId)!.teams;

    for (const tenantId of TENANTS) {
      const admin = first(tenantId);
      // The card on file, chosen on one instance, charged on the others.
      const payment = await admin.say('payment method');
      expect((await admin.execute({ ...buttons(payment.card)[Verb.paymentMethodChoose]!, testCardId: 'visa-success' }, payment.id)).status).toBe(200);
      await admin.say('auto-recharge below 20 add 100');
      // Confirm pressed on one instance and replayed on the two others at once: 50 added once.
      const confirmation = await admin.say('add 50');
      const confirm = buttons(confirmation.card)[Verb.fundsConfirm]!;
      const member = adminsOf(tenantId)[0]!;
      const presses = await Promise.all(
        instances.map((instance) =>
          teamsClient(
            connector!,
            activityTo(() => instance),
            tenantId,
            member,
          ).execute(confirm, confirmation.id),
        ),
      );
      for (const press of presses) expect(press.status).toBe(200);
    }

    // Usage from eight writers through every live instance, each batch sent once more to another
    // instance; the second instance is killed mid-way and started again.
    const acknowledged = new Set<string>();
    const sent = new Map<string, string>();
    /** Batches each instance answered 200. */
    const served = new Map<Instance, number>();
    const servedBy = (some: Iterable<Instance>) => [...some].reduce((sum, instance) => sum + (served.get(instance) ?? 0), 0);
    let writing = true;
    const writer = async (w: number) => {
      for (let round = 0; writing; round++) {
        const batch = Array.from({ length: 1 + ((w + round) % 5) }, (_, i) =>
          record(TENANTS[(w + i + round) % TENANTS.length]!, `${1 + ((w * 3 + i) % 7)}.${String((round * 13 + i) % 100).padStart(2, '0')}`),
        );
        for (const r of batch) sent.set(r.id, r.tenantId);
        for (const attempt of [0, 1]) {
          try {
            const instance = next();
            const response = await operator(instance, 'POST', '/api/usage', { records: batch });
            if (response.status !== 200) continue;
            served.set(instance, (served.get(instance) ?? 0) + 1);
            if (attempt === 0) for (const r of batch) acknowledged.add(r.id);
          } catch {
            // The instance was killed under the request.
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    const busy = (what: string, enough: () => boolean) => waitFor(what, enough, 120_000);
    await busy('each instance to take usage', () => instances.every((instance) => (served.get(instance) ?? 0) >= BATCHES_BEFORE_THE_KILL));
    // kill -9 of the bot's own process (npm ran it with exec, as its child): npm then exits too.
    const victim = instances[1]!;
    live.delete(victim);
    const killedAt = Date.now();
    process.kill(victim.pid, 'SIGKILL');
    await victim.exited;
    expect(await isRunning(victim.pid)).toBe(false);
    const servedWhenKilled = servedBy(live);
    await busy('the two left to take more usage', () => servedBy(live) >= servedWhenKilled + BATCHES_WHILE_DOWN);
    const restarted = await start(victim.dataDir);
    instances[1] = restarted;
    live.add(restarted);
    await busy('the restarted instance to take usage', () => (served.get(restarted) ?? 0) >= BATCHES_BEFORE_THE_KILL);
    writing = false;
    await Promise.all(writers);

    // Quiet: no recharge in flight, no alert left undelivered.
    await waitFor(
      'the recharges and alerts to settle',
      async () => {
        const accounts = await Promise.all(TENANTS.map(async (tenantId) => (await operator(next(), 'GET', `/api/tenants/${tenantId}/account`)).body));
        if (accounts.some((account) => account.autoRecharge.status === 'in-flight')) return false;
        return Number((await database.query('SELECT count(*) AS n FROM alert_outbox')).rows[0]!.n) === 0;
      },
      60_000,
    );

    // What each tenant raised: the outbox numbers its alerts.
    const raisedAlerts = new Map(
      (await database.query<{ tenant_id: string; alert_count: string }>('SELECT tenant_id, alert_count FROM accounts')).rows.map((r) => [
        r.tenant_id,
        Number(r.alert_count),
      ]),
    );
    for (const tenantId of TENANTS) {
      const account = (await operator(next(), 'GET', `/api/tenants/${tenantId}/account`)).body;
      const journal: Array<{ kind: string; amountMinor: number; idempotencyKey: string | null; detail: any }> = [];
      for (let after = 0; ; ) {
        const page = (await operator(next(), 'GET', `/api/tenants/${tenantId}/journal?after=${after}&limit=1000`)).body;
        journal.push(...page.entries);
        if (!page.next) break;
        after = Number(page.next);
      }
      // Every balance exact and equal to its journal and its lots.
      expect(account.balanceMinor).toBe(journal.reduce((sum, entry) => sum + entry.amountMinor, 0));
      expect(account.lots.reduce((sum: number, lot: { remainingMinor: number }) => sum + lot.remainingMinor, 0)).toBe(Math.max(account.balanceMinor, 0));
      // Every acknowledged usage record present once; nothing that was never sent.
      const charged = journal.filter((entry) => entry.kind === 'usage').map((entry) => entry.idempotencyKey!);
      expect(new Set(charged).size).toBe(charged.length);
      for (const id of charged) expect(sent.get(id)).toBe(tenantId);
      const chargedSet = new Set(charged);
      expect([...acknowledged].filter((id) => sent.get(id) === tenantId && !chargedSet.has(id))).toEqual([]);
      // The confirmed 50 added once, however often Confirm was pressed.
      const purchases = journal.filter((entry) => entry.kind === 'funds-added' && entry.detail.purpose === 'purchase');
      expect(purchases.map((entry) => entry.amountMinor)).toEqual([5_000]);
      // Each recharge attempt started once, charged once, credited once.
      const started = journal.filter((entry) => entry.kind === 'auto-recharge-started').map((entry) => entry.detail.attemptId);
      const credited = journal.filter((entry) => entry.kind === 'funds-added' && entry.detail.purpose === 'recharge');
      expect(started.length).toBeGreaterThan(0);
      expect(new Set(started).size).toBe(started.length);
      expect(new Set(credited.map((entry) => entry.detail.chargeId)).size).toBe(credited.length);
      expect(credited.length).toBe(started.length);
      // The sandbox gateway keeps one charge per key: each recharge it charged was credited once, with
      // its amount, and the purchase charged once however often Confirm was pressed.
      const charges = await database.query<{ purpose: string; amount_minor: string; charge_id: string }>(
        "SELECT purpose, amount_minor, outcome->>'chargeId' AS charge_id FROM sandbox_charges WHERE tenant_id = $1 AND outcome->>'ok' = 'true'",
        [tenantId],
      );
      const chargedFor = (purpose: string) =>
        charges.rows
          .filter((row) => row.purpose === purpose)
          .map((row) => `${row.charge_id} ${row.amount_minor}`)
          .sort();
      expect(chargedFor('auto-recharge')).toEqual(credited.map((entry) => `${entry.detail.chargeId} ${entry.amountMinor}`).sort());
      expect(chargedFor('funds')).toEqual(purchases.map((entry) => `${entry.detail.chargeId} ${entry.amountMinor}`));

      // Each alert reached each admin's chat, once; only a send in flight when the instance was killed may come twice.
      const raised = raisedAlerts.get(tenantId) ?? 0;
      expect(raised).toBeGreaterThan(0);
      for (const member of adminsOf(tenantId)) {
        const sends = alertsIn(connector, `a:personal-${tenantId}-${member.id}`);
        expect(sends.length, `alerts lost in the chat of ${member.id}`).toBeGreaterThanOrEqual(raised);
        const nearTheKill = sends.filter((send) => Math.abs(send.at - killedAt) < 2_000).length;
        expect(sends.length - raised, `alerts repeated in the chat of ${member.id}`).toBeLessThanOrEqual(Math.min(nearTheKill, 1));
      }
    }

    // Notice mail, one .eml file per alert and recipient in the outbox of the instance that sent it:
    // each in one outbox, but for the exception above: written by the killed instance just before
    // it died, unrecorded, and so again by the instance that took its alerts over; once per recipient.
    const mails = (
      await Promise.all(
        instances.map(async ({ dataDir }) => {
          const outbox = path.join(dataDir, 'outbox');
          const names = await readdir(outbox).catch(() => [] as string[]);
          return Promise.all(names.map(async (name) => ({ name, dataDir, writtenAt: (await stat(path.join(outbox, name))).mtimeMs })));
        }),
      )
    ).flat();
    expect(mails.length).toBeGreaterThan(0);
    const copies = new Map<string, typeof mails>();
    for (const mail of mails) copies.set(mail.name, [...(copies.get(mail.name) ?? []), mail]);
    const repeated = [...copies.values()].filter((same) => same.length > 1);
    for (const same of repeated) {
      const beforeTheKill = same.find((mail) => mail.dataDir === victim.dataDir && mail.writtenAt <= killedAt + 50 && killedAt - mail.writtenAt < 2_000);
      expect({ copies: same.length, beforeTheKill: Boolean(beforeTheKill) }, `mail ${same[0]!.name} in two outboxes`).toEqual({
        copies: 2,
        beforeTheKill: true,
      });
    }
    const repeatedRecipients = repeated.map((same) => same[0]!.name.replace(/^.*-([0-9a-f]{12})\.eml$/, '$1'));
    expect(new Set(repeatedRecipients).size).toBe(repeatedRecipients.length);

    // Stopped as an operator stops `npm start`: npm passes SIGTERM on, the bot drains and exits, nothing is left running.
    for (const { npm } of instances) npm.kill('SIGTERM');
    for (const { pid, exited } of instances) {
      expect(await exited).toBe(0);
      expect(await isRunning(pid)).toBe(false);
    }
  }, 240_000);
});
