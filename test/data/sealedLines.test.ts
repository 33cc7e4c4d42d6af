import { describe, expect, it } from 'vitest';
import { seal } from '../../data/sealedLine.js';
import { SealedLines } from '../../data/sealedLines.js';

// Lines of 60 to 360 bytes, and now and then one longer than a chunk (8 KB).
const jsonOf = (n: number) => JSON.stringify({ n, text: `entry ${n} ${'é'.repeat(n % 7)}`.padEnd(n % 97 === 5 ? 9_000 : 50 + (n % 300), '·') });

describe('sealed lines kept as bytes', () => {
  it('holds sealed lines byte for byte across chunks, copies their JSON as a list, and keeps the rest in order as lines are taken off the front', () => {
    const lines = new SealedLines();
    const kept: string[] = [];
    let next = 0;
    // Many chunks, then a few lines, several times; the same chunks are used again.
    for (let round = 0; round < 6; round++) {
      const adding = round % 2 === 0 ? 400 : 7;
      for (let i = 0; i < adding; i++) {
        const json = jsonOf(next++);
        lines.add(json);
        kept.push(json);
      }
      expect(lines.count).toBe(kept.length);
      expect(lines.linesBetween(0, kept.length).toString('utf8')).toBe(kept.map((json) => `${seal(json)}\n`).join(''));
      const from = Math.floor(kept.length / 3);
      const sealedText = (list: string[]) => list.map((json) => `${seal(json)}\n`).join('');
      expect(lines.linesBetween(from, kept.length - 1).toString('utf8')).toBe(sealedText(kept.slice(from, -1)));
      expect(lines.linesBetween(from, from + 1).toString('utf8')).toBe(sealedText([kept[from]!]));
      const size = lines.jsonListBytes(from, kept.length);
      const target = Buffer.alloc(size + 2);
      expect(lines.copyJsonList(from, kept.length, target, 1)).toBe(size + 1);
      expect(target.toString('utf8', 1, size + 1)).toBe(kept.slice(from).join(','));
      expect(lines.json(kept.length - 1)).toBe(kept.at(-1));
      const dropped = round === 5 ? kept.length : kept.length - 3;
      lines.dropFirst(dropped);
      kept.splice(0, dropped);
      expect(lines.count).toBe(kept.length);
      for (const [i, json] of kept.entries()) expect(lines.json(i)).toBe(json);
    }
    expect(lines.jsonListBytes(0, 0)).toBe(0);
    lines.add(jsonOf(1));
    expect(lines.linesBetween(0, 1).toString('utf8')).toBe(`${seal(jsonOf(1))}\n`);
  });
});
