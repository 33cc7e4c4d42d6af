import { PostgresConversationBook } from '../../data/postgres/postgresConversationBook.js';
import { describeConversationBookContract } from './conversationBookContract.js';
import { useTestDatabase } from './postgresTestDatabase.js';
import { schemaPlaces } from './storePlaces.js';

describeConversationBookContract(
  'PostgreSQL',
  schemaPlaces(useTestDatabase(), (pool) => new PostgresConversationBook(pool)),
);
