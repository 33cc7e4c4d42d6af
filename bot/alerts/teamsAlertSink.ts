import { consoleLog, type Log } from '../../services/ports.js';
import type { ConversationReference, TurnContext } from 'botbuilder';
import { wantsAlert, type StoredAlert } from '../../services/alerts.js';
import { alertSummary, renderAlertCard } from '../../cards/alerts.js';
import type { ConversationBook } from '../../data/conversationReferences.js';
import { cardActivity } from '../teams/cardActivity.js';
import type { AdminDirectory } from './adminDirectory.js';
import type { Delivered, ReportingAlertSink } from './alertDispatcher.js';
import type { DeliveryRecord } from '../../services/alertDeliveries.js';
import { sendWithRetry, type RetryOptions } from './deliveryRetry.js';

/** What a proactive send needs of the adapter (the app's `LazyAdapter`, or botbuilder's `CloudAdapter`). */
export interface ProactiveAdapter {
  continueConversationAsync(appId: string, reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void>;
}

export interface TeamsAlertSinkDeps {
  adapter: ProactiveAdapter;
  /** The bot's app id: proactive sends use the same identity as replies. */
  appId: string;
  book: ConversationBook;
  admins: AdminDirectory;
  log: DeliveryRecord;
  retry: Omit<RetryOptions, 'signal'>;
  /** Default `consoleLog`; the app passes its log. */
  logger?: Log;
}

/**
 * Posts the alert card to every conversation of the tenant alerts may go to (an admin's personal
 * chat, a channel or group chat an admin subscribed), in that conversation's language and time zone, with the
 * line the notification shows ("Calling suspended: balance -$4.50"). Each
 * conversation has its own lane: its alerts arrive in the order they were raised, and one that
 * keeps failing holds up only itself. A conversation Teams answers 403/404 for is forgotten.
 * The weekly report goes to personal chats only, and not to an admin who switched it off.
 */
export class TeamsAlertSink implements ReportingAlertSink {
  readonly name = 'teams';
  private readonly lanes = new Map<string, Promise<unknown>>();
  /** The conversation lookups, answered in the order the alerts came (a database may answer them in any order). */
  private lookups: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: TeamsAlertSinkDeps) {}

  /**
   * Takes its place in each conversation's lane as soon as its lookup is answered, and the lookups
   * are answered in the order the alerts came, so raising order is kept.
   */
  async deliver(stored: StoredAlert, signal: AbortSignal): Promise<Delivered[]> {
    const lookup = this.lookups.then(() => this.deps.book.conversationsOf(stored.alert.tenantId));
    this.lookups = lookup.catch(() => undefined);
    const conversations = await lookup;
    // Every conversation settles before this does, even when one fails or `signal` aborts: a send
    // already on its way (botbuilder's HTTP client retries a 5xx for seconds, deaf to `signal`) is
    // recorded before the dispatcher's close returns, never after the process handed its data on.
    const outcomes = await Promise.allSettled(
      conversations.map((conversation) => this.inLane(conversation.id, () => this.deliverTo(stored, conversation.id, signal))),
    );
    const failure = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failure) throw failure.reason;
    return outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' && outcome.value !== null ? [outcome.value] : []));
  }

  private inLane<T>(conversationId: string, work: () => Promise<T>): Promise<T> {
    const previous: Promise<unknown> = this.lanes.get(conversationId) ?? Promise.resolve();
    const mine = previous.catch(() => undefined).then(work);
    this.lanes.set(conversationId, mine);
    void mine
      .catch(() => undefined)
      .finally(() => {
        if (this.lanes.get(conversationId) === mine) this.lanes.delete(conversationId);
      });
    return mine;
  }

  /** The conversation reached now, or null (it had the alert already, may not get it, or is gone). */
  private async deliverTo(stored: StoredAlert, conversationId: string, signal: AbortSignal): Promise<Delivered | null> {
    const { book, log, adapter, appId, admins } = this.deps;
    const logger = this.deps.logger ?? consoleLog;
    const recipient = `teams:${conversationId}`;
    const tenantId = stored.alert.tenantId;
    const conversation = await book.conversation(tenantId, conversationId);
    if (!conversation || log.has(stored.id, recipient)) return null;
    const person = conversation.scope === 'personal' ? await book.person(tenantId, conversation.userKey) : undefined;
    // A weekly report is each admin's own: not for a shared conversation, nor for one who switched it off.
    if (stored.alert.type === 'weekly-report' && (!person || !wantsAlert(stored.alert, person.aadObjectId ?? person.userId))) return null;
    // Decided when its turn in the lane comes: a conversation unsubscribed meanwhile gets nothing more.
    if (!(await admins.mayReceive(conversation, tenantId))) return null;
    // A personal chat reads in its person's zone; a shared one in the zone last seen there.
    const timeZone = person?.timeZone ?? conversation.timeZone ?? null;
    const reader = { locale: conversation.locale, timeZone };
    const message = cardActivity(renderAlertCard(stored.alert, reader), alertSummary(stored.alert, reader));
    const send = async () => {
      // A failure inside the turn would go to the adapter's onTurnError; carry it out to be retried.
      let failure: unknown = null;
      await adapter.continueConversationAsync(appId, conversation.reference, async (context) => {
        try {
          await context.sendActivity(message);
        } catch (error) {
          failure = error ?? new Error('send failed');
        }
      });
      if (failure) throw failure;
    };
    const outcome = await sendWithRetry(send, {
      ...this.deps.retry,
      signal,
      onRetry: ({ attempt, delayMs, status }) => logger.warn({ alertId: stored.id, conversationId, attempt, status, delayMs }, 'alert send failed; retrying'),
    });
    if (outcome === 'gone') {
      logger.warn({ conversationId }, 'conversation is gone (bot removed or blocked); forgetting it');
      await book.forget(tenantId, conversationId);
    } else if (outcome === 'failed') {
      logger.error({ alertId: stored.id, conversationId }, 'alert refused by Teams; not sent to this conversation');
    }
    await log.record(stored.id, recipient);
    return outcome === 'sent' ? { channel: 'teams', to: conversationId, name: person?.name ?? null } : null;
  }
}
