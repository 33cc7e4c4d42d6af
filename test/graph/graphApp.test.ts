import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noticeEmail } from '../../bot/notices/noticeEmail.js';
import { ROLE_TEMPLATES } from '../../services/access.js';
import { ApiContract } from '../bot/operatorApi/apiContract.js';
import { startOperatorApi } from '../bot/operatorApi/operatorApiServer.js';
import type { FakeMicrosoftCloud } from './fakeCloud/fakeMicrosoftCloud.js';
import type { FakeTenant } from './fakeCloud/fakeTenant.js';
import { pstnCallLogRow } from './fakeCloud/pstnCallLogRows.js';
import { HOME_TENANT, SENDER, startFakeCloud } from './graphHarness.js';

let cloud: FakeMicrosoftCloud;
let home: FakeTenant;
let api: Awaited<ReturnType<typeof startOperatorApi>>;
let contract: ApiContract;

beforeAll(async () => {
  cloud = await startFakeCloud();
  home = cloud.tenant(HOME_TENANT);
  home.addUser({ id: 'sender-mailbox', mail: SENDER });
  // Configured the way an operator would, with @azure/identity's names.
  api = await startOperatorApi({
    AZURE_CLIENT_ID: cloud.clientId,
    AZURE_CLIENT_SECRET: cloud.clientSecret,
    AZURE_TENANT_ID: HOME_TENANT,
    AZURE_AUTHORITY_HOST: cloud.baseUrl,
    GRAPH_BASE_URL: cloud.baseUrl,
    GRAPH_MAIL_SENDER: SENDER,
  });
  contract = await ApiContract.load(api.base);
});
afterAll(async () => {
  await api?.stop();
  await cloud?.close();
});

async function eventually<T>(read: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the app with Microsoft Graph configured', () => {
  it('syncs a tenant on request, shows when in its account, and mails the admins when the balance falls below zero', async () => {
    const tenantId = randomUUID();
    const tenant = cloud.tenant(tenantId);
    tenant.addUser({ id: 'ga', mail: 'ga@contoso.example', preferredLanguage: 'zh-CN' }, [ROLE_TEMPLATES.globalAdministrator]);
    expect((await api.call('POST', `/api/tenants/${tenantId}/funds`, { amount: '10.00', currency: 'USD', idempotencyKey: 'grant-1' })).status).toBe(200);
    const now = Date.now();
    tenant.publishCalls(
      pstnCallLogRow(now, 90, { charge: 7.5 }),
      pstnCallLogRow(now, 60, { licenseCapability: 'MCOPSTNU', charge: 0 }),
      pstnCallLogRow(now, 30, { charge: 4.84 }),
    );

    const sync = await api.call('POST', `/api/tenants/${tenantId}/sync`);

    expect(sync.status).toBe(200);
    expect(sync.body).toMatchObject({ tenantId, read: 3, accepted: 2, duplicates: 0, skipped: 1, rejected: [] });
    expect(Date.parse(sync.body.to) - Date.parse(sync.body.from)).toBeGreaterThan(89 * 86_400_000);
    expect(contract.answerProblems('POST', `/api/tenants/${tenantId}/sync`, sync)).toEqual([]);
    const account = await api.call('GET', `/api/tenants/${tenantId}/account`);
    expect(account.body).toMatchObject({ balance: '-2.34', status: 'suspended', usageSync: { problem: null } });
    expect(contract.answerProblems('GET', `/api/tenants/${tenantId}/account`, account)).toEqual([]);
    expect(Date.parse(account.body.lastSyncAt)).toBeGreaterThanOrEqual(now);

    const again = await api.call('POST', `/api/tenants/${tenantId}/sync`);
    expect(again.body).toMatchObject({ read: 3, accepted: 0, duplicates: 2 });
    expect((await api.call('GET', `/api/tenants/${tenantId}/account`)).body.balance).toBe('-2.34');

    const mail = await eventually(() => home.sentMail.find((m) => m.to.includes('ga@contoso.example')));
    expect(mail.sender).toBe(SENDER);
    expect(mail.subject).toBe(
      noticeEmail({ type: 'suspended', tenantId, currency: 'USD', balanceMinor: -234, at: new Date().toISOString() }, { name: null, locale: 'zh-CN' }).subject,
    );
  });

  it('answers 502 with the consent link for a tenant that has not consented', async () => {
    const tenantId = randomUUID();
    cloud.tenant(tenantId).signIn = 'app-not-in-tenant';
    const sync = await api.call('POST', `/api/tenants/${tenantId}/sync`);
    expect(sync.status).toBe(502);
    expect(sync.body).toMatchObject({
      error: 'no-consent',
      message: expect.stringMatching(/AADSTS700016/),
      consentUrl: `${cloud.baseUrl}/${tenantId}/adminconsent?client_id=${cloud.clientId}`,
      read: 0,
    });
    expect(contract.answerProblems('POST', `/api/tenants/${tenantId}/sync`, sync)).toEqual([]);
    // The account shows why the last sync failed, as the document describes it.
    await api.call('POST', `/api/tenants/${tenantId}/funds`, { amount: '10.00', currency: 'USD', idempotencyKey: 'grant-1' });
    const account = await api.call('GET', `/api/tenants/${tenantId}/account`);
    expect(account.body.usageSync.problem).toMatchObject({ kind: 'no-consent', consentUrl: sync.body.consentUrl });
    expect(contract.answerProblems('GET', `/api/tenants/${tenantId}/account`, account)).toEqual([]);
  });

  it('asks for the operator key like every operator endpoint', async () => {
    const sync = await api.call('POST', `/api/tenants/${randomUUID()}/sync`, undefined, { authorization: 'Bearer wrong' });
    expect(sync.status).toBe(401);
  });
});

describe('the app without Microsoft Graph', () => {
  it('answers 503 to a sync request and says why', async () => {
    const plain = await startOperatorApi();
    try {
      const sync = await plain.call('POST', `/api/tenants/${randomUUID()}/sync`);
      expect(sync.status).toBe(503);
      expect(sync.body).toMatchObject({ error: 'graph-not-configured', message: expect.stringMatching(/AZURE_CLIENT_ID/) });
      expect(plain.app.graph).toBeNull();
    } finally {
      await plain.stop();
    }
  });
});
