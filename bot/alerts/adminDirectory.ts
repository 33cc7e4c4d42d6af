import { can, type AccessPolicy, type Permission } from '../../services/access.js';
import type { ConversationBook, KnownConversation, KnownPerson } from '../../data/conversationReferences.js';

/**
 * The admins of a tenant the bot knows of, and the conversations its alerts go to: people and
 * conversations it has met, kept only if the access policy lets that person view the balance now
 * (a demoted admin stops getting alerts).
 */
export class AdminDirectory {
  constructor(
    private readonly book: ConversationBook,
    private readonly access: AccessPolicy,
  ) {}

  async people(tenantId: string): Promise<KnownPerson[]> {
    const people = await this.book.peopleOf(tenantId);
    const allowed = await Promise.all(people.map((person) => this.may(person, tenantId, 'view')));
    return people.filter((_, i) => allowed[i]);
  }

  /**
   * Whether `tenantId`'s alerts go to this conversation (SPEC §2). A personal chat: when its person
   * may view the balance. A channel or group chat, where every member reads what is posted: only
   * while an admin there has subscribed it for this tenant and still may manage; an admin merely
   * writing there is not enough.
   */
  async mayReceive(conversation: KnownConversation, tenantId: string): Promise<boolean> {
    if (conversation.tenantId !== tenantId) return false;
    if (conversation.scope === 'personal') return this.may(await this.book.person(tenantId, conversation.userKey), tenantId, 'view');
    const subscription = conversation.alertSubscription;
    if (subscription?.tenantId !== tenantId) return false;
    return this.may(await this.book.person(tenantId, subscription.by), tenantId, 'manage');
  }

  private async may(person: KnownPerson | undefined, tenantId: string, permission: Permission): Promise<boolean> {
    if (person?.tenantId !== tenantId) return false;
    const decision = await this.access.decide({ tenantId, aadObjectId: person.aadObjectId, userId: person.userId });
    return can(decision, permission);
  }
}
