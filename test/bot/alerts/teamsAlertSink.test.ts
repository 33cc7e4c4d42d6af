import { describe, expect, it } from 'vitest';
import { AllowListAccessPolicy } from '../../../bot/access/allowListAccessPolicy.js';
import { AdminDirectory } from '../../../bot/alerts/adminDirectory.js';
import { DeliveryLog, type DeliveryLogData } from '../../../bot/alerts/deliveryLog.js';
import { TeamsAlertSink } from '../../../bot/alerts/teamsAlertSink.js';
import { ConversationBook, type ConversationBookData } from '../../../data/conversationReferences.js';
import type { Alert, StoredAlert } from '../../../services/alerts.js';
import { memoryDocument } from '../../support/memoryDocument.js';
import { cardText } from '../../cards/validateCard.js';

const TENANT = 't1';
const stored = (id: string, type: Alert['type'] = 'suspended'): StoredAlert => ({
  id,
  alert: { type, tenantId: TENANT, currency: 'USD', balanceMinor: -500, at: '2026-01-01T00:00:00.000Z', thresholdMinor: 1000 } as Alert,
});

/** A fake adapter: each conversation answers from a script (an error to throw, or nothing), then succeeds. */
function fakeAdapter(script: Record<string, unknown[]> = {}, gate: Record<string, Promise<void>> = {}) {
  const sent: Array<{ conversationId: string; text: string }> = [];
  const adapter = {
    async continueConversationAsync(_appId: unknown, reference: { conversation?: { id: string } }, logic: unknown) {
      const id = reference.conversation!.id;
      await (logic as (context: unknown) => Promise<void>)({
        sendActivity: async (activity: { attachments: Array<{ content: unknown }> }) => {
          await gate[id];
          const failure = script[id]?.shift();
          if (failure) throw failure;
          sent.push({ conversationId: id, text: cardText(activity.attachments[0]!.content) });
        },
      });
    },
  };
  return { adapter, sent };
}

async function setUp(options: { admins?: string[]; script?: Record<string, unknown[]>; gate?: Record<string, Promise<void>> } = {}) {
  const book = new ConversationBook(memoryDocument<ConversationBookData>({ conversations: {}, people: {} }));
  for (const [name, locale] of [['alex', 'en-US'], ['wei', 'zh-CN'], ['megan', 'en-US']] as const) {
    await book.remember({
      conversation: { id: `conv-${name}`, tenantId: TENANT, scope: 'personal', reference: { conversation: { id: `conv-${name}` } as never }, locale },
      person: { tenantId: TENANT, userId: `29:${name}`, aadObjectId: `aad-${name}`, name, locale },
      at: '2026-01-01T00:00:00.000Z',
    });
  }
  const access = new AllowListAccessPolicy(options.admins ?? [], (options.admins ?? []).length === 0);
  const log = new DeliveryLog(memoryDocument<DeliveryLogData>({}));
  const { adapter, sent } = fakeAdapter(options.script, options.gate);
  const sink = new TeamsAlertSink({
    adapter: adapter as never,
    appId: '',
    book,
    admins: new AdminDirectory(book, access),
    log,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    logger: { warn: () => undefined, error: () => undefined },
  });
  return { sink, sent, book, log };
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

  it('retries a conversation on its own and forgets one that answers 404', async () => {
    const { sink, sent, book } = await setUp({ script: { 'conv-alex': [status(500), status(429)], 'conv-megan': [status(404)] } });
    await sink.deliver(stored('a1'), new AbortController().signal);
    expect(sent.map((s) => s.conversationId).sort()).toEqual(['conv-alex', 'conv-wei']);
    expect(book.conversation('conv-megan')).toBeUndefined();
  });

  it('delivers an alert once per conversation, however often it is handed over', async () => {
    const { sink, sent } = await setUp();
    await sink.deliver(stored('a1'), new AbortController().signal);
    await sink.deliver(stored('a1'), new AbortController().signal);
    expect(sent).toHaveLength(3);
  });

  it('keeps each conversation\'s alerts in raising order, and a stuck conversation holds up only itself', async () => {
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
});
