import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Whether the module at `moduleUrl` (its `import.meta.url`) is the script Node was started with,
 * so a file can be both imported and run (`npm run package`). Compared as paths, not as hand-built
 * `file://` text, which a space or any other character a URL escapes would make differ; symbolic
 * links are followed the way Node follows them for the main module.
 */
export function isMainModule(moduleUrl: string, script: string | undefined = process.argv[1]): boolean {
  if (!script) return false;
  return fileURLToPath(moduleUrl) === realPath(path.resolve(script));
}

function realPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}
