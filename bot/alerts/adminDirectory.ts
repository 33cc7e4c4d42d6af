import { can, type AccessPolicy } from '../../services/access.js';
import type { ConversationBook, KnownConversation, KnownPerson } from '../../data/conversationReferences.js';

/**
 * The admins of a tenant the bot knows of, and the conversations where they talk to it: people
 * and conversations it has met, kept only if the access policy lets that person view the
 * balance now (a demoted admin stops getting alerts).
 */
export class AdminDirectory {
  constructor(
    private readonly book: ConversationBook,
    private readonly access: AccessPolicy,
  ) {}

  async people(tenantId: string): Promise<KnownPerson[]> {
    const people = this.book.peopleOf(tenantId);
    const allowed = await Promise.all(people.map((person) => this.mayView(person)));
    return people.filter((_, i) => allowed[i]);
  }

  /** Whether alerts go to this conversation: the person who last wrote there may view the balance. */
  async mayReceive(conversation: KnownConversation): Promise<boolean> {
    const person = this.book.person(conversation.userKey);
    return person ? this.mayView(person) : false;
  }

  private async mayView(person: KnownPerson): Promise<boolean> {
    const decision = await this.access.decide({ tenantId: person.tenantId, aadObjectId: person.aadObjectId, userId: person.userId });
    return can(decision, 'view');
  }
}
