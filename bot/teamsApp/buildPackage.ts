import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig, type Config } from '../config.js';
import { isMainModule } from '../isMainModule.js';
import { zip } from './zip.js';

export const APP_PACKAGE_DIR = path.resolve(import.meta.dirname, '../../appPackage');
const FILES = ['manifest.json', 'zh-cn.json', 'color.png', 'outline.png'] as const;
const NIL_GUID = '00000000-0000-0000-0000-000000000000';

export interface PackageValues {
  BOT_ID: string;
  TEAMS_APP_ID: string;
  BOT_DOMAIN: string | null;
}

/** The values the `${{NAME}}` placeholders take, and what is missing for a package that works. */
export function packageValues(config: Config): { values: PackageValues; warnings: string[] } {
  const warnings: string[] = [];
  const botId = config.bot.appId || NIL_GUID;
  if (!config.bot.appId) warnings.push("MicrosoftAppId is not set: the package names no bot and Teams cannot reach one. Set it to your Azure Bot's app id.");
  if (!config.teamsApp.botDomain) warnings.push('BOT_DOMAIN is not set: validDomains is empty and the developer links point to example.com.');
  return {
    values: { BOT_ID: botId, TEAMS_APP_ID: config.teamsApp.id ?? guidFrom(`comms-credits-teams-app:${botId}`), BOT_DOMAIN: config.teamsApp.botDomain },
    warnings,
  };
}

/** A stable GUID derived from text (so rebuilding the package keeps the app's id). */
export function guidFrom(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The manifest with its placeholders filled in; refuses a placeholder it does not know. */
/** The Teams manifest's own placeholder syntax (`${{NAME}}`), not a JavaScript template. */
const BOT_DOMAIN_PLACEHOLDER = ['$', '{{BOT_DOMAIN}}'].join('');

export function fillManifest(template: string, values: PackageValues): string {
  const manifest = JSON.parse(template) as { validDomains?: string[] };
  if (!values.BOT_DOMAIN) manifest.validDomains = (manifest.validDomains ?? []).filter((d) => !d.includes(BOT_DOMAIN_PLACEHOLDER));
  const filled = JSON.stringify(manifest, null, 2).replace(/\$\{\{([A-Z_]+)\}\}/g, (_, name: string) => {
    if (name === 'BOT_DOMAIN') return values.BOT_DOMAIN ?? 'example.com';
    if (name in values) return String(values[name as keyof PackageValues]);
    throw new Error(`appPackage/manifest.json uses \${{${name}}}, which the package builder does not know.`);
  });
  checkManifest(JSON.parse(filled));
  return filled;
}

/** The limits Teams enforces when an app is uploaded, checked before it gets that far. */
// biome-ignore lint/suspicious/noExplicitAny: a manifest as parsed from JSON; every field is checked before use.
export function checkManifest(manifest: any): void {
  const problems: string[] = [];
  const max = (what: string, text: unknown, limit: number) => {
    if (typeof text !== 'string' || text.length === 0 || text.length > limit) problems.push(`${what} must be 1–${limit} characters`);
  };
  const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (!guid.test(manifest.id)) problems.push('id must be a GUID');
  max('name.short', manifest.name?.short, 30);
  max('name.full', manifest.name?.full, 100);
  max('description.short', manifest.description?.short, 80);
  max('description.full', manifest.description?.full, 4000);
  for (const bot of manifest.bots ?? []) {
    if (!guid.test(bot.botId)) problems.push('bots[].botId must be a GUID (the Azure Bot app id)');
    for (const list of bot.commandLists ?? []) {
      if (list.commands.length > 10) problems.push('a command list has more than 10 commands');
      for (const command of list.commands) {
        max('a command title', command.title, 32);
        max('a command description', command.description, 128);
      }
    }
  }
  if (problems.length) throw new Error(`The Teams manifest is not valid: ${problems.join('; ')}.`);
}

/** Builds `appPackage/build/appPackage.zip` from the manifest, the Chinese localisation and the icons. */
export async function buildPackage(config: Config, folder = APP_PACKAGE_DIR): Promise<{ file: string; warnings: string[]; values: PackageValues }> {
  const { values, warnings } = packageValues(config);
  const entries = await Promise.all(
    FILES.map(async (name) => {
      const data = await readFile(path.join(folder, name));
      return { name, data: name === 'manifest.json' ? Buffer.from(fillManifest(data.toString('utf8'), values)) : data };
    }),
  );
  const out = path.join(folder, 'build', 'appPackage.zip');
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, zip(entries));
  return { file: out, warnings, values };
}

if (isMainModule(import.meta.url)) {
  try {
    const { file, warnings, values } = await buildPackage(loadConfig());
    for (const warning of warnings) console.warn(`Warning: ${warning}`);
    console.log(`Built ${path.relative(process.cwd(), file)} (app id ${values.TEAMS_APP_ID}, bot id ${values.BOT_ID}).`);
  } catch (error) {
    console.error(`Cannot build the app package: ${(error as Error).message}`);
    process.exit(1);
  }
}
