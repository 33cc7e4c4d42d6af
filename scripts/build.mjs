// @ts-check
/**
 * `npm run build`: bundles the bot with esbuild into dist/ (dist/index.js, chunks in dist/chunks/,
 * a few dependencies in dist/node_modules/: see VENDORED), the npm packages included, so
 * `node dist/index.js` needs no node_modules and no TypeScript tooling.
 *
 * Why a bundle rather than tsc's one JavaScript file per source: the start-up was spent resolving,
 * reading and compiling about 1,100 CommonJS files of botbuilder, restify and their dependencies.
 * Parts used only later are split into chunks loaded at first use (botbuilder at the first activity,
 * Microsoft Graph when configured). esbuild only strips types: `npm run typecheck` checks them.
 *
 * Run as a script: `node scripts/build.mjs [--outdir=DIR]`. `npm start` (scripts/start.mjs) runs
 * it when dist/ is missing or older than what it was built from (see `isBuildCurrent`).
 */
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST = path.join(ROOT, 'dist');
/** Written last by a build: what it was built from, for `isBuildCurrent`. */
const RECORD = 'build.json';

/**
 * Files and folders read at run time from beside the module that reads them (`new URL('./x',
 * import.meta.url)`): each is copied beside the output file that holds that module, a folder with
 * what it holds (the PostgreSQL migrations, applied at start when DATABASE_URL is set).
 */
const ASSETS = [
  { module: 'data/rates/loadRateTable.ts', file: 'data/rates/sample-rates.json' },
  { module: 'data/postgres/migrate.ts', file: 'data/postgres/migrations' },
];

/** The files an asset stands for, relative to the project: itself, or those in its folder. */
const assetFiles = (/** @type {{ file: string }} */ asset) =>
  statSync(path.join(ROOT, asset.file)).isDirectory() ? readdirSync(path.join(ROOT, asset.file)).map((name) => path.join(asset.file, name)) : [asset.file];

/**
 * Dependencies bundled each into one CommonJS file of its own under dist/node_modules/, where the
 * main bundle loads them by name. Node warns about deprecated APIs only in code outside
 * node_modules: restify's url.parse() (Node 24) and new Buffer(), and the punycode module that
 * node-fetch's URL parser loads (Node 22 and 24), would warn at every start from the main bundle.
 */
const VENDORED = ['restify', 'node-fetch'];
/**
 * The main bundle loads a vendored package with require(), even where the source imports it: Node
 * would otherwise run its CommonJS export scanner over the whole file, which keeps about 10 MB.
 * Every importer must mean the copy that was vendored (the one the project root resolves to).
 * @type {import('esbuild').Plugin}
 */
const requireVendored = {
  name: 'require-vendored',
  setup(build) {
    const filter = new RegExp(`^(${VENDORED.join('|')})$`);
    const resolve = createRequire(path.join(ROOT, 'package.json')).resolve;
    build.onResolve({ filter }, async (args) => {
      if (args.pluginData === 'as-esbuild-would') return undefined;
      if (args.namespace === 'vendored') return { path: args.path, external: true };
      const meant = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'as-esbuild-would' });
      if (meant.path !== resolve(args.path)) throw new Error(`${args.importer} imports another ${args.path} (${meant.path}) than the one vendored`);
      return { path: args.path, namespace: 'vendored' };
    });
    build.onLoad({ filter: /.*/, namespace: 'vendored' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};
/**
 * Run before the main bundle. Bundled CommonJS calls require() for Node's own modules: ESM has none
 * of its own. pino runs a transport (pino-pretty, in development at a terminal) in a worker thread
 * that loads its own and thread-stream's files by path, which a bundle does not have: it is told
 * where the installed ones are (pino's hook for bundlers, `__bundlerPathsOverrides`). Where they
 * are not installed, as in a production install without dev dependencies, no transport is used.
 */
const BANNER = `import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
try {
  globalThis.__bundlerPathsOverrides ??= {
    'thread-stream-worker': require.resolve('thread-stream/lib/worker.js'),
    'pino-worker': require.resolve('pino/lib/worker.js'),
    'pino/file': require.resolve('pino/file.js'),
  };
} catch {}`;
/**
 * restify's `plugins` object requires all 30 of its plugins (body parsers with formidable, static
 * files with send, HTTP signatures with sshpk and tweetnacl, …) when restify loads; the bot uses
 * only queryParser. Each becomes a getter that loads its plugin when first read: restify then loads
 * in about 50 ms less CPU and a megabyte less heap. Its own pino (version 8, for a logger the bot
 * does not use: the server is given the bot's) loads the same way, when first called. Fails the
 * build if either file changed shape.
 * @type {import('esbuild').Plugin}
 */
const lazyRestifyPlugins = {
  name: 'lazy-restify-plugins',
  setup(build) {
    build.onLoad({ filter: /[\\/]restify[\\/]lib[\\/]plugins[\\/]index\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const lazy = source.replace(/(\w+): require\(('[^']+')\)/g, 'get $1() { return require($2); }');
      if (lazy === source || /:\s*require\(/.test(lazy))
        throw new Error(`${args.path} no longer lists its plugins as \`name: require('./file')\`: see lazyRestifyPlugins`);
      return { contents: lazy, loader: 'js' };
    });
    build.onLoad({ filter: /[\\/]restify[\\/]lib[\\/]index\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const lazy = source
        .replace("var pino = require('pino');", "function pino() { return require('pino').apply(this, arguments); }")
        .replace('module.exports.logger = pino;', "Object.defineProperty(module.exports, 'logger', { enumerable: true, get: () => require('pino') });");
      if (/require\('pino'\);|logger = pino;/.test(lazy))
        throw new Error(`${args.path} no longer loads pino as \`var pino = require('pino');\`: see lazyRestifyPlugins`);
      return { contents: lazy, loader: 'js' };
    });
  },
};
/**
 * zod's `z.locales` (error messages in 60-odd languages, ~300 KB: half of zod in the bundle) stays
 * in the bundle because `z` is one namespace object; the bot uses none but English, which zod
 * sets itself. The namespace keeps only `en`: a `z.locales.fr()` would then throw "not a function"
 * rather than pass unnoticed. About 300 KB less to compile before the server listens, and to keep.
 * @type {import('esbuild').Plugin}
 */
const englishZodLocaleOnly = {
  name: 'english-zod-locale-only',
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const english = 'export { default as en } from "./en.js";';
      if (!source.split('\n').includes(english) || /^(?!export \{ default as \w+ \} from "\.\/[\w-]+\.js";$).+$/m.test(source))
        throw new Error(`${args.path} no longer lists its locales as \`export { default as xx } from "./xx.js";\`: see englishZodLocaleOnly`);
      return { contents: english, loader: 'js' };
    });
  },
};
/** restify's optional DTrace probes: a native addon, not installed; restify runs without it. */
const ABSENT = ['dtrace-provider'];

/** Changes to these make a build stale too: the dependencies are bundled, and this script says how. */
const BUILD_INPUTS = ['package.json', 'package-lock.json', 'scripts/build.mjs'];

/**
 * Builds into `outdir` (emptied first). Returns the output files written, relative to `outdir`.
 * @param {{ outdir?: string }} [options]
 */
export async function build({ outdir = DIST } = {}) {
  const esbuild = await import('esbuild');
  /** @type {import('esbuild').BuildOptions} */
  const common = {
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    target: 'node20.19',
    // Smaller source to keep in memory; names stay readable in stack traces.
    minifyWhitespace: true,
    legalComments: 'external',
    charset: 'ascii',
    sourcemap: 'linked',
    metafile: true,
    write: false,
    logLevel: 'warning',
  };
  /** @type {import('esbuild').BuildResult[]} */
  const results = [
    await esbuild.build({
      ...common,
      entryPoints: { index: 'bot/index.ts' },
      outdir,
      chunkNames: 'chunks/[name]-[hash]',
      splitting: true,
      format: 'esm',
      banner: { js: BANNER },
      external: ABSENT,
      plugins: [requireVendored, englishZodLocaleOnly],
    }),
  ];
  const resolve = createRequire(path.join(ROOT, 'package.json')).resolve;
  const vendored = [];
  for (const name of VENDORED) {
    const folder = path.join(outdir, 'node_modules', name);
    const { version } = JSON.parse(readFileSync(resolve(`${name}/package.json`), 'utf8'));
    vendored.push({ folder, manifest: { name, version, private: true, type: 'commonjs', main: 'index.js' } });
    results.push(
      await esbuild.build({
        ...common,
        entryPoints: [resolve(name)],
        outfile: path.join(folder, 'index.js'),
        format: 'cjs',
        external: [...VENDORED.filter((other) => other !== name), ...ABSENT],
        plugins: name === 'restify' ? [lazyRestifyPlugins] : [],
      }),
    );
  }
  await rm(outdir, { recursive: true, force: true });
  const written = [];
  for (const result of results) written.push(...(await writeOutputs(result.outputFiles ?? [], outdir)));
  for (const { folder, manifest } of vendored) {
    await writeOutput(path.join(folder, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    written.push(path.relative(outdir, path.join(folder, 'package.json')));
  }
  const outputs = Object.assign({}, ...results.map((r) => r.metafile?.outputs));
  for (const asset of ASSETS) {
    const holder = Object.entries(outputs).find(([, output]) => asset.module in output.inputs);
    if (!holder) throw new Error(`${asset.module} is not in the bundle, so ${asset.file} has nobody to read it`);
    const beside = path.dirname(path.resolve(ROOT, holder[0]));
    for (const file of assetFiles(asset)) {
      const target = path.join(beside, path.relative(path.dirname(asset.file), file));
      await mkdir(path.dirname(target), { recursive: true });
      await copyFile(path.join(ROOT, file), target);
      written.push(path.relative(outdir, target));
    }
  }
  const inputs = results.flatMap((r) => Object.keys(r.metafile?.inputs ?? {}));
  // The project's own files (not packages, not the plugin's `vendored:` modules).
  const sources = [...new Set(inputs.filter((input) => !input.includes('node_modules/') && !input.startsWith('vendored:')))];
  const record = { builtAt: new Date().toISOString(), esbuild: esbuild.version, sources: [...sources, ...ASSETS.flatMap(assetFiles), ...BUILD_INPUTS] };
  await writeFile(path.join(outdir, RECORD), `${JSON.stringify(record, null, 2)}\n`);
  return written;
}

/**
 * Writes esbuild's output files, JavaScript escaped to ASCII (see `escapeNonAscii`) with its source
 * map to match. Returns the paths written, relative to `outdir`.
 * @param {import('esbuild').OutputFile[]} files
 * @param {string} outdir
 */
async function writeOutputs(files, outdir) {
  const maps = new Map(files.filter((f) => f.path.endsWith('.map')).map((f) => [f.path, f.text]));
  const written = [];
  for (const file of files) {
    if (file.path.endsWith('.map')) continue;
    let text = file.text;
    if (file.path.endsWith('.js')) {
      const escaped = escapeNonAscii(text, maps.get(`${file.path}.map`) ?? null);
      text = escaped.code;
      if (escaped.map !== null) maps.set(`${file.path}.map`, escaped.map);
    }
    await writeOutput(file.path, text);
    written.push(path.relative(outdir, file.path));
  }
  for (const [file, text] of maps) {
    await writeOutput(file, text);
    written.push(path.relative(outdir, file));
  }
  return written;
}

/**
 * Whether `outdir` holds a build newer than every file it was built from (the project's sources in
 * the bundle, the shipped data, package.json, the lock files and this script). A file added since
 * is read only if one already there now imports it, and that one is newer; a file deleted since was
 * imported by one that changed too. So an image that ships dist/ without the sources is current.
 * @param {string} [outdir]
 */
export function isBuildCurrent(outdir = DIST) {
  let builtAt;
  let sources;
  try {
    builtAt = statSync(path.join(outdir, RECORD)).mtimeMs;
    sources = /** @type {{ sources: string[] }} */ (JSON.parse(readFileSync(path.join(outdir, RECORD), 'utf8'))).sources;
  } catch {
    return false;
  }
  for (const source of sources) {
    if ((statSync(path.resolve(ROOT, source), { throwIfNoEntry: false })?.mtimeMs ?? 0) > builtAt) return false;
  }
  return true;
}

/**
 * esbuild escapes non-ASCII characters everywhere but in regular expression literals (the
 * Recognizers' Chinese numerals, fast-redact's "〇"). One such character makes V8 keep the whole
 * file's source as two bytes a character, which is most of a megabyte for the main bundle: they
 * are escaped here (the same pattern in a regular expression, with or without the u flag), and the
 * source map's columns moved to match.
 * @param {string} code
 * @param {string | null} map
 */
export function escapeNonAscii(code, map) {
  if (!/[^\x00-\x7f]/.test(code)) return { code, map };
  const lines = code.split('\n');
  /** Per line, the columns (UTF-16 units) of the characters escaped, each now 5 longer. */
  const shifts = lines.map((line) => {
    const columns = [];
    for (let i = 0; i < line.length; i++) if (line.charCodeAt(i) > 0x7f) columns.push(i);
    return columns;
  });
  const escaped = lines.map((line) => line.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)).join('\n');
  if (map === null) return { code: escaped, map };
  const json = JSON.parse(map);
  json.mappings = json.mappings
    .split(';')
    .map((/** @type {string} */ line, /** @type {number} */ index) => {
      const columns = shifts[index] ?? [];
      if (columns.length === 0 || line === '') return line;
      let column = 0;
      let shifted = 0;
      return line
        .split(',')
        .map((segment) => {
          const [delta, rest] = readVlq(segment);
          column += delta;
          const moved = column + 5 * columns.filter((c) => c < column).length;
          const out = writeVlq(moved - shifted) + rest;
          shifted = moved;
          return out;
        })
        .join(',');
    })
    .join(';');
  return { code: escaped, map: JSON.stringify(json) };
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * The first base-64 VLQ number of a source map segment, and the rest of the segment.
 * @param {string} segment
 * @returns {[number, string]}
 */
function readVlq(segment) {
  let value = 0;
  let shift = 0;
  let i = 0;
  for (;;) {
    const digit = BASE64.indexOf(segment[i++] ?? '');
    if (digit < 0) throw new Error(`bad source map segment ${segment}`);
    value += (digit & 31) << shift;
    shift += 5;
    if ((digit & 32) === 0) break;
  }
  return [value & 1 ? -(value >>> 1) : value >>> 1, segment.slice(i)];
}

/** @param {number} n */
function writeVlq(n) {
  let value = n < 0 ? (-n << 1) | 1 : n << 1;
  let out = '';
  do {
    let digit = value & 31;
    value >>>= 5;
    if (value > 0) digit |= 32;
    out += BASE64[digit];
  } while (value > 0);
  return out;
}

/**
 * @param {string} file
 * @param {string} text
 */
async function writeOutput(file, text) {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outdir = path.resolve(process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) ?? DIST);
  const started = performance.now();
  const written = await build({ outdir });
  const shown = path.relative(process.cwd(), outdir);
  console.log(
    `Built ${shown.startsWith('..') ? outdir : shown || '.'}/ (${written.filter((f) => f.endsWith('.js')).length} JavaScript files) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
