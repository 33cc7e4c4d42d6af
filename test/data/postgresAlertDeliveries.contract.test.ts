import pg from 'pg';
import { clientConfig } from '../../data/postgres/connection.js';
import { PostgresAlertDeliveries } from '../../data/postgres/postgresAlertDeliveries.js';
import { openPostgresLedgerStore } from '../../data/postgres/postgresLedgerStore.js';
import { describeAlertDeliveriesContract } from './alertDeliveriesContract.js';
import { useTestDatabase } from './postgresTestDatabase.js';

const database = useTestDatabase();
const schemas = new Map<string, string>();
let instances = 0;

// A place is a schema of the file's database; each instance has a store and a pool of its own, as a process would.
describeAlertDeliveriesContract(
  'PostgreSQL',
  async (url, leaseMs) => {
    const store = await openPostgresLedgerStore({ url, poolSize: 2 });
    const pool = new pg.Pool({ ...clientConfig(url), max: 2 });
    const deliveries = new PostgresAlertDeliveries(pool, `instance-${++instances}`, leaseMs);
    return {
      store,
      deliveries,
      async close() {
        await store.close();
        await pool.end();
      },
    };
  },
  {
    severalInstances: true,
    createPlace: async () => {
      const { schema, url } = await database.createSchema();
      schemas.set(url, schema);
      return url;
    },
    removePlace: (url) => database.dropSchema(schemas.get(url)!),
  },
);
