import path from 'node:path';
import type { Pool } from 'pg';
import type { MailQueueStore } from '../services/mailQueue.js';
import type { SandboxRecords } from '../services/payments/sandboxGateway.js';
import type { UsageSyncRecords } from '../services/usageSyncState.js';
import type { ConversationBook } from './conversationReferences.js';
import { JsonConversationBook } from './jsonConversationBook.js';
import { JsonMailQueueStore } from './jsonMailQueueStore.js';
import { JsonSandboxRecords } from './jsonSandboxRecords.js';
import { JsonUsageSyncRecords } from './jsonUsageSyncRecords.js';
import type { LedgerStoreChoice } from './openLedgerStore.js';
import type { PostgresConversationBook } from './postgres/postgresConversationBook.js';

/** What the bot keeps beside the ledger, in the same place as the ledger. */
export interface BotState {
  conversations: ConversationBook;
  sandbox: SandboxRecords;
  mailQueue: MailQueueStore;
  usageSync: UsageSyncRecords;
  /** Releases the database connections (nothing to do for the embedded files, written as they change). */
  close(): Promise<void>;
}

/** The embedded files of each part, in `DATA_DIR`. */
export const BOT_STATE_FILES = {
  conversations: 'conversations.json',
  sandbox: 'sandbox-gateway.json',
  mailQueue: 'graph-mail-queue.json',
  usageSync: 'graph-usage-sync.json',
} as const;

/**
 * Opens the bot's state beside the ledger: JSON documents in `DATA_DIR`, or tables in the
 * PostgreSQL of `DATABASE_URL` (migrated by `openLedgerStore`, which opens first) through a pool of
 * their own.
 */
export async function openBotState(choice: LedgerStoreChoice): Promise<BotState> {
  if (!choice.database) return openEmbeddedBotState(choice.dataDir);
  const { openPool } = await import('./postgres/pool.js');
  const pool = openPool(choice.database.url, choice.database.poolSize);
  return { ...(await postgresBotState(pool)), close: () => pool.end() };
}

/** The embedded files of a data folder (what they hold can be read whole, to copy it). */
export interface EmbeddedBotState extends BotState {
  conversations: JsonConversationBook;
  sandbox: JsonSandboxRecords;
}

/** The embedded files of a data folder. */
export async function openEmbeddedBotState(dataDir: string): Promise<EmbeddedBotState> {
  const file = (name: string) => path.join(dataDir, name);
  return {
    conversations: await JsonConversationBook.open(file(BOT_STATE_FILES.conversations)),
    sandbox: await JsonSandboxRecords.open(file(BOT_STATE_FILES.sandbox)),
    mailQueue: await JsonMailQueueStore.open(file(BOT_STATE_FILES.mailQueue)),
    usageSync: await JsonUsageSyncRecords.open(file(BOT_STATE_FILES.usageSync)),
    close: async () => undefined,
  };
}

/** The tables of a (migrated) database, through `pool`; the caller ends the pool. */
export async function postgresBotState(pool: Pool): Promise<Omit<BotState, 'close'> & { conversations: PostgresConversationBook }> {
  const [{ PostgresConversationBook }, { PostgresSandboxRecords }, { PostgresMailQueueStore }, { PostgresUsageSyncRecords }] = await Promise.all([
    import('./postgres/postgresConversationBook.js'),
    import('./postgres/postgresSandboxRecords.js'),
    import('./postgres/postgresMailQueueStore.js'),
    import('./postgres/postgresUsageSyncRecords.js'),
  ]);
  return {
    conversations: new PostgresConversationBook(pool),
    sandbox: new PostgresSandboxRecords(pool),
    mailQueue: new PostgresMailQueueStore(pool),
    usageSync: new PostgresUsageSyncRecords(pool),
  };
}
