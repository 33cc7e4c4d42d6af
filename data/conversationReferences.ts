import type { ConversationReference } from 'botbuilder';
import type { JsonDocument } from '../services/documentPort.js';
import { openJsonDocument } from './jsonDocument.js';

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

export interface ConversationBookData {
  conversations: Record<string, KnownConversation>;
  people: Record<string, KnownPerson>;
}

export interface Sighting {
  conversation: Omit<KnownConversation, 'userKey' | 'updatedAt' | 'alertSubscription'>;
  person: Omit<KnownPerson, 'key' | 'email' | 'updatedAt'> & { email?: string | null };
  at: string;
}

export const personKey = (tenantId: string, user: { aadObjectId: string | null; userId: string }) => `${tenantId}/${user.aadObjectId ?? user.userId}`;

/**
 * The conversation references and people the bot has met, kept durably in one small JSON document
 * (`DATA_DIR/conversations.json`). A sighting writes only when something changed, so a turn
 * normally costs no disk write.
 */
export class ConversationBook {
  constructor(private readonly document: JsonDocument<ConversationBookData>) {}

  static async open(file: string): Promise<ConversationBook> {
    return new ConversationBook(await openJsonDocument<ConversationBookData>(file, { conversations: {}, people: {} }));
  }

  /** Records (or refreshes) a conversation and the person in it; resolves once durable. */
  async remember(sighting: Sighting): Promise<void> {
    const key = personKey(sighting.conversation.tenantId, sighting.person);
    const current = this.document.data;
    const oldPerson = current.people[key];
    const person: KnownPerson = {
      key,
      ...sighting.person,
      locale: sighting.person.locale ?? oldPerson?.locale ?? null,
      timeZone: sighting.person.timeZone ?? oldPerson?.timeZone ?? null,
      name: sighting.person.name ?? oldPerson?.name ?? null,
      email: sighting.person.email ?? oldPerson?.email ?? null,
      updatedAt: sighting.at,
    };
    const oldConversation = current.conversations[sighting.conversation.id];
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
    if (sameApartFromTime(oldPerson, person) && sameApartFromTime(oldConversation, conversation)) return;
    await this.document.update((draft) => {
      draft.people[key] = person;
      draft.conversations[conversation.id] = conversation;
    });
  }

  async setEmail(key: string, email: string): Promise<void> {
    if (!this.document.data.people[key] || this.document.data.people[key].email === email) return;
    await this.document.update((draft) => {
      if (draft.people[key]) draft.people[key].email = email;
    });
  }

  /**
   * Opens a channel or group chat of `tenantId` to that tenant's alerts; resolves once durable.
   * False when the book knows no such conversation of that tenant, or it is a personal chat.
   */
  async subscribeToAlerts(conversationId: string, subscription: AlertSubscription): Promise<boolean> {
    const conversation = this.document.data.conversations[conversationId];
    if (!conversation || conversation.tenantId !== subscription.tenantId || conversation.scope === 'personal') return false;
    await this.document.update((draft) => {
      draft.conversations[conversationId]!.alertSubscription = { ...subscription };
    });
    return true;
  }

  /** Stops a conversation's alerts; true when it was subscribed (for that tenant). */
  async unsubscribeFromAlerts(conversationId: string, tenantId: string): Promise<boolean> {
    const conversation = this.document.data.conversations[conversationId];
    if (!conversation?.alertSubscription || conversation.tenantId !== tenantId) return false;
    await this.document.update((draft) => {
      delete draft.conversations[conversationId]?.alertSubscription;
    });
    return true;
  }

  /** The bot was removed, or Teams said the conversation is gone (403/404): forget it. */
  async forget(conversationId: string): Promise<void> {
    if (!this.document.data.conversations[conversationId]) return;
    await this.document.update((draft) => {
      delete draft.conversations[conversationId];
    });
  }

  conversation(conversationId: string): KnownConversation | undefined {
    return this.document.data.conversations[conversationId];
  }

  conversationsOf(tenantId: string): KnownConversation[] {
    return Object.values(this.document.data.conversations).filter((c) => c.tenantId === tenantId);
  }

  person(key: string): KnownPerson | undefined {
    return this.document.data.people[key];
  }

  peopleOf(tenantId: string): KnownPerson[] {
    return Object.values(this.document.data.people).filter((p) => p.tenantId === tenantId);
  }
}

function sameApartFromTime<T extends { updatedAt: string }>(a: T | undefined, b: T): boolean {
  if (!a) return false;
  return JSON.stringify({ ...a, updatedAt: '' }) === JSON.stringify({ ...b, updatedAt: '' });
}
