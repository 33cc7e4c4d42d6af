import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { APP_PACKAGE_DIR } from '../../bot/teamsApp/buildPackage.js';
import { colorIcon, outlineIcon } from '../../scripts/makeIcons.js';

describe('npm run icons', () => {
  it('draws exactly the icons committed in appPackage/, so they can be drawn again from source', async () => {
    expect(colorIcon().equals(await readFile(`${APP_PACKAGE_DIR}/color.png`))).toBe(true);
    expect(outlineIcon().equals(await readFile(`${APP_PACKAGE_DIR}/outline.png`))).toBe(true);
  });
});
