import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isMainModule } from '../bot/isMainModule.js';
import { encodePng, type Rgba } from './png.js';

/**
 * Draws the Teams app icons (`npm run icons`): a credit coin with a plus, white on the accent
 * colour at 192×192 (colour icon) and white on transparent at 32×32 (outline icon), anti-aliased
 * by 4×4 supersampling. No image files or network needed.
 */
export const ACCENT = { r: 0x4f, g: 0x52, b: 0xb2 };

/** How much of the unit square's point (x, y) the symbol covers: 0 or 1. */
function symbol(x: number, y: number, stroke: number): boolean {
  const dx = x - 0.5;
  const dy = y - 0.5;
  const r = Math.hypot(dx, dy);
  const ring = r <= 0.4 && r >= 0.4 - stroke;
  const bar = stroke / 2;
  const arm = 0.19;
  const plus = (Math.abs(dx) <= bar && Math.abs(dy) <= arm) || (Math.abs(dy) <= bar && Math.abs(dx) <= arm);
  return ring || plus;
}

function draw(size: number, stroke: number, background: { r: number; g: number; b: number } | null): Rgba {
  const pixels = new Uint8Array(size * size * 4);
  const samples = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let covered = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          if (symbol((x + (sx + 0.5) / samples) / size, (y + (sy + 0.5) / samples) / size, stroke)) covered++;
        }
      }
      const alpha = covered / (samples * samples);
      const i = (y * size + x) * 4;
      if (background) {
        pixels[i] = Math.round(background.r + (255 - background.r) * alpha);
        pixels[i + 1] = Math.round(background.g + (255 - background.g) * alpha);
        pixels[i + 2] = Math.round(background.b + (255 - background.b) * alpha);
        pixels[i + 3] = 255;
      } else {
        pixels.set([255, 255, 255, Math.round(255 * alpha)], i);
      }
    }
  }
  return { width: size, height: size, pixels };
}

export const colorIcon = (): Buffer => encodePng(draw(192, 0.07, ACCENT));
export const outlineIcon = (): Buffer => encodePng(draw(32, 0.11, null));

if (isMainModule(import.meta.url)) {
  const folder = path.resolve(import.meta.dirname, '../appPackage');
  await writeFile(path.join(folder, 'color.png'), colorIcon());
  await writeFile(path.join(folder, 'outline.png'), outlineIcon());
  console.log(`Wrote ${folder}/color.png (192×192) and outline.png (32×32).`);
}
