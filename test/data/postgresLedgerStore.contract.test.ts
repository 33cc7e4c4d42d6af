import { openPostgresLedgerStore } from '../../data/postgres/postgresLedgerStore.js';
import { describeLedgerStoreContract } from './ledgerStoreContract.js';
import { useTestDatabase } from './postgresTestDatabase.js';

const database = useTestDatabase();
const schemas = new Map<string, string>();

// A place is a schema of the file's database; opening the store migrates it.
describeLedgerStoreContract('PostgreSQL', (url) => openPostgresLedgerStore({ url, poolSize: 4 }), {
  createPlace: async () => {
    const { schema, url } = await database.createSchema();
    schemas.set(url, schema);
    return url;
  },
  removePlace: (url) => database.dropSchema(schemas.get(url)!),
});
