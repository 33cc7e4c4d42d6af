import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isMainModule } from '../../bot/isMainModule.js';
import { useTempFolders } from '../data/tempFolders.js';

const PROJECT = path.resolve(import.meta.dirname, '../..');
/** What a clone holds, without what installing, running or testing adds. */
const NOT_IN_A_CLONE = new Set(['node_modules', '.git', 'dist', 'test-results', '.data', path.join('appPackage', 'build'), path.join('bench', 'results')]);

describe('isMainModule', () => {
  const tempFolder = useTempFolders('main module ');

  it('knows the script Node was started with, in a path with spaces and characters a URL escapes', async () => {
    const folder = path.join(await tempFolder(), 'Comms Credits #1 %20 é');
    await mkdir(folder);
    const script = path.join(folder, 'build package.ts');
    await writeFile(script, '');
    expect(isMainModule(pathToFileURL(script).href, script)).toBe(true);
    expect(isMainModule(pathToFileURL(script).href, path.join(folder, 'other.ts'))).toBe(false);
    expect(isMainModule(pathToFileURL(script).href, undefined)).toBe(false);
  });

  it('follows a symbolic link to the script, as Node does for the main module', async () => {
    const folder = await tempFolder();
    const script = path.join(folder, 'real.ts');
    await writeFile(script, '');
    await symlink(script, path.join(folder, 'link.ts'));
    expect(isMainModule(pathToFileURL(script).href, path.join(folder, 'link.ts'))).toBe(true);
  });
});

describe('npm scripts from a project folder whose path has a space', () => {
  const tempFolder = useTempFolders('project path ');

  it('npm run package and npm run icons do their work', async () => {
    const project = path.join(await tempFolder(), 'comms credits');
    await cp(PROJECT, project, { recursive: true, filter: (source) => !NOT_IN_A_CLONE.has(path.relative(PROJECT, source)) });
    await symlink(path.join(PROJECT, 'node_modules'), path.join(project, 'node_modules'));
    const run = (script: string) =>
      promisify(execFile)('npm', ['run', '--silent', script], {
        cwd: project,
        env: { ...process.env, MicrosoftAppId: '6f1c2e3d-4b5a-4c7d-8e9f-0a1b2c3d4e5f' },
      });

    const packaged = await run('package');
    expect(packaged.stdout).toMatch(/Built appPackage\/build\/appPackage\.zip/);
    expect((await stat(path.join(project, 'appPackage', 'build', 'appPackage.zip'))).size).toBeGreaterThan(1_000);

    const iconFile = path.join(project, 'appPackage', 'outline.png');
    await writeFile(iconFile, '');
    const icons = await run('icons');
    expect(icons.stdout).toMatch(/Wrote .*comms credits\/appPackage\/color\.png/);
    expect(await readFile(iconFile)).toEqual(await readFile(path.join(PROJECT, 'appPackage', 'outline.png')));
  }, 60_000);
});
