import { clientConfig, describeDatabase } from '../data/postgres/connection.js';
import { migrateDatabase } from '../data/postgres/migrate.js';
import { loadConfig } from './config.js';
import { isMainModule } from './isMainModule.js';

/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_URL's database and stops, for
 * operators who migrate before deploying. The bot also applies them at start, under the same lock.
 */
export async function migrateConfiguredDatabase(env: NodeJS.ProcessEnv = process.env): Promise<{ database: string; applied: string[] }> {
  const { database } = loadConfig(env);
  if (!database) throw new Error('DATABASE_URL is not set: the embedded store needs no migrations.');
  const applied = await migrateDatabase(clientConfig(database.url), (message) => console.warn(message));
  return { database: describeDatabase(database.url), applied };
}

if (isMainModule(import.meta.url)) {
  try {
    const { database, applied } = await migrateConfiguredDatabase();
    console.log(applied.length > 0 ? `Applied to ${database}: ${applied.join(', ')}.` : `${database} is up to date.`);
  } catch (error) {
    console.error(`Cannot migrate: ${(error as Error).message}`);
    process.exit(1);
  }
}
