import { open, type FileHandle } from 'node:fs/promises';
import { syncFolder } from './durableJsonFile.js';
import type { DataLayout } from './dataLayout.js';
import { WalThread } from './walThread.js';

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

interface Cut<T> extends Waiter<T | null> {
  capture(nextSegment: number): T | null;
}

/** A line written straight into the writer's buffer: `bytes` long, written by `writeTo`, which returns the offset after it. */
export interface EncodedLine {
  readonly bytes: number;
  writeTo(buffer: Buffer, offset: number): number;
}

interface Group {
  promise: Promise<void>;
  waiter: Waiter<void>;
}

/**
 * Appends lines to the write-ahead log with group commit: every line appended while a write and
 * fsync are in progress goes into the next write, with one fsync for the whole group. A line's
 * promise resolves once it is durable, and `onDurable` then gets the notes of that group. The
 * first failed write or fsync stops the writer for good (memory is then ahead of the disk):
 * `onFailure` hears of it before any waiting promise is rejected. Groups are written and fsynced
 * on the WAL's own thread (see walThread.ts), from buffers on shared memory.
 */
export class GroupCommitWriter<Note> {
  /** The next group's lines, encoded as they are appended (the line strings then die young). */
  private pending = new ByteRun();
  /** The group being written; swapped with `pending` and reused. */
  private writing = new ByteRun();
  private notes: Note[] = [];
  private group: Group | null = null;
  /** The group being written and fsynced. */
  private sealed: Group | null = null;
  private cuts: Array<Cut<unknown>> = [];
  private running = false;
  private failed: unknown = null;
  private syncs = 0;
  private readonly thread = new WalThread();

  private constructor(
    private readonly layout: DataLayout,
    private segment: number,
    private file: FileHandle,
    private readonly onDurable: (notes: Note[]) => void,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  /** Starts a new, empty segment: a torn tail left in an older one is never appended to. */
  static async start<Note>(
    layout: DataLayout,
    segment: number,
    onDurable: (notes: Note[]) => void,
    onFailure: (error: unknown) => void = () => undefined,
  ): Promise<GroupCommitWriter<Note>> {
    return new GroupCommitWriter(layout, segment, await createSegment(layout, segment), onDurable, onFailure);
  }

  /** Why the log stopped accepting writes, if it did: memory is then ahead of the disk. */
  get failure(): unknown {
    return this.failed;
  }

  get fsyncCount(): number {
    return this.syncs;
  }

  append(line: string | EncodedLine, note?: Note): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    this.pending.append(line);
    if (note !== undefined) this.notes.push(note);
    this.group ??= newGroup();
    this.run();
    return this.group.promise;
  }

  /** Resolves once every line appended so far is durable. */
  whenDurable(): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    return (this.group ?? this.sealed)?.promise ?? Promise.resolve();
  }

  /**
   * A consistent cut of the log. `capture` runs synchronously when the next group is sealed, so the
   * state it sees is exactly what the log holds up to and including that group; the promise
   * resolves with what it returned once that group is durable. When it returns something, the log
   * then moves to segment `nextSegment`, so every older segment lies wholly before the cut.
   */
  cut<T>(capture: (nextSegment: number) => T | null): Promise<T | null> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise<T | null>((resolve, reject) => {
      this.cuts.push({ capture, resolve, reject } as Cut<unknown>);
      this.run();
    });
  }

  /** Closes the log file once everything appended is durable, or at once if the writer failed. */
  async close(): Promise<void> {
    try {
      if (!this.failed) await this.cut(() => null);
    } finally {
      await this.thread.close();
      await this.file.close();
    }
  }

  private run(): void {
    if (this.running) return;
    this.running = true;
    void this.writeGroups();
  }

  private async writeGroups(): Promise<void> {
    try {
      while (!this.failed && (this.pending.length > 0 || this.cuts.length > 0)) {
        // Let callers woken by the previous group append before this one is sealed.
        await new Promise(setImmediate);
        const { pending: bytes, notes, group, cuts } = this;
        this.sealed = group;
        this.pending = this.writing;
        this.writing = bytes;
        this.notes = [];
        this.group = null;
        this.cuts = [];
        const captured = cuts.map((cut) => captureSafely(cut, this.segment + 1));
        try {
          if (bytes.length > 0) await this.write(bytes.view());
          bytes.clear();
          if (captured.some((value) => value !== null)) await this.moveToNextSegment();
        } catch (error) {
          this.fail(error, group, cuts);
          return;
        }
        this.sealed = null;
        group?.waiter.resolve();
        if (notes.length > 0) this.onDurable(notes);
        cuts.forEach((cut, i) => cut.resolve(captured[i]));
      }
    } finally {
      // Runs in the same tick as the last emptiness check: a line appended after it starts a new run.
      this.running = false;
    }
  }

  private async write(buffer: Buffer): Promise<void> {
    await this.thread.writeAndSync(this.file.fd, buffer);
    this.syncs++;
  }

  private async moveToNextSegment(): Promise<void> {
    const next = await createSegment(this.layout, this.segment + 1);
    await this.file.close();
    this.file = next;
    this.segment++;
  }

  private fail(error: unknown, sealed: Group | null, sealedCuts: Array<Cut<unknown>>): void {
    this.failed = error;
    this.sealed = null;
    this.onFailure(error);
    for (const waiter of [sealed?.waiter, this.group?.waiter, ...sealedCuts, ...this.cuts]) waiter?.reject(error);
    this.group = null;
    this.cuts = [];
    this.pending.clear();
    this.notes = [];
  }
}

async function createSegment(layout: DataLayout, segment: number): Promise<FileHandle> {
  const file = await open(layout.walSegmentFile(segment), 'wx');
  try {
    await syncFolder(layout.walFolder);
  } catch (error) {
    await file.close();
    throw error;
  }
  return file;
}

function captureSafely(cut: Cut<unknown>, nextSegment: number): unknown {
  try {
    return cut.capture(nextSegment);
  } catch (error) {
    cut.reject(error);
    return null;
  }
}

function newGroup(): Group {
  let waiter!: Waiter<void>;
  const promise = new Promise<void>((resolve, reject) => (waiter = { resolve, reject }));
  return { promise, waiter };
}

/** The largest buffer a ByteRun keeps once emptied; a larger one is let go. */
const MAX_KEPT_BYTES = 16 * 1024 * 1024;

/**
 * Text encoded as UTF-8 into one growing buffer, reused once emptied: a group's lines are not
 * joined into one string (which, at a few MB, V8 allocates straight into its old generation) and
 * are not held as strings until their group is written (long enough to be promoted there too).
 */
class ByteRun {
  private buffer = sharedBuffer(64 * 1024);
  length = 0;

  append(line: string | EncodedLine): void {
    if (typeof line === 'string') {
      this.makeRoom(Buffer.byteLength(line, 'utf8'));
      this.length += this.buffer.write(line, this.length, 'utf8');
      return;
    }
    this.makeRoom(line.bytes);
    this.length = line.writeTo(this.buffer, this.length);
  }

  private makeRoom(bytes: number): void {
    const needed = this.length + bytes;
    if (needed <= this.buffer.length) return;
    const grown = sharedBuffer(Math.max(needed, this.buffer.length * 2));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  view(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  clear(): void {
    this.length = 0;
    if (this.buffer.length > MAX_KEPT_BYTES) this.buffer = sharedBuffer(64 * 1024);
  }
}

/** A buffer on shared memory, which the WAL's thread reads without a copy. */
function sharedBuffer(bytes: number): Buffer {
  return Buffer.from(new SharedArrayBuffer(bytes));
}
