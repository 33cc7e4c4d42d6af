import { crc32 } from 'node:zlib';

/**
 * A sealed line is the store's unit of checksummed text: eight lower-case hex digits of the CRC-32
 * of the rest of the line, one space, then the JSON text (`1c291ca3 {"seq":1,…}`). WAL lines,
 * journal lines and the store's JSON documents are sealed lines, so an edit that leaves valid JSON
 * is still caught. (Format 2 of the data folder; format 1, plain JSON without checksums, is refused.)
 */
export function seal(json: string): string {
  return `${checksum(json)} ${json}`;
}

/** The checksum a sealed line starts with. */
function checksum(json: string | Uint8Array): string {
  return crc32(json).toString(16).padStart(8, '0');
}

/**
 * Writes `json` as a sealed line and a newline into `buffer` at `offset`, which must have room
 * for `sealedLineBytes(json)`; returns the offset after it. Builds no string of the line.
 */
export function writeSealedLine(buffer: Buffer, offset: number, json: string): number {
  let at = offset + buffer.write(checksum(json), offset, 'latin1');
  buffer[at++] = 0x20; // ' '
  at += buffer.write(json, at, 'utf8');
  buffer[at++] = 0x0a; // '\n'
  return at;
}

/**
 * Seals JSON text already written into `buffer` from `offset + 9` up to `end`: writes its checksum
 * and a space into the 9 bytes left before it, and a newline after it; returns the offset after that.
 */
export function sealInPlace(buffer: Buffer, offset: number, end: number): number {
  buffer.write(checksum(buffer.subarray(offset + 9, end)), offset, 'latin1');
  buffer[offset + 8] = 0x20; // ' '
  buffer[end] = 0x0a; // '\n'
  return end + 1;
}

/** How many bytes `writeSealedLine` writes for `json`. */
export function sealedLineBytes(json: string): number {
  return 10 + Buffer.byteLength(json, 'utf8');
}

/**
 * What a line that is not a good sealed line is:
 *   `old-format`  plain JSON, as version 1 of the store wrote it;
 *   `edited`      well formed, JSON included, but the checksum does not match: changed after writing;
 *   `garbled`     not a sealed line at all (a torn write, or damage).
 */
export type SealProblem = 'old-format' | 'edited' | 'garbled';

export type Unsealed = { ok: true; value: unknown } | { ok: false; problem: SealProblem };

const PREFIX = /^[0-9a-f]{8} /;

/** Checks a line's seal and parses its JSON. */
export function unseal(line: string): Unsealed {
  if (!PREFIX.test(line)) return { ok: false, problem: line.startsWith('{') && parses(line) ? 'old-format' : 'garbled' };
  const json = line.slice(9);
  if (crc32(json) !== Number.parseInt(line.slice(0, 8), 16)) return { ok: false, problem: parses(json) ? 'edited' : 'garbled' };
  try {
    return { ok: true, value: JSON.parse(json) };
  } catch {
    return { ok: false, problem: 'garbled' };
  }
}

/** How an operator reads a problem in an error message. */
export function describeSealProblem(problem: SealProblem): string {
  switch (problem) {
    case 'old-format':
      return 'is plain JSON without a checksum, as an older version of the bot wrote it';
    case 'edited':
      return 'fails its checksum although it is valid JSON: it was changed after it was written';
    case 'garbled':
      return 'is not a checksummed line: it is damaged';
  }
}

function parses(json: string): boolean {
  try {
    JSON.parse(json);
    return true;
  } catch {
    return false;
  }
}
