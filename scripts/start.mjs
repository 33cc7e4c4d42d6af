// @ts-check
/**
 * `npm start`: runs the built bot (dist/index.js) in this process, building it first, in a child
 * process that ends before the bot starts, when dist/ is missing or older than what it was built
 * from. So `npm install && npm start` works on a fresh clone, and an image built once with
 * `npm run build` starts at once, without esbuild or any other dev dependency.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DIST, isBuildCurrent } from './build.mjs';

const entry = path.join(DIST, 'index.js');

if (!isBuildCurrent()) {
  if (esbuildInstalled()) {
    console.log('dist/ is missing or older than the sources: building it (npm run build)');
    const built = spawnSync(process.execPath, [fileURLToPath(new URL('./build.mjs', import.meta.url))], { stdio: 'inherit' });
    if (built.status !== 0) {
      console.error('Cannot start: the build failed.');
      process.exit(built.status ?? 1);
    }
  } else if (existsSync(entry)) {
    // A production install (npm ci --omit=dev) cannot build: it runs the build it was given.
    console.log('dist/ looks older than package.json or the sources, and esbuild (a dev dependency) is not installed: running dist/ as built.');
  } else {
    console.error(
      'Cannot start: dist/ is missing and esbuild (a dev dependency) is not installed. Run `npm run build` where `npm install` installed it, and ship dist/.',
    );
    process.exit(1);
  }
}

await import(pathToFileURL(entry).href);

function esbuildInstalled() {
  try {
    createRequire(import.meta.url).resolve('esbuild');
    return true;
  } catch {
    return false;
  }
}
