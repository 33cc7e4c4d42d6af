import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { createRequire, SourceMap } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, escapeNonAscii, isBuildCurrent, ROOT } from '../../scripts/build.mjs';
import { useTestDatabase } from '../data/postgresTestDatabase.js';
import { startFakeConnector, type FakeConnector } from '../e2e/support/fakeConnector.js';
import { startBuilt } from './builtBot.js';

/**
 * The production build: bundled once into a temporary folder outside the repository (so nothing
 * can come from the project's node_modules), then started as `npm start` runs it.
 */
let outdir: string;
const db = useTestDatabase();

beforeAll(async () => {
  outdir = await mkdtemp(path.join(os.tmpdir(), 'bot-build-'));
  await build({ outdir });
}, 120_000);

afterAll(async () => {
  await rm(outdir, { recursive: true, force: true });
});

describe('npm run build (scripts/build.mjs)', () => {
  it('writes the bundle, the vendored restify and node-fetch and the sample rate table, all JavaScript in ASCII', async () => {
    const files = await readdir(outdir, { recursive: true });
    expect(files).toEqual(
      // The rate table lies beside the chunk that reads it: the app's, loaded after the server listens.
      expect.arrayContaining(['index.js', 'chunks/sample-rates.json', 'build.json', 'node_modules/restify/index.js', 'node_modules/node-fetch/index.js']),
    );
    for (const file of files.filter((f) => f.endsWith('.js'))) {
      expect(/[^\x00-\x7f]/.test(await readFile(path.join(outdir, file), 'utf8')), file).toBe(false);
    }
  });

  it('vendors restify with each of its plugins loaded only when first read (the bot reads only queryParser)', () => {
    const restify = createRequire(import.meta.url)(path.join(outdir, 'node_modules/restify/index.js')) as {
      plugins: Record<string, unknown> & { pre: Record<string, unknown> };
    };
    for (const [holder, name] of [
      [restify.plugins, 'bodyParser'],
      [restify.plugins, 'queryParser'],
      [restify.plugins.pre, 'dedupeSlashes'],
    ] as const) {
      expect(typeof Object.getOwnPropertyDescriptor(holder, name)?.get, name).toBe('function');
      expect(typeof holder[name], name).toBe('function');
    }
  });

  describe('the built bot', () => {
    let dataDir: string;
    let connector: FakeConnector;
    let bot: Awaited<ReturnType<typeof startBuilt>>;

    beforeAll(async () => {
      dataDir = await mkdtemp(path.join(os.tmpdir(), 'bot-built-'));
      connector = await startFakeConnector();
      bot = await startBuilt(outdir, dataDir);
    }, 30_000);

    afterAll(async () => {
      await bot.stop();
      await connector.close();
      await rm(dataDir, { recursive: true, force: true });
    });

    it('answers /healthz, and prints no warning', async () => {
      const response = await fetch(`${bot.base}/healthz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });
      expect(bot.output()).not.toMatch(/Warning|DEP0/);
    });

    it('loads botbuilder at the first activity, not at start, and answers it', async () => {
      const botChunks = (urls: string[]) => urls.filter((url) => /\/chunks\/(creditsBot|botAdapter)-/.test(url));
      expect(botChunks(await bot.loaded())).toEqual([]);
      const response = await fetch(`${bot.base}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'message',
          id: 'first',
          text: 'balance',
          channelId: 'msteams',
          serviceUrl: connector.serviceUrl,
          from: { id: '29:alex', aadObjectId: 'aad-alex', name: 'Alex' },
          recipient: { id: '28:credits-bot' },
          conversation: { id: 'a:personal-alex', conversationType: 'personal', tenantId: 'local' },
          channelData: { tenant: { id: 'local' } },
          locale: 'en-US',
        }),
      });
      expect(response.status).toBe(200);
      expect(botChunks(await bot.loaded())).toHaveLength(2);
      expect(connector.repliesTo('first')).toHaveLength(1);
      expect(bot.output()).not.toMatch(/Warning|DEP0/);
    });
  });

  it('starts at a terminal in development, where its log goes through pino-pretty in a worker thread', async () => {
    // The build beside the project's node_modules, where pino-pretty is installed.
    const project = await mkdtemp(path.join(os.tmpdir(), 'bot-built-dev-'));
    await cp(outdir, path.join(project, 'dist'), { recursive: true });
    await symlink(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'));
    const dataDir = path.join(project, 'data');
    await mkdir(dataDir);
    const bot = await startBuilt(path.join(project, 'dist'), dataDir, {}, { terminal: true });
    try {
      expect((await fetch(`${bot.base}/healthz`)).status).toBe(200);
    } finally {
      await bot.stop();
      await rm(project, { recursive: true, force: true });
    }
  });

  it('with DATABASE_URL, migrates a fresh database from the migrations shipped beside the bundle, and serves', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bot-built-pg-'));
    const bot = await startBuilt(outdir, dataDir, { DATABASE_URL: db.url, OPERATOR_API_KEY: 'built-key' });
    try {
      expect((await fetch(`${bot.base}/readyz`)).status).toBe(200);
      const headers = { authorization: 'Bearer built-key', 'content-type': 'application/json' };
      const funds = { amount: '25.00', currency: 'USD', idempotencyKey: 'built-seed', note: 'test' };
      expect((await fetch(`${bot.base}/api/tenants/built-t/funds`, { method: 'POST', headers, body: JSON.stringify(funds) })).status).toBe(200);
      const account = await fetch(`${bot.base}/api/tenants/built-t/account`, { headers });
      expect(account.status).toBe(200);
      expect(await account.json()).toMatchObject({ tenantId: 'built-t' });
      expect((await db.query('SELECT count(*)::int AS n FROM pgmigrations')).rows[0]?.n).toBeGreaterThan(0);
    } finally {
      await bot.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('reads the sample rate table from beside the bundle: without it the bot does not start', async () => {
    const table = path.join(outdir, 'chunks', 'sample-rates.json');
    await rename(table, `${table}.away`);
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bot-built-'));
    try {
      await expect(startBuilt(outdir, dataDir)).rejects.toThrow(`Rate table ${table} cannot be read`);
    } finally {
      await rename(`${table}.away`, table);
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('isBuildCurrent (npm start builds first when it is not)', () => {
  it('is current right after a build', () => {
    expect(isBuildCurrent(outdir)).toBe(true);
  });

  it('is stale when a source it was built from is newer, or the build record is missing; sources left out of an image do not count', async () => {
    const copy = await mkdtemp(path.join(os.tmpdir(), 'bot-build-record-'));
    const source = path.join(copy, 'source.ts');
    await writeFile(source, '');
    const record = JSON.parse(await readFile(path.join(outdir, 'build.json'), 'utf8'));
    try {
      expect(isBuildCurrent(copy)).toBe(false);
      await writeFile(path.join(copy, 'build.json'), JSON.stringify({ ...record, sources: [...record.sources, source] }));
      const past = new Date(Date.now() - 60_000);
      await utimes(source, past, past);
      expect(isBuildCurrent(copy)).toBe(true);
      const future = new Date(Date.now() + 60_000);
      await utimes(source, future, future);
      expect(isBuildCurrent(copy)).toBe(false);
      await rm(source);
      expect(isBuildCurrent(copy)).toBe(true);
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });
});

describe('escapeNonAscii', () => {
  it('escapes what esbuild leaves in regular expressions, same pattern, and moves the source map columns to match', async () => {
    const code = 'const a=/〇|五十/u.test(x);const b=/[０-９]/.test(y);const marker=1;\nconst c=/é/;';
    // One segment at `marker` on line 0 and one at `c` on line 1, each pointing at line 0/1 column 0 of the source.
    const marker = code.indexOf('marker');
    const map = JSON.stringify({ version: 3, sources: ['in.js'], names: [], mappings: `${vlq(marker)}AAAA;AACA` });
    const escaped = escapeNonAscii(code, map);
    expect(escaped.code).not.toMatch(/[^\x00-\x7f]/);
    expect(escaped.code).toContain(String.raw`/\u3007|\u4e94\u5341/u`);
    for (const text of ['〇', '五十', '５']) {
      const run = (source: string) => new Function('x', 'y', `${source.split(';const marker')[0]};return [a,b];`)(text, text);
      expect(run(escaped.code)).toEqual(run(code));
    }
    const entry = new SourceMap(JSON.parse(escaped.map!)).findEntry(0, escaped.code.indexOf('marker'));
    expect(entry).toMatchObject({ generatedColumn: escaped.code.indexOf('marker'), originalLine: 0, originalColumn: 0 });
    expect(escapeNonAscii('plain', map)).toEqual({ code: 'plain', map });
  });
});

/** A source map VLQ number. */
function vlq(n: number): string {
  const digits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let value = n < 0 ? (-n << 1) | 1 : n << 1;
  let out = '';
  do {
    let digit = value & 31;
    value >>>= 5;
    if (value > 0) digit |= 32;
    out += digits[digit];
  } while (value > 0);
  return out;
}
