import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../scripts/build.mjs';
import { startBuilt } from '../scripts/builtBot.js';
import type { FakeMicrosoftCloud } from './fakeCloud/fakeMicrosoftCloud.js';
import { pstnCallLogRow } from './fakeCloud/pstnCallLogRows.js';
import { HOME_TENANT, SENDER, startFakeCloud } from './graphHarness.js';

const KEY = 'built-graph-key';

/**
 * The Graph chunk of the build (the Graph SDK and @azure/identity, bundled, and node-fetch from
 * dist/node_modules), which nothing else runs: the built bot, pointed at the fake Microsoft
 * cloud, syncs a tenant's calls on request.
 */
describe('the built bot with Microsoft Graph configured', () => {
  let outdir: string;
  let dataDir: string;
  let cloud: FakeMicrosoftCloud;
  let bot: Awaited<ReturnType<typeof startBuilt>>;

  beforeAll(async () => {
    outdir = await mkdtemp(path.join(os.tmpdir(), 'bot-build-graph-'));
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'bot-built-graph-'));
    await build({ outdir });
    cloud = await startFakeCloud();
    cloud.tenant(HOME_TENANT).addUser({ id: 'sender-mailbox', mail: SENDER });
    bot = await startBuilt(outdir, dataDir, {
      OPERATOR_API_KEY: KEY,
      AZURE_CLIENT_ID: cloud.clientId,
      AZURE_CLIENT_SECRET: cloud.clientSecret,
      AZURE_TENANT_ID: HOME_TENANT,
      AZURE_AUTHORITY_HOST: cloud.baseUrl,
      GRAPH_BASE_URL: cloud.baseUrl,
      GRAPH_MAIL_SENDER: SENDER,
    });
  }, 120_000);

  afterAll(async () => {
    await bot?.stop();
    await cloud?.close();
    await rm(outdir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  it('syncs a tenant from Graph on request, without any warning', async () => {
    const tenantId = randomUUID();
    const call = async (method: string, route: string, body?: unknown) => {
      const response = await fetch(`${bot.base}${route}`, {
        method,
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: await response.json() };
    };
    expect((await call('POST', `/api/tenants/${tenantId}/funds`, { amount: '10.00', currency: 'USD', idempotencyKey: 'grant-1' })).status).toBe(200);
    cloud.tenant(tenantId).publishCalls(pstnCallLogRow(Date.now(), 90, { charge: 7.5 }), pstnCallLogRow(Date.now(), 30, { charge: 1 }));

    const sync = await call('POST', `/api/tenants/${tenantId}/sync`);

    expect(sync).toMatchObject({ status: 200, body: { tenantId, read: 2, accepted: 2, rejected: [] } });
    expect((await bot.loaded()).some((url) => /\/chunks\/graphConnection-/.test(url))).toBe(true);
    expect(bot.output()).not.toMatch(/Warning|DEP0/);
  });
});
