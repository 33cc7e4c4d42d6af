import type { JsonDocument } from '../services/documentPort.js';
import {
  afterSighting,
  type AlertSubscription,
  type ConversationBook,
  type KnownConversation,
  type KnownPerson,
  personKey,
  type Sighting,
} from './conversationReferences.js';
import { openJsonDocument } from './jsonDocument.js';

/** The embedded store's `conversations.json`: conversations by id, people by key. */
export interface ConversationBookData {
  conversations: Record<string, KnownConversation>;
  people: Record<string, KnownPerson>;
}

export const emptyConversationBookData = (): ConversationBookData => ({ conversations: {}, people: {} });

/**
 * The conversation book of the embedded store: one small JSON document (`DATA_DIR/conversations.json`),
 * read into memory. A sighting writes only when something changed, so a turn normally costs no disk
 * write. Each operation reads and updates the document without waiting in between, so updates never
 * interleave.
 */
export class JsonConversationBook implements ConversationBook {
  constructor(private readonly document: JsonDocument<ConversationBookData>) {}

  static async open(file: string): Promise<JsonConversationBook> {
    return new JsonConversationBook(await openJsonDocument<ConversationBookData>(file, emptyConversationBookData()));
  }

  /** Everything it holds (for copying it elsewhere). */
  get data(): ConversationBookData {
    return this.document.data;
  }

  async remember(sighting: Sighting): Promise<KnownPerson> {
    const current = this.document.data;
    const known = current.people[personKey(sighting.conversation.tenantId, sighting.person)];
    const { person, conversation } = afterSighting(sighting, known, current.conversations[sighting.conversation.id]);
    if (known && sameApartFromTime(known, person) && sameApartFromTime(current.conversations[conversation.id], conversation)) return structuredClone(known);
    await this.document.update((draft) => {
      draft.people[person.key] = person;
      draft.conversations[conversation.id] = conversation;
    });
    return structuredClone(person);
  }

  async setEmail(tenantId: string, key: string, email: string): Promise<void> {
    const person = this.document.data.people[key];
    if (person?.tenantId !== tenantId || person.email === email) return;
    await this.document.update((draft) => {
      draft.people[key]!.email = email;
    });
  }

  async subscribeToAlerts(conversationId: string, subscription: AlertSubscription): Promise<boolean> {
    const conversation = this.document.data.conversations[conversationId];
    if (!conversation || conversation.tenantId !== subscription.tenantId || conversation.scope === 'personal') return false;
    await this.document.update((draft) => {
      draft.conversations[conversationId]!.alertSubscription = { ...subscription };
    });
    return true;
  }

  async unsubscribeFromAlerts(conversationId: string, tenantId: string): Promise<boolean> {
    const conversation = this.document.data.conversations[conversationId];
    if (!conversation?.alertSubscription || conversation.tenantId !== tenantId) return false;
    await this.document.update((draft) => {
      delete draft.conversations[conversationId]?.alertSubscription;
    });
    return true;
  }

  async forget(tenantId: string, conversationId: string): Promise<void> {
    if (this.document.data.conversations[conversationId]?.tenantId !== tenantId) return;
    await this.document.update((draft) => {
      delete draft.conversations[conversationId];
    });
  }

  async conversation(tenantId: string, conversationId: string): Promise<KnownConversation | undefined> {
    const conversation = this.document.data.conversations[conversationId];
    return conversation?.tenantId === tenantId ? structuredClone(conversation) : undefined;
  }

  async conversationsOf(tenantId: string): Promise<KnownConversation[]> {
    return structuredClone(Object.values(this.document.data.conversations).filter((c) => c.tenantId === tenantId));
  }

  async person(tenantId: string, key: string): Promise<KnownPerson | undefined> {
    const person = this.document.data.people[key];
    return person?.tenantId === tenantId ? structuredClone(person) : undefined;
  }

  async peopleOf(tenantId: string): Promise<KnownPerson[]> {
    return structuredClone(Object.values(this.document.data.people).filter((p) => p.tenantId === tenantId));
  }
}

function sameApartFromTime<T extends { updatedAt: string }>(a: T | undefined, b: T): boolean {
  if (!a) return false;
  return JSON.stringify({ ...a, updatedAt: '' }) === JSON.stringify({ ...b, updatedAt: '' });
}
