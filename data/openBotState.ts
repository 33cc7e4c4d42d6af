import path from 'node:path';
import type { ConversationBook } from './conversationReferences.js';
import { JsonConversationBook } from './jsonConversationBook.js';
import type { LedgerStoreChoice } from './openLedgerStore.js';

/** What the bot keeps beside the ledger, in the same place as the ledger. */
export interface BotState {
  conversations: ConversationBook;
  /** Releases the database connections (nothing to do for the embedded files, written as they change). */
  close(): Promise<void>;
}

/**
 * Opens the bot's state beside the ledger: JSON documents in `DATA_DIR`, or tables in the
 * PostgreSQL of `DATABASE_URL` (migrated by `openLedgerStore`, which opens first) through a pool of
 * their own.
 */
export async function openBotState(choice: LedgerStoreChoice): Promise<BotState> {
  if (!choice.database) {
    return { conversations: await JsonConversationBook.open(path.join(choice.dataDir, 'conversations.json')), close: async () => undefined };
  }
  const [{ default: pg }, { clientConfig }, { PostgresConversationBook }] = await Promise.all([
    import('pg'),
    import('./postgres/connection.js'),
    import('./postgres/postgresConversationBook.js'),
  ]);
  const pool = new pg.Pool({ ...clientConfig(choice.database.url), max: choice.database.poolSize });
  // An idle connection the server closed is dropped by the pool; the next query reports any outage.
  pool.on('error', () => undefined);
  return { conversations: new PostgresConversationBook(pool), close: () => pool.end() };
}
