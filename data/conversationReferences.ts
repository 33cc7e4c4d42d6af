import type { ConversationReference } from 'botbuilder';

/** Where the bot can write to a tenant without being asked: a personal chat, a channel, a group chat. */
export interface KnownConversation {
  /** The conversation id (unique per channel). */
  id: string;
  tenantId: string;
  scope: 'personal' | 'channel' | 'groupChat';
  /** What `continueConversationAsync` needs: service URL, conversation, bot, channel. */
  reference: Partial<ConversationReference>;
  /** The person who last wrote here (the only one, in a personal chat); decides who may see alerts. */
  userKey: string;
  /** The locale last seen in this conversation. */
  locale: string | null;
  /** The time zone (IANA) last seen in this conversation: the zone of the times in its alerts. */
  timeZone?: string | null;
  updatedAt: string;
  /**
   * A channel or group chat an admin there asked to get the tenant's alerts ("post alerts here"):
   * every member reads what is posted, so without this it gets none. Absent in a personal chat.
   */
  alertSubscription?: AlertSubscription;
}

/** Who opened a shared conversation to the tenant's alerts, and when. */
export interface AlertSubscription {
  /** The tenant whose alerts may go there: the subscriber's, from the activity. */
  tenantId: string;
  /** The subscriber's person key (`tenantId/aadObjectId`). */
  by: string;
  at: string;
}

/** Someone who talked to the bot, as the bot last saw them. */
export interface KnownPerson {
  /** `tenantId/aadObjectId` (or the Teams user id when there is no object id). */
  key: string;
  tenantId: string;
  userId: string;
  aadObjectId: string | null;
  name: string | null;
  /** The Teams client locale last seen from them: the language of their email notices. */
  locale: string | null;
  /** Their Teams client's time zone (IANA) last seen: the zone of times in replies without one and in their emails. */
  timeZone?: string | null;
  email: string | null;
  updatedAt: string;
}

export interface Sighting {
  conversation: Omit<KnownConversation, 'userKey' | 'updatedAt' | 'alertSubscription'>;
  person: Omit<KnownPerson, 'key' | 'email' | 'updatedAt'> & { email?: string | null };
  at: string;
}

export const personKey = (tenantId: string, user: { aadObjectId: string | null; userId: string }) => `${tenantId}/${user.aadObjectId ?? user.userId}`;

/**
 * The conversation references and people the bot has met (the embedded `conversations.json`, or
 * rows in PostgreSQL). Every operation names its tenant and touches only that tenant's rows, and
 * each write is one atomic step, so instances sharing a database never lose each other's updates.
 */
export interface ConversationBook {
  /**
   * Records (or refreshes) a conversation and the person in it; resolves once durable. A value
   * the sighting lacks (null locale, name, time zone, email) keeps the one known; the conversation's
   * alert subscription is kept. Writes nothing when only the time changed. Answers the person as
   * the book now holds them (what `person` would read), so a turn needs no second read for what the
   * sighting lacked (the time zone of an invoke).
   */
  remember(sighting: Sighting): Promise<KnownPerson>;
  /** Sets a known person's email address (an unknown person is left unknown). */
  setEmail(tenantId: string, key: string, email: string): Promise<void>;
  /**
   * Opens a channel or group chat of `subscription.tenantId` to that tenant's alerts; resolves once
   * durable. False when the book knows no such conversation of that tenant, or it is a personal chat.
   */
  subscribeToAlerts(conversationId: string, subscription: AlertSubscription): Promise<boolean>;
  /** Stops a conversation's alerts; true when it was subscribed (for that tenant). */
  unsubscribeFromAlerts(conversationId: string, tenantId: string): Promise<boolean>;
  /** The bot was removed, or Teams said the conversation is gone (403/404): forget it. */
  forget(tenantId: string, conversationId: string): Promise<void>;
  conversation(tenantId: string, conversationId: string): Promise<KnownConversation | undefined>;
  conversationsOf(tenantId: string): Promise<KnownConversation[]>;
  /** The person of `tenantId` with this key (`personKey`). */
  person(tenantId: string, key: string): Promise<KnownPerson | undefined>;
  peopleOf(tenantId: string): Promise<KnownPerson[]>;
}

/** The person and conversation a sighting leaves, given what was known of them (the merge both stores make). */
export function afterSighting(
  sighting: Sighting,
  oldPerson: KnownPerson | undefined,
  oldConversation: KnownConversation | undefined,
): { person: KnownPerson; conversation: KnownConversation } {
  const key = personKey(sighting.conversation.tenantId, sighting.person);
  const person: KnownPerson = {
    key,
    ...sighting.person,
    locale: sighting.person.locale ?? oldPerson?.locale ?? null,
    timeZone: sighting.person.timeZone ?? oldPerson?.timeZone ?? null,
    name: sighting.person.name ?? oldPerson?.name ?? null,
    email: sighting.person.email ?? oldPerson?.email ?? null,
    updatedAt: sighting.at,
  };
  const conversation: KnownConversation = {
    ...sighting.conversation,
    locale: sighting.conversation.locale ?? oldConversation?.locale ?? null,
    timeZone: sighting.conversation.timeZone ?? oldConversation?.timeZone ?? null,
    userKey: key,
    updatedAt: sighting.at,
  };
  // A subscription is one tenant's consent: it never carries over to another tenant's sighting.
  const subscription = oldConversation?.alertSubscription;
  if (subscription && subscription.tenantId === conversation.tenantId) conversation.alertSubscription = subscription;
  return { person, conversation };
}

/**
 * The names of a tenant's people by actor (their Entra object id, or Teams user id: the part of the
 * key after the tenant), read once for a list of many entries.
 */
export async function displayNamesOf(book: Pick<ConversationBook, 'peopleOf'>, tenantId: string): Promise<(actor: string) => string | null> {
  const names = new Map((await book.peopleOf(tenantId)).map((person) => [person.key, person.name]));
  return (actor) => names.get(personKey(tenantId, { aadObjectId: actor, userId: actor })) ?? null;
}
