import { PostgresMailQueueStore } from '../../data/postgres/postgresMailQueueStore.js';
import { PostgresSandboxRecords } from '../../data/postgres/postgresSandboxRecords.js';
import { PostgresUsageSyncRecords } from '../../data/postgres/postgresUsageSyncRecords.js';
import { describeMailQueueStoreContract } from './mailQueueStoreContract.js';
import { useTestDatabase } from './postgresTestDatabase.js';
import { describeSandboxRecordsContract } from './sandboxRecordsContract.js';
import { schemaPlaces } from './storePlaces.js';
import { describeUsageSyncRecordsContract } from './usageSyncRecordsContract.js';

const database = useTestDatabase();
describeSandboxRecordsContract(
  'PostgreSQL',
  schemaPlaces(database, (pool) => new PostgresSandboxRecords(pool)),
);
describeUsageSyncRecordsContract(
  'PostgreSQL',
  schemaPlaces(database, (pool) => new PostgresUsageSyncRecords(pool)),
);
describeMailQueueStoreContract(
  'PostgreSQL',
  schemaPlaces(database, (pool) => new PostgresMailQueueStore(pool)),
);
