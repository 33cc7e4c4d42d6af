// @ts-check
/**
 * `npm start`: runs the built bot (dist/index.js) in this process, building it first, in a child
 * process that ends before the bot starts, when dist/ is missing or older than what it was built
 * from. So `npm install && npm start` works on a fresh clone, and an image built once with
 * `npm run build` starts at once, without esbuild or any other dev dependency.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DIST, isBuildCurrent } from './build.mjs';

if (!isBuildCurrent()) {
  console.log('dist/ is missing or older than the sources: building it (npm run build)');
  const built = spawnSync(process.execPath, [fileURLToPath(new URL('./build.mjs', import.meta.url))], { stdio: 'inherit' });
  if (built.status !== 0) {
    console.error('Cannot start: the build failed (esbuild is a dev dependency: build where `npm install` installed it, then ship dist/).');
    process.exit(built.status ?? 1);
  }
}

await import(pathToFileURL(`${DIST}/index.js`).href);
