import { sealedLineBytes, writeSealedLine } from './sealedLine.js';

/** Below this, a buffer emptied of its first lines is kept for the lines to come. */
const MAX_KEPT_BYTES = 64 * 1024;
const NO_BYTES = Buffer.alloc(0);
const NO_ENDS = new Uint32Array(0);

/**
 * Sealed lines (see sealedLine.ts) kept as UTF-8 bytes in one buffer, reused as lines are taken off
 * its front: a journal's unfiled entries, which as strings reached V8's old generation (a few
 * hundred bytes each) and made it grow between full collections. The buffer lies outside V8's heap
 * and is emptied in place, or let go once nothing is left in it.
 */
export class SealedLines {
  private bytes: Buffer = NO_BYTES;
  /** Where line i ends (after its newline) in `bytes`. */
  private ends = NO_ENDS;
  count = 0;

  /** Appends `json` as a sealed line. */
  add(json: string): void {
    const start = this.byteLength;
    const needed = start + sealedLineBytes(json);
    if (needed > this.bytes.length) this.bytes = moved(this.bytes, start, Math.max(needed, this.bytes.length * 2, 1024));
    if (this.count === this.ends.length) {
      const ends = new Uint32Array(Math.max(16, this.ends.length * 2));
      ends.set(this.ends);
      this.ends = ends;
    }
    this.ends[this.count++] = writeSealedLine(this.bytes, start, json);
  }

  /** Lines `from` up to (not including) `to`, newlines included: a view, valid until `dropFirst`. */
  linesBetween(from: number, to: number): Buffer {
    return this.bytes.subarray(this.start(from), this.start(to));
  }

  /** The JSON text of line `i`. */
  json(i: number): string {
    return this.bytes.toString('utf8', this.start(i) + 9, this.ends[i]! - 1);
  }

  /** How many bytes `copyJsonList` writes for lines `from` up to `to`. */
  jsonListBytes(from: number, to: number): number {
    if (to <= from) return 0;
    // Each line less its checksum, space and newline, plus a comma between two lines.
    return this.start(to) - this.start(from) - 10 * (to - from) + (to - from - 1);
  }

  /** Writes the JSON texts of lines `from` up to `to`, separated by commas, into `target` at `at`; returns the offset after them. */
  copyJsonList(from: number, to: number, target: Buffer, at: number): number {
    for (let i = from; i < to; i++) {
      if (i > from) target[at++] = 0x2c; // ','
      at += this.bytes.copy(target, at, this.start(i) + 9, this.ends[i]! - 1);
    }
    return at;
  }

  /** Takes the first `count` lines off. */
  dropFirst(count: number): void {
    if (count <= 0) return;
    const cut = this.start(count);
    const left = this.count - count;
    if (left === 0) {
      // A tenant whose changes stopped keeps no buffer; one still changing usually has lines left.
      this.bytes = NO_BYTES;
      this.ends = NO_ENDS;
      this.count = 0;
      return;
    }
    const length = this.byteLength - cut;
    if (this.bytes.length > MAX_KEPT_BYTES && length * 4 < this.bytes.length) this.bytes = moved(this.bytes.subarray(cut), length, length * 2);
    else this.bytes.copyWithin(0, cut, cut + length);
    for (let i = 0; i < left; i++) this.ends[i] = this.ends[i + count]! - cut;
    this.count = left;
  }

  private get byteLength(): number {
    return this.start(this.count);
  }

  private start(i: number): number {
    return i === 0 ? 0 : this.ends[i - 1]!;
  }
}

/** A new buffer of `size` bytes holding the first `length` bytes of `bytes`; its own memory, not a slice of Node's shared pool. */
function moved(bytes: Buffer, length: number, size: number): Buffer {
  const buffer = Buffer.allocUnsafeSlow(size);
  bytes.copy(buffer, 0, 0, length);
  return buffer;
}
