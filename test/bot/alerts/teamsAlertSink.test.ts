import { describe, expect, it, vi } from 'vitest';
import { AllowListAccessPolicy } from '../../../bot/access/allowListAccessPolicy.js';
import { AdminDirectory } from '../../../bot/alerts/adminDirectory.js';
import { memoryDeliveryRecord } from '../../support/memoryDeliveryRecord.js';
import { TeamsAlertSink } from '../../../bot/alerts/teamsAlertSink.js';
import type { ConversationBook } from '../../../data/conversationReferences.js';
import { emptyConversationBook, sighting } from '../../support/conversationBookFixture.js';
import type { Alert, StoredAlert } from '../../../services/alerts.js';
import { cardText } from '../../cards/validateCard.js';

const TENANT = 't1';
const stored = (id: string, type: Alert['type'] = 'suspended'): StoredAlert => ({
  id,
  alert: { type, tenantId: TENANT, currency: 'USD', balanceMinor: -500, at: '2026-01-01T00:00:00.000Z', thresholdMinor: 1000 } as Alert,
});

/** A fake adapter: each conversation answers from a script (an error to throw, or nothing), then succeeds. */
function fakeAdapter(script: Record<string, unknown[]> = {}, gate: Record<string, Promise<void>> = {}) {
  const sent: Array<{ conversationId: string; text: string; summary: string | undefined }> = [];
  const adapter = {
    async continueConversationAsync(_appId: unknown, reference: { conversation?: { id: string } }, logic: unknown) {
      const id = reference.conversation!.id;
      await (logic as (context: unknown) => Promise<void>)({
        sendActivity: async (activity: { attachments: Array<{ content: unknown }>; summary?: string }) => {
          await gate[id];
          const failure = script[id]?.shift();
          if (failure) throw failure;
          sent.push({ conversationId: id, text: cardText(activity.attachments[0]!.content), summary: activity.summary });
        },
      });
    },
  };
  return { adapter, sent };
}

const CHANNEL = '19:billing@thread.tacv2';
const GROUP_CHAT = '19:finance@thread.v2';

/** Personal chats with alex, wei and megan; alex also wrote in a channel and a group chat (subscribed to nothing). */
async function setUp(options: { admins?: string[]; script?: Record<string, unknown[]>; gate?: Record<string, Promise<void>> } = {}) {
  const book = emptyConversationBook();
  const conversations = [
    ['alex', 'en-US', `conv-alex`, 'personal'],
    ['wei', 'zh-CN', `conv-wei`, 'personal'],
    ['megan', 'en-US', `conv-megan`, 'personal'],
    ['alex', 'en-US', CHANNEL, 'channel'],
    ['alex', 'en-US', GROUP_CHAT, 'groupChat'],
  ] as const;
  for (const [name, locale, id, scope] of conversations) {
    await book.remember(sighting(id, { tenantId: TENANT, scope, user: name, locale }));
  }
  const access = new AllowListAccessPolicy(options.admins ?? [], (options.admins ?? []).length === 0);
  const log = memoryDeliveryRecord();
  const { adapter, sent } = fakeAdapter(options.script, options.gate);
  /** A sink as a process builds it at start: a restart is a new sink on the same book and delivery log. */
  const newSink = () =>
    new TeamsAlertSink({
      adapter: adapter as never,
      appId: '',
      book,
      admins: new AdminDirectory(book, access),
      log,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });
  return { sink: newSink(), newSink, sent, book, log };
}

const status = (statusCode: number) => Object.assign(new Error(String(statusCode)), { statusCode });

describe('TeamsAlertSink', () => {
  it('sends each admin conversation the alert card in its own language, and only admins', async () => {
    const { sink, sent } = await setUp({ admins: ['aad-alex', 'aad-wei'] });
    await sink.deliver(stored('a1'), new AbortController().signal);
    expect(sent.map((s) => s.conversationId).sort()).toEqual(['conv-alex', 'conv-wei']);
    expect(sent.find((s) => s.conversationId === 'conv-alex')!.text).toContain('Calling suspended');
    expect(sent.find((s) => s.conversationId === 'conv-wei')!.text).toMatch(/[\u4e00-\u9fff]/);
  });

  it("says what happened in the line the chat list and the notification show, in each conversation's language", async () => {
    const { sink, sent } = await setUp({ admins: ['aad-alex', 'aad-wei'] });
    await sink.deliver(stored('a1'), new AbortController().signal);
    expect(sent.find((s) => s.conversationId === 'conv-alex')!.summary).toBe('Calling suspended: balance -$5.00');
    expect(sent.find((s) => s.conversationId === 'conv-wei')!.summary).toBe('通话已暂停：余额 -US$5.00');
  });

  it('shows times in the zone last seen from the person a personal chat is with', async () => {
    const { sink, sent, book } = await setUp({ admins: ['aad-alex', 'aad-wei'] });
    await book.remember(sighting('conv-wei', { tenantId: TENANT, scope: 'personal', user: 'wei', locale: 'zh-CN', timeZone: 'Asia/Shanghai' }));
    await sink.deliver(stored('a1'), new AbortController().signal);
    const wei = sent.find((s) => s.conversationId === 'conv-wei')!.text;
    expect(wei).toContain('2026年1月1日 08:00');
    expect(wei).toContain('时间均为中国标准时间。');
    expect(sent.find((s) => s.conversationId === 'conv-alex')!.text).toContain('Times are in UTC.');
  });

  it('retries a conversation on its own and forgets one that answers 404', async () => {
    const { sink, sent, book } = await setUp({ script: { 'conv-alex': [status(500), status(429)], 'conv-megan': [status(404)] } });
    await sink.deliver(stored('a1'), new AbortController().signal);
    expect(sent.map((s) => s.conversationId).sort()).toEqual(['conv-alex', 'conv-wei']);
    expect(await book.conversation(TENANT, 'conv-megan')).toBeUndefined();
  });

  it('delivers an alert once per conversation, however often it is handed over', async () => {
    const { sink, sent } = await setUp();
    await sink.deliver(stored('a1'), new AbortController().signal);
    await sink.deliver(stored('a1'), new AbortController().signal);
    expect(sent).toHaveLength(3);
  });

  it("keeps each conversation's alerts in raising order, and a stuck conversation holds up only itself", async () => {
    let release!: () => void;
    const { sink, sent } = await setUp({ gate: { 'conv-alex': new Promise<void>((r) => (release = r)) } });
    const signal = new AbortController().signal;
    const first = sink.deliver(stored('low', 'low-balance'), signal);
    const second = sink.deliver(stored('zero', 'suspended'), signal);
    await new Promise((r) => setTimeout(r, 20));
    expect(sent.filter((s) => s.conversationId === 'conv-wei')).toHaveLength(2);
    expect(sent.filter((s) => s.conversationId === 'conv-alex')).toHaveLength(0);
    release();
    await Promise.all([first, second]);
    const alex = sent.filter((s) => s.conversationId === 'conv-alex').map((s) => s.text);
    expect(alex[0]).toContain('Low balance');
    expect(alex[1]).toContain('Calling suspended');
  });
  it('settles only once every conversation has: a send already on its way when delivery stops is awaited and recorded', async () => {
    // Shutdown while wei's chat waits to retry a 503 and alex's send is still on its way (botbuilder's
    // HTTP client retries 5xx itself, for seconds, deaf to the signal): the process must not hand its
    // data on (a restart, `npm run store:copy`) before alex's send is over and recorded.
    let release!: () => void;
    const { sink, sent, log } = await setUp({
      admins: ['aad-alex', 'aad-wei'],
      script: { 'conv-wei': Array.from({ length: 1000 }, () => status(503)) },
      gate: { 'conv-alex': new Promise<void>((r) => (release = r)) },
    });
    const stop = new AbortController();
    let settled = false;
    const delivery = sink.deliver(stored('a1'), stop.signal).finally(() => (settled = true));
    delivery.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 20));
    stop.abort(new Error('shutting down'));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    release();
    await expect(delivery).rejects.toThrow('shutting down');
    expect(sent.map((s) => s.conversationId)).toEqual(['conv-alex']);
    expect(log.has('a1', 'teams:conv-alex')).toBe(true);
    expect(log.has('a1', 'teams:conv-wei')).toBe(false);
  });

  it('keeps raising order when the book answers the lookups out of order (a database pool)', async () => {
    const { book, sent, newSink } = await setUp();
    // The first lookup answers last.
    const lookups: Array<() => void> = [];
    const slowFirst = Object.create(book) as ConversationBook;
    slowFirst.conversationsOf = async (tenantId) => {
      const answer = await book.conversationsOf(tenantId);
      await new Promise<void>((resolve) => lookups.push(resolve));
      return answer;
    };
    const sink = newSink();
    (sink as unknown as { deps: { book: ConversationBook } }).deps.book = slowFirst;
    const signal = new AbortController().signal;
    const first = sink.deliver(stored('low', 'low-balance'), signal);
    const second = sink.deliver(stored('zero', 'suspended'), signal);
    await vi.waitFor(() => expect(lookups.length).toBeGreaterThan(0));
    for (let i = 0; i < 2; i++) {
      await new Promise((r) => setTimeout(r, 10));
      lookups.pop()?.();
    }
    await new Promise((r) => setTimeout(r, 10));
    lookups.pop()?.();
    await Promise.all([first, second]);
    const alex = sent.filter((s) => s.conversationId === 'conv-alex').map((s) => s.text);
    expect(alex).toHaveLength(2);
    expect(alex[0]).toContain('Low balance');
    expect(alex[1]).toContain('Calling suspended');
  });
});

describe('TeamsAlertSink in shared conversations', () => {
  const signal = new AbortController().signal;
  const subscribe = (book: ConversationBook, id: string) =>
    book.subscribeToAlerts(id, { tenantId: TENANT, by: `${TENANT}/aad-alex`, at: '2026-01-01T00:00:00.000Z' });

  it('posts nothing in a channel or group chat where an admin wrote, until an admin subscribes it, and nothing more once unsubscribed', async () => {
    const { sink, sent, book } = await setUp({ admins: ['aad-alex'] });
    await sink.deliver(stored('a1'), signal);
    expect(sent.map((s) => s.conversationId)).toEqual(['conv-alex']);

    await subscribe(book, CHANNEL);
    await sink.deliver(stored('a2'), signal);
    expect(
      sent
        .slice(1)
        .map((s) => s.conversationId)
        .sort(),
    ).toEqual([CHANNEL, 'conv-alex']);

    await subscribe(book, GROUP_CHAT);
    await book.unsubscribeFromAlerts(CHANNEL, TENANT);
    await sink.deliver(stored('a3'), signal);
    expect(
      sent
        .slice(3)
        .map((s) => s.conversationId)
        .sort(),
    ).toEqual([GROUP_CHAT, 'conv-alex']);
  });

  it('delivers a pending alert once to a subscribed conversation across a restart, and not to one unsubscribed before its turn', async () => {
    const { sink, newSink, sent, book } = await setUp({ admins: ['aad-alex'] });
    await subscribe(book, CHANNEL);
    await subscribe(book, GROUP_CHAT);
    await sink.deliver(stored('a1'), signal);
    expect(sent.filter((s) => s.conversationId === CHANNEL)).toHaveLength(1);

    // The process stops before acknowledging a1; the next one hands it over again.
    await book.unsubscribeFromAlerts(GROUP_CHAT, TENANT);
    await newSink().deliver(stored('a1'), signal);
    await newSink().deliver(stored('a2'), signal);
    const count = (id: string) => sent.filter((s) => s.conversationId === id).length;
    expect([count('conv-alex'), count(CHANNEL), count(GROUP_CHAT)]).toEqual([2, 2, 1]);
  });

  it("never posts one tenant's alert in another tenant's subscribed channel", async () => {
    const { sink, sent, book } = await setUp({ admins: ['aad-alex', 'aad-zoe'] });
    await book.remember(sighting('19:other@thread.tacv2', { tenantId: 't2', scope: 'channel', user: 'zoe' }));
    await book.subscribeToAlerts('19:other@thread.tacv2', { tenantId: 't2', by: 't2/aad-zoe', at: '2026-01-01T00:00:00.000Z' });
    await sink.deliver(stored('a1'), signal);
    expect(sent.map((s) => s.conversationId)).toEqual(['conv-alex']);
  });
});
