import { TestAdapter, type Activity } from 'botbuilder';
import { displayNamesOf } from '../../../data/conversationReferences.js';
import type { AdaptiveCard } from '../../../cards/index.js';
import type { AccessPolicy } from '../../../services/access.js';
import type { TestCardId } from '../../../services/payments/sandboxGateway.js';
import { AllowListAccessPolicy } from '../../../bot/access/allowListAccessPolicy.js';
import { AdminDirectory } from '../../../bot/alerts/adminDirectory.js';
import { ConversationTracker } from '../../../bot/teams/conversationTracker.js';
import { EXPORT_LINK_MINUTES, journalExportUrl, signExportToken } from '../../../bot/exports/exportLink.js';
import { CreditsBot } from '../../../bot/teams/creditsBot.js';
import { ledgerFixture } from '../../support/ledgerFixture.js';
import { emptyConversationBook } from '../../support/conversationBookFixture.js';
import { executeActions, expectValidCard } from '../../cards/validateCard.js';

/** The secret the fixture's download links are signed with. */
export const EXPORT_SECRET = 'fixture-export-secret';

export const silent = { warn: () => undefined, error: () => undefined };

export interface Person {
  id: string;
  aadObjectId?: string;
  name?: string;
}

export const ALEX: Person = { id: '29:alex', aadObjectId: 'aad-alex', name: 'Alex Wilber' };
export const MEGAN: Person = { id: '29:megan', aadObjectId: 'aad-megan', name: 'Megan Bowen' };

/**
 * The Teams bot over an in-memory ledger, driven by botbuilder's TestAdapter with Teams-shaped
 * activities (channel `msteams`, tenant in `conversation.tenantId` and `channelData`). Every card
 * the bot sends is checked against Adaptive Cards 1.5 on the way out.
 */
export function teamsBotFixture(options: { adminUserIds?: string[]; localMode?: boolean; access?: AccessPolicy; cardForNewTenants?: TestCardId | null } = {}) {
  const ledger = ledgerFixture({}, options.cardForNewTenants === undefined ? {} : { cardForNewTenants: options.cardForNewTenants });
  const book = emptyConversationBook();
  const localMode = options.localMode ?? (options.adminUserIds ?? []).length === 0;
  let operations = 0;
  /** When Graph last synced each tenant's usage, as a test sets it. */
  const usageSyncedAt = new Map<string, string>();
  const access = options.access ?? new AllowListAccessPolicy(options.adminUserIds ?? [], localMode);
  const bot = new CreditsBot({
    handlers: {
      ledger: ledger.ledger,
      gateway: ledger.gateway,
      sandbox: ledger.gateway,
      clock: ledger.clock,
      displayNames: (tenantId) => displayNamesOf(book, tenantId),
      newOperationId: () => `op-${++operations}`,
      usageSyncedAt: async (tenantId) => usageSyncedAt.get(tenantId) ?? null,
      alertSubscriptions: book,
      viewerUserIds: async (tenantId) => (await new AdminDirectory(book, access).people(tenantId)).map((person) => person.userId),
      journalCsvLink: (tenantId, actor) => {
        const expiresAt = ledger.clock.now() + EXPORT_LINK_MINUTES * 60_000;
        const token = signExportToken(EXPORT_SECRET, { tenantId, actor, expiresAt });
        return { url: journalExportUrl('http://127.0.0.1:3978', token), expiresAt: new Date(expiresAt).toISOString(), minutes: EXPORT_LINK_MINUTES };
      },
    },
    access,
    tracker: new ConversationTracker(book, ledger.clock, silent),
    tenants: { defaultTenantId: 'local', localMode },
    log: silent,
  });
  const adapter = new TestAdapter(async (context) => bot.run(context));
  let sequence = 0;

  /** A Teams activity from `person` in tenant `tenantId` (personal chat unless said otherwise). */
  const activity = (overrides: Partial<Activity> & { tenantId?: string; person?: Person }): Partial<Activity> => {
    const { tenantId = 'tenant-a', person = ALEX, ...rest } = overrides;
    return {
      channelId: 'msteams',
      serviceUrl: 'https://smba.trafficmanager.net/amer/',
      id: `in-${++sequence}`,
      from: { id: person.id, name: person.name ?? '', ...(person.aadObjectId ? { aadObjectId: person.aadObjectId } : {}) },
      recipient: { id: '28:bot', name: 'Credits' },
      conversation: { id: `a:${tenantId}:${person.id}`, conversationType: 'personal', tenantId, isGroup: false, name: '' },
      channelData: { tenant: { id: tenantId } },
      locale: 'en-US',
      ...rest,
    };
  };

  /** Sends an activity and returns what the bot sent during that turn. */
  async function send(overrides: Partial<Activity> & { tenantId?: string; person?: Person }): Promise<Partial<Activity>[]> {
    const before = adapter.activeQueue.length;
    await adapter.processActivity(activity(overrides) as Activity);
    const sent = adapter.activeQueue.slice(before);
    for (const reply of sent) {
      for (const attachment of reply.attachments ?? [])
        expectValidCard(attachment.content, `card sent for ${overrides.text ?? overrides.name ?? overrides.type}`);
      // Teams shows a card message as its summary in the chat list and the notification.
      if (reply.attachments?.length && !(typeof reply.summary === 'string' && reply.summary.trim() && !reply.summary.includes('\n'))) {
        throw new Error(`the card sent for ${overrides.text ?? overrides.name ?? overrides.type} has no one-line summary`);
      }
    }
    return sent;
  }

  /** A message; returns the one card the bot answered with. */
  async function say(
    text: string,
    overrides: Partial<Activity> & { tenantId?: string; person?: Person } = {},
  ): Promise<{ card: AdaptiveCard; id: string; summary: string }> {
    const sent = await send({ type: 'message', text, ...overrides });
    if (sent.length !== 1) throw new Error(`expected one reply to "${text}", got ${sent.length}`);
    const reply = sent[0]!;
    if (reply.text) throw new Error(`a card reply must not carry text, got "${reply.text}"`);
    return { card: reply.attachments![0]!.content as AdaptiveCard, id: reply.id!, summary: reply.summary! };
  }

  /** Presses the card's button with `verb` as Action.Execute; returns the invoke response body. */
  async function execute(
    card: AdaptiveCard,
    verb: string,
    inputs: Record<string, unknown> = {},
    overrides: Partial<Activity> & { tenantId?: string; person?: Person } = {},
  ) {
    const action = executeActions(card).find((a) => a.verb === verb);
    if (!action) throw new Error(`no ${verb} button on the card`);
    return invoke({ action: { type: 'Action.Execute', verb, data: { ...action.data, ...inputs } } }, overrides);
  }

  async function invoke(value: unknown, overrides: Partial<Activity> & { tenantId?: string; person?: Person } = {}) {
    const sent = await send({ type: 'invoke', name: 'adaptiveCard/action', value, ...overrides });
    const response = sent.find((a) => a.type === 'invokeResponse');
    if (!response) throw new Error('no invoke response');
    const { status, body } = response.value as { status: number; body: { statusCode: number; type: string; value: unknown } };
    return { status, body, others: sent.filter((a) => a !== response) };
  }

  /** Presses the button as Action.Submit (a message with `value`), replying to the card's message. */
  async function submit(
    card: { card: AdaptiveCard; id: string },
    verb: string,
    inputs: Record<string, unknown> = {},
    overrides: Partial<Activity> & { tenantId?: string; person?: Person } = {},
  ) {
    const action = executeActions(card.card).find((a) => a.verb === verb);
    if (!action) throw new Error(`no ${verb} button on the card`);
    return send({ type: 'message', value: { ...action.data, ...inputs }, replyToId: card.id, ...overrides });
  }

  /** The card now shown in the message `id` (after any update). */
  const shown = (id: string): AdaptiveCard | undefined => adapter.activeQueue.find((a) => a.id === id)?.attachments?.[0]?.content as AdaptiveCard | undefined;
  /** The summary of the message `id` now (after any update). */
  const shownSummary = (id: string): string | undefined => adapter.activeQueue.find((a) => a.id === id)?.summary;

  return { ...ledger, book, bot, adapter, activity, send, say, execute, invoke, submit, shown, shownSummary, usageSyncedAt };
}
