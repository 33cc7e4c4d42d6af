import { TeamsInfo, TurnContext } from 'botbuilder';
import { personKey, type ConversationBook, type KnownPerson } from '../../data/conversationReferences.js';
import { consoleLog, type Clock, type Log } from '../../services/ports.js';
import { conversationOf, timeZoneOf } from './turnFromActivity.js';

/** Where `seen` leaves the person of the turn, as the book holds them after the sighting. */
const SEEN_PERSON = Symbol('seen person');

/**
 * Keeps the conversation book current from the activities themselves: a conversation is stored on
 * install and first message, refreshed by every activity (service URL, locale, time zone, who wrote), and
 * forgotten when the bot is removed. In Teams it also asks once for a person's email address, for
 * notice emails.
 */
export class ConversationTracker {
  private readonly emailAsked = new Set<string>();

  constructor(
    private readonly book: ConversationBook,
    private readonly clock: Clock,
    private readonly log: Pick<Log, 'warn'> = consoleLog,
  ) {}

  async seen(context: TurnContext, tenantId: string): Promise<void> {
    const activity = context.activity;
    const reference = TurnContext.getConversationReference(activity);
    // Alerts go to the channel itself, not to the reply thread the activity came from.
    const { id: conversationId, scope } = conversationOf(activity);
    reference.conversation = { ...reference.conversation!, id: conversationId };
    delete reference.activityId;
    const user = { userId: activity.from.id, aadObjectId: activity.from.aadObjectId || null };
    const timeZone = timeZoneOf(activity);
    const person = await this.book.remember({
      conversation: { id: conversationId, tenantId, scope, reference, locale: activity.locale || null, timeZone },
      person: { tenantId, ...user, name: activity.from.name?.trim() || null, locale: activity.locale || null, timeZone },
      at: new Date(this.clock.now()).toISOString(),
    });
    context.turnState.set(SEEN_PERSON, person);
    await this.lookUpEmail(context, tenantId, person);
  }

  /** The time zone last seen from the person an activity is from (activities without one, such as some invokes, use it). */
  async rememberedTimeZone(tenantId: string, context: TurnContext): Promise<string | null> {
    const from = context.activity.from;
    if (!from?.id) return null;
    const key = personKey(tenantId, { userId: from.id, aadObjectId: from.aadObjectId || null });
    // The sighting of this turn already read the person back.
    const seen = context.turnState.get(SEEN_PERSON) as KnownPerson | undefined;
    return (seen?.key === key ? seen : await this.book.person(tenantId, key))?.timeZone ?? null;
  }

  async removed(context: TurnContext, tenantId: string): Promise<void> {
    const id = context.activity.conversation.id;
    await this.book.forget(tenantId, id.split(';')[0]!);
    if (id.includes(';')) await this.book.forget(tenantId, id);
  }

  private async lookUpEmail(context: TurnContext, tenantId: string, person: KnownPerson): Promise<void> {
    const key = person.key;
    if (context.activity.channelId !== 'msteams' || this.emailAsked.has(key) || person.email) return;
    this.emailAsked.add(key);
    try {
      const member = await TeamsInfo.getMember(context, context.activity.from.id);
      const address = [member.email, member.userPrincipalName].find((a): a is string => typeof a === 'string' && /^[^@\s]+@[^@\s]+$/.test(a));
      if (address) await this.book.setEmail(tenantId, key, address);
    } catch (error) {
      this.log.warn({ person: key, reason: (error as Error).message }, 'could not read the email address from Teams');
    }
  }
}
