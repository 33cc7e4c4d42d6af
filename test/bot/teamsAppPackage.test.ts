import { cp, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32, inflateRawSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/config.js';
import { APP_PACKAGE_DIR, buildPackage, fillManifest } from '../../bot/teamsApp/buildPackage.js';
import { useTempFolders } from '../data/tempFolders.js';

/** The entries of a zip, read from its central directory, each checked against its CRC. */
function unzip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(dataAt, dataAt + compressed);
    const data = method === 8 ? inflateRawSync(raw) : raw;
    expect(crc32(data), name).toBe(crc);
    files.set(name, data);
    at += 46 + nameLength + extra + comment;
  }
  return files;
}

/** Width, height and RGBA pixels of a PNG this project wrote (8-bit RGBA, filter 0). */
function readPng(png: Buffer): { width: number; height: number; pixels: Buffer } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    if (type === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    expect(crc32(png.subarray(at + 4, at + 8 + length))).toBe(png.readUInt32BE(at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = Buffer.concat(Array.from({ length: height }, (_, y) => raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1))));
  return { width, height, pixels };
}

const BOT_ID = '6f1c2e3d-4b5a-4c7d-8e9f-0a1b2c3d4e5f';

describe('Teams app package', () => {
  const tempFolder = useTempFolders('app-package-');

  it('npm run package builds a zip with the filled manifest, the Chinese localisation and both icons', async () => {
    const folder = await tempFolder();
    await mkdir(folder, { recursive: true });
    await cp(APP_PACKAGE_DIR, folder, { recursive: true, filter: (source) => !source.includes(`${path.sep}build`) });
    const config = loadConfig({ MicrosoftAppId: BOT_ID, MicrosoftAppPassword: 'x', BOT_DOMAIN: 'credits.contoso.com' });
    const { file, warnings } = await buildPackage(config, folder);
    expect(warnings).toEqual([]);
    const files = unzip(await readFile(file));
    expect([...files.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png', 'zh-cn.json']);

    const manifestText = files.get('manifest.json')!.toString('utf8');
    expect(manifestText).not.toContain('${{');
    const manifest = JSON.parse(manifestText);
    expect(Number(manifest.manifestVersion)).toBeGreaterThanOrEqual(1.19);
    expect(manifest.$schema).toContain(`v${manifest.manifestVersion}/`);
    expect(manifest.bots[0].botId).toBe(BOT_ID);
    expect(manifest.bots[0].scopes).toEqual(expect.arrayContaining(['personal', 'team']));
    expect(manifest.validDomains).toEqual(['credits.contoso.com']);
    expect(manifest.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(manifest.localizationInfo.defaultLanguageTag).toBe('en-us');
    expect(manifest.localizationInfo.additionalLanguages).toEqual([{ languageTag: 'zh-cn', file: 'zh-cn.json' }]);

    // Every localised key names a string the manifest has.
    const zh = JSON.parse(files.get('zh-cn.json')!.toString('utf8'));
    for (const key of Object.keys(zh).filter((k) => k !== '$schema')) {
      const value = key
        .split(/\.|\[|\]\.?/)
        .filter(Boolean)
        .reduce((node: any, part) => node?.[part], manifest);
      expect(typeof value, key).toBe('string');
      expect(zh[key]).toMatch(/[\u4e00-\u9fff]/);
    }

    const color = readPng(files.get('color.png')!);
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = readPng(files.get('outline.png')!);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let transparent = 0;
    for (let i = 0; i < outline.pixels.length; i += 4) {
      expect([outline.pixels[i], outline.pixels[i + 1], outline.pixels[i + 2]]).toEqual([255, 255, 255]);
      if (outline.pixels[i + 3] === 0) transparent++;
    }
    expect(transparent).toBeGreaterThan(32 * 32 * 0.4);
  });

  it('takes TEAMS_APP_ID when set, and refuses unknown placeholders and over-long names', async () => {
    const template = await readFile(path.join(APP_PACKAGE_DIR, 'manifest.json'), 'utf8');
    const values = { BOT_ID, TEAMS_APP_ID: '11111111-2222-4333-8444-555555555555', BOT_DOMAIN: null };
    expect(JSON.parse(fillManifest(template, values)).id).toBe(values.TEAMS_APP_ID);
    expect(JSON.parse(fillManifest(template, values)).validDomains).toEqual([]);
    expect(() => fillManifest(template.replace('"1.0.0"', `"$\{{NO_SUCH}}"`), values)).toThrow('NO_SUCH');
    expect(() => fillManifest(template.replace('"Comms Credits"', `"${'x'.repeat(31)}"`), values)).toThrow('name.short');
  });
});
