import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { BENCH_DIR } from './child.js';

/**
 * Compiles a bench module to one plain ESM file (npm packages left external), so it can run under
 * plain `node` without the tsx loader, whose own thread and caches hold about 50 MB. Uses the
 * esbuild dev dependency; returns null if it cannot.
 */
export async function compileToJs(module: string): Promise<string | null> {
  try {
    const esbuild = await import('esbuild');
    const outfile = path.join(BENCH_DIR, 'results', '.build', `${path.basename(module, '.ts')}.mjs`);
    await mkdir(path.dirname(outfile), { recursive: true });
    await esbuild.build({
      entryPoints: [path.join(BENCH_DIR, module)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'silent',
    });
    return outfile;
  } catch {
    return null;
  }
}
