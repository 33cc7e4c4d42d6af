import { QUIET_LOG_LEVEL } from '../../support/captureLog.js';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../../bot/app.js';
import { loadConfig } from '../../../bot/config.js';
import type { TestCardId } from '../../../services/payments/sandboxGateway.js';
import { afterAll, beforeAll } from 'vitest';
import { TestClock } from '../../support/memoryLedgerStore.js';
import { startFakeConnector, type FakeConnector } from './fakeConnector.js';
import { record } from '../../bot/operatorApi/operatorApiServer.js';

export const OPERATOR_KEY = 'e2e-operator-key';

/** A fake app id and password, as the internet-facing setup has: the bot then demands a Bot Framework token. */
export const APP_CREDENTIALS_ENV = {
  MicrosoftAppId: '6f1c2e3d-4b5a-4c7d-8e9f-0a1b2c3d4e5f',
  MicrosoftAppPassword: 'not-a-real-secret',
  MicrosoftAppType: 'MultiTenant',
  HOST: '127.0.0.1',
};

export interface Member {
  id: string;
  aadObjectId: string;
  name: string;
  locale?: string;
}

/**
 * The whole app on a free loopback port with its own data folder and a clock the test controls,
 * talking to a fake Bot Connector. `teams(...)` makes a Teams client for one person in one tenant
 * that posts activities over HTTP exactly as Teams would.
 */
export async function startBot(
  connector: FakeConnector,
  env: Record<string, string> = {},
  options: { dataDir?: string; clock?: TestClock; cardForNewTenants?: TestCardId | null } = {},
) {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'bot-e2e-')));
  const clock = options.clock ?? new TestClock(Date.now());
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, OPERATOR_API_KEY: OPERATOR_KEY, CHECKPOINT_SECONDS: '0.2', LOG_LEVEL: QUIET_LOG_LEVEL, ...env });
  // Tenants start with the paying test card, as if an admin had chosen it, unless a test says otherwise.
  const cardForNewTenants = options.cardForNewTenants === undefined ? 'visa-success' : options.cardForNewTenants;
  const app: App = await createApp(config, { clock, delivery: { baseDelayMs: 50, maxDelayMs: 400 }, sandboxCardForNewTenants: cardForNewTenants });
  const port = await app.start();
  const base = `http://127.0.0.1:${port}`;

  async function http(method: string, route: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(base + route, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let json: any = text;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: json };
  }
  const operator = (method: string, route: string, body?: unknown) => http(method, route, body, { authorization: `Bearer ${OPERATOR_KEY}` });

  /** A Teams client for `member` in `tenantId`: a personal chat unless `conversation` names a channel or group chat. */
  const teams = (tenantId: string, member: Member, conversation: { id?: string; type?: 'personal' | 'channel' | 'groupChat' } = {}) =>
    teamsClient(connector, (activity) => http('POST', '/api/messages', activity), tenantId, member, conversation);

  return {
    app,
    clock,
    dataDir,
    base,
    http,
    operator,
    teams,
    account: async (tenantId: string) => (await operator('GET', `/api/tenants/${tenantId}/account`)).body,
    journal: async (tenantId: string) =>
      (await operator('GET', `/api/tenants/${tenantId}/journal?limit=1000`)).body.entries as Array<{ kind: string; amountMinor: number }>,
    /** Posts one usage record charging `charge` (major units) to `tenantId`. */
    usage: (tenantId: string, charge: string, id = `call-${++sequence}-${Math.random().toString(36).slice(2)}`) =>
      operator('POST', '/api/usage', { records: [record(tenantId, charge, { id }, clock.now())] }),
    /** The `.eml` files in the outbox, parsed by the caller. */
    async outbox(): Promise<Array<{ name: string; text: string }>> {
      const folder = path.join(dataDir, 'outbox');
      const names = await readdir(folder).catch(() => [] as string[]);
      return Promise.all(names.sort().map(async (name) => ({ name, text: await readFile(path.join(folder, name), 'utf8') })));
    },
    async stop({ keepData = false } = {}) {
      await app.close();
      if (!keepData) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export type BotUnderTest = Awaited<ReturnType<typeof startBot>>;

let sequence = 0;

/**
 * A Teams client for `member` in `tenantId` that posts activities exactly as Teams would, through
 * `post` (to one bot, or to whichever instance a test routes it to): a personal chat unless
 * `conversation` names a channel or group chat.
 */
export function teamsClient(
  connector: FakeConnector,
  post: (activity: Record<string, unknown>) => Promise<{ status: number; body: any }>,
  tenantId: string,
  member: Member,
  conversation: { id?: string; type?: 'personal' | 'channel' | 'groupChat' } = {},
) {
  const conversationId = conversation.id ?? `a:personal-${tenantId}-${member.id}`;
  const activity = (fields: Record<string, unknown>) => ({
    channelId: 'msteams',
    serviceUrl: connector.serviceUrl,
    id: `teams-${++sequence}`,
    timestamp: new Date().toISOString(),
    from: { id: member.id, aadObjectId: member.aadObjectId, name: member.name },
    recipient: { id: '28:credits-bot', name: 'Credits' },
    conversation: { id: conversationId, conversationType: conversation.type ?? 'personal', tenantId },
    channelData: { tenant: { id: tenantId } },
    locale: member.locale ?? 'en-US',
    ...fields,
  });
  const send = (fields: Record<string, unknown>) => post(activity(fields));
  return {
    conversationId,
    post: send,
    install: () => send({ type: 'conversationUpdate', membersAdded: [{ id: '28:credits-bot' }] }),
    /** Sends a message and returns the card the bot posted in answer. */
    async say(text: string) {
      const id = `teams-${++sequence}`;
      const response = await send({ type: 'message', text, id });
      if (response.status !== 200) throw new Error(`"${text}" answered ${response.status}`);
      const cards = connector.repliesTo(id);
      if (cards.length !== 1) throw new Error(`expected one card for "${text}", got ${cards.length}`);
      return cards[0]!;
    },
    /** Presses a button as Action.Execute and returns the invoke response. */
    execute(data: Record<string, unknown>, replyToId?: string) {
      return send({ type: 'invoke', name: 'adaptiveCard/action', replyToId, value: { action: { type: 'Action.Execute', verb: data.verb, data } } });
    },
    /** Presses a button as Action.Submit, as a reply to the card's message. */
    submit(data: Record<string, unknown>, replyToId: string, id?: string) {
      return send({ type: 'message', value: data, replyToId, ...(id ? { id } : {}) });
    },
  };
}

/**
 * One bot and its fake connector for the tests of the enclosing `describe`: started before them
 * (with `env` as in `startBot`) and stopped after them. Read `bot` and `connector` inside tests and
 * hooks, not while the suite is being collected: they exist only once the tests begin.
 */
export function useBotUnderTest(env: Record<string, string> = {}) {
  let connector: FakeConnector | undefined;
  let bot: BotUnderTest | undefined;
  beforeAll(async () => {
    connector = await startFakeConnector();
    bot = await startBot(connector, env);
  });
  afterAll(async () => {
    await bot?.stop();
    await connector?.close();
  });
  const started = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`the ${name} is read before the suite's beforeAll started it`);
    return value;
  };
  return {
    get bot() {
      return started(bot, 'bot');
    },
    get connector() {
      return started(connector, 'connector');
    },
  };
}

/** The buttons' data of a card, by verb. */
export function buttons(card: any): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  const walk = (node: any) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      if (node.type === 'Action.Execute') out[node.verb] ??= node.data;
      for (const [key, child] of Object.entries(node)) if (key !== 'fallback' && key !== 'data') walk(child);
    }
  };
  walk(card);
  return out;
}
