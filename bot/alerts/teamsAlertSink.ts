import { CardFactory, MessageFactory, type CloudAdapter } from 'botbuilder';
import type { StoredAlert } from '../../services/alerts.js';
import { renderAlertCard } from '../../cards/alerts.js';
import type { ConversationBook } from '../../data/conversationReferences.js';
import type { AdminDirectory } from './adminDirectory.js';
import type { AlertSink } from './alertDispatcher.js';
import type { DeliveryLog } from './deliveryLog.js';
import { sendWithRetry, type RetryOptions } from './deliveryRetry.js';

export interface TeamsAlertSinkDeps {
  adapter: Pick<CloudAdapter, 'continueConversationAsync'>;
  /** The bot's app id: proactive sends use the same identity as replies. */
  appId: string;
  book: ConversationBook;
  admins: AdminDirectory;
  log: DeliveryLog;
  retry: Omit<RetryOptions, 'signal'>;
  logger?: Pick<Console, 'warn' | 'error'>;
}

/**
 * Posts the alert card to every conversation of the tenant where an admin talks to the bot,
 * in that conversation's language. Conversations are reached in parallel, each retried on its own;
 * one Teams answers 403/404 for is forgotten.
 */
export class TeamsAlertSink implements AlertSink {
  readonly name = 'teams';

  constructor(private readonly deps: TeamsAlertSinkDeps) {}

  async deliver(stored: StoredAlert, signal: AbortSignal): Promise<void> {
    const conversations = await this.deps.admins.conversations(stored.alert.tenantId);
    await Promise.all(conversations.map((conversation) => this.deliverTo(stored, conversation.id, signal)));
  }

  private async deliverTo(stored: StoredAlert, conversationId: string, signal: AbortSignal): Promise<void> {
    const { book, log, adapter, appId } = this.deps;
    const logger = this.deps.logger ?? console;
    const recipient = `teams:${conversationId}`;
    const conversation = book.conversation(conversationId);
    if (!conversation || log.has(stored.id, recipient)) return;
    const card = renderAlertCard(stored.alert, conversation.locale);
    const outcome = await sendWithRetry(
      () =>
        adapter.continueConversationAsync(appId, conversation.reference, async (context) => {
          await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
        }),
      {
        ...this.deps.retry,
        signal,
        onRetry: ({ attempt, delayMs, status }) =>
          logger.warn(`Alert ${stored.id} to conversation ${conversationId}: attempt ${attempt} failed (${status ?? 'network'}); retrying in ${delayMs} ms`),
      },
    );
    if (outcome === 'gone') {
      logger.warn(`Conversation ${conversationId} is gone (bot removed or blocked); forgetting it`);
      await book.forget(conversationId);
    } else if (outcome === 'failed') {
      logger.error(`Alert ${stored.id} could not be sent to conversation ${conversationId}; Teams refused it`);
    }
    await log.record(stored.id, recipient);
  }
}
