import { describeDatabase } from '../data/postgres/connection.js';
import { copyDataFolder, StoreCopyRefused, type StoreCopyReport } from '../data/storeCopy.js';
import { loadConfig } from './config.js';
import { isMainModule } from './isMainModule.js';

/**
 * `npm run store:copy [-- --into-non-empty]`: copies the embedded store of DATA_DIR into the
 * PostgreSQL of DATABASE_URL, for moving a deployment. Stop the bot first (the folder lock refuses
 * a running one), copy, then start it with DATABASE_URL.
 */
export async function copyConfiguredStore(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  log: (message: string) => void = () => undefined,
): Promise<{ database: string; dataDir: string; report: StoreCopyReport }> {
  const unknown = args.filter((arg) => arg !== '--into-non-empty');
  if (unknown.length > 0) throw new Error(`Unknown argument ${unknown.join(' ')}; the only one is --into-non-empty.`);
  const { database, dataDir } = loadConfig(env);
  if (!database) throw new Error('DATABASE_URL is not set: it names the PostgreSQL to copy into.');
  const report = await copyDataFolder({ dataDir, url: database.url, intoNonEmpty: args.includes('--into-non-empty'), log });
  return { database: describeDatabase(database.url), dataDir, report };
}

if (isMainModule(import.meta.url)) {
  try {
    const { database, dataDir, report } = await copyConfiguredStore(process.argv.slice(2), process.env, (message) => console.log(message));
    const copied = report.tenants.filter((t) => t.state === 'copied').length;
    console.log(
      `Copied ${dataDir} into ${database}: ${copied} tenant(s) copied, ${report.tenants.length - copied} already there, each checked ` +
        `(balance = Σ lots − debt = Σ journal); ${report.alertIds.size} pending alert(s), ${report.conversations} conversation(s), ` +
        `${report.people} people, ${report.sandboxCharges} sandbox charge(s), ${report.queuedMail} queued mail(s). Start the bot with DATABASE_URL.`,
    );
  } catch (error) {
    console.error(`${error instanceof StoreCopyRefused ? 'Refused' : 'Cannot copy'}: ${(error as Error).message}`);
    process.exit(1);
  }
}
