import { sealedLineBytes, writeSealedLine } from './sealedLine.js';

/** The size of the chunks lines are kept in; a longer line gets a chunk of its own size. */
const CHUNK_BYTES = 8 * 1024;
/** Chunks emptied by one journal and kept, process-wide, for the next lines of any journal (8 MB). */
const MAX_SPARE_CHUNKS = 1024;
const spareChunks: Buffer[] = [];

/**
 * Sealed lines (see sealedLine.ts) kept as UTF-8 bytes, in chunks of 8 KB outside V8's heap: a
 * journal's unfiled entries, which as strings reached V8's old generation (a few hundred bytes
 * each) and made it grow between full collections. Chunks emptied as lines are taken off the front
 * go to a process-wide spare list, so a checkpoint's filing frees memory the next changes reuse
 * instead of leaving buffers for the collector; a line never spans two chunks.
 */
export class SealedLines {
  private chunks: Buffer[] = [];
  /** Bytes used in each chunk. */
  private filled: number[] = [];
  /** For line i: its chunk's index, then where it starts and ends (after its newline) in that chunk. */
  private places = new Uint32Array(0);
  count = 0;

  /** Appends `json` as a sealed line. */
  add(json: string): void {
    const size = sealedLineBytes(json);
    let chunk = this.chunks.at(-1);
    if (!chunk || this.filled.at(-1)! + size > chunk.length) {
      chunk = size > CHUNK_BYTES ? Buffer.allocUnsafeSlow(size) : (spareChunks.pop() ?? Buffer.allocUnsafeSlow(CHUNK_BYTES));
      this.chunks.push(chunk);
      this.filled.push(0);
    }
    if (3 * this.count === this.places.length) {
      const places = new Uint32Array(Math.max(48, this.places.length * 2));
      places.set(this.places);
      this.places = places;
    }
    const last = this.chunks.length - 1;
    const at = 3 * this.count++;
    this.places[at] = last;
    this.places[at + 1] = this.filled[last]!;
    this.filled[last] = writeSealedLine(chunk, this.filled[last]!, json);
    this.places[at + 2] = this.filled[last]!;
  }

  /** Lines `from` up to (not including) `to`, newlines included: a view while they lie in one chunk, else a copy. */
  linesBetween(from: number, to: number): Buffer {
    if (to <= from) return Buffer.alloc(0);
    const first = this.places[3 * from]!;
    const last = this.places[3 * (to - 1)]!;
    const start = this.places[3 * from + 1]!;
    const end = this.places[3 * (to - 1) + 2]!;
    if (first === last) return this.chunks[first]!.subarray(start, end);
    const parts: Buffer[] = [this.chunks[first]!.subarray(start, this.filled[first])];
    for (let chunk = first + 1; chunk < last; chunk++) parts.push(this.chunks[chunk]!.subarray(0, this.filled[chunk]));
    parts.push(this.chunks[last]!.subarray(0, end));
    return Buffer.concat(parts);
  }

  /** The JSON text of line `i`. */
  json(i: number): string {
    return this.chunks[this.places[3 * i]!]!.toString('utf8', this.places[3 * i + 1]! + 9, this.places[3 * i + 2]! - 1);
  }

  /** How many bytes `copyJsonList` writes for lines `from` up to `to`. */
  jsonListBytes(from: number, to: number): number {
    let bytes = 0;
    // Each line less its checksum, space and newline, plus a comma between two lines.
    for (let i = from; i < to; i++) bytes += this.places[3 * i + 2]! - this.places[3 * i + 1]! - 10 + (i > from ? 1 : 0);
    return bytes;
  }

  /** Writes the JSON texts of lines `from` up to `to`, separated by commas, into `target` at `at`; returns the offset after them. */
  copyJsonList(from: number, to: number, target: Buffer, at: number): number {
    for (let i = from; i < to; i++) {
      if (i > from) target[at++] = 0x2c; // ','
      at += this.chunks[this.places[3 * i]!]!.copy(target, at, this.places[3 * i + 1]! + 9, this.places[3 * i + 2]! - 1);
    }
    return at;
  }

  /** Takes the first `count` lines off; chunks left empty go to the spare list. */
  dropFirst(count: number): void {
    if (count <= 0) return;
    const left = this.count - count;
    const emptied = left === 0 ? this.chunks.length : this.places[3 * count]!;
    for (const chunk of this.chunks.splice(0, emptied)) {
      if (chunk.length === CHUNK_BYTES && spareChunks.length < MAX_SPARE_CHUNKS) spareChunks.push(chunk);
    }
    this.filled.splice(0, emptied);
    if (left === 0) {
      this.places = new Uint32Array(0);
    } else {
      this.places.copyWithin(0, 3 * count, 3 * this.count);
      for (let i = 0; i < left; i++) this.places[3 * i]! -= emptied;
    }
    this.count = left;
  }
}
