import type { KnownConversation, Sighting } from '../../data/conversationReferences.js';
import { emptyConversationBookData, JsonConversationBook } from '../../data/jsonConversationBook.js';
import { memoryDocument } from './memoryDocument.js';

/** A conversation book with nothing in it, kept in memory. */
export const emptyConversationBook = () => new JsonConversationBook(memoryDocument(emptyConversationBookData()));

/**
 * What the bot learns when `user` (user id `29:<user>`, AAD object id `aad-<user>`) of `tenantId`
 * writes in conversation `id`: the argument of `ConversationBook.remember`.
 */
export function sighting(
  id: string,
  options: { tenantId: string; scope: KnownConversation['scope']; user: string; name?: string; locale?: string; timeZone?: string; at?: string },
): Sighting {
  const { tenantId, scope, user, name = user, locale = 'en-US', timeZone, at = '2026-01-01T00:00:00.000Z' } = options;
  const zone = timeZone === undefined ? {} : { timeZone };
  return {
    conversation: { id, tenantId, scope, reference: { conversation: { id } as never }, locale, ...zone },
    person: { tenantId, userId: `29:${user}`, aadObjectId: `aad-${user}`, name, locale, ...zone },
    at,
  };
}
