import { readlinkSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import { afterEach, vi } from 'vitest';
import { WalThread } from '../../data/walThread.js';

type WriteMethod = 'write' | 'writeFile' | 'sync' | 'datasync';
const WRITES: WriteMethod[] = ['write', 'writeFile', 'sync', 'datasync'];

/**
 * The disk as this test process's file handles see it (every store write goes through a
 * FileHandle, or the WAL's thread): its writes and fsyncs can be made to fail with an errno code,
 * as a full, read-only or broken disk does, or fsyncs made to wait.
 */
export class TestDisk {
  private failing: { code: string; methods: WriteMethod[] } | null = null;
  private gate: Promise<void> | null = null;
  /** How many more calls go through before every one fails, as after a crash at that step. */
  private crash: { callsLeft: number; code: string } | null = null;
  /** What was called, on which file, since `record` was called. */
  private calls: Array<{ method: WriteMethod; file: string }> | null = null;

  /** From now on these methods reject with `code` (by default every write and fsync). */
  fail(code: string, methods: WriteMethod[] = WRITES): void {
    this.failing = { code, methods };
  }

  /** Fsyncs wait until the returned function is called. */
  holdFsyncs(): () => void {
    let release!: () => void;
    this.gate = new Promise((resolve) => (release = resolve));
    return () => {
      this.gate = null;
      release();
    };
  }

  /** Lets `calls` more writes and fsyncs through, then fails every later one with `code`. */
  failAfter(calls: number, code = 'EIO'): void {
    this.crash = { callsLeft: calls, code };
  }

  /** Writes and fsyncs from now on, each with the file (or folder) it was called on, in call order. */
  record(): Array<{ method: WriteMethod; file: string }> {
    this.calls = [];
    return this.calls;
  }

  heal(): void {
    this.failing = null;
    this.crash = null;
  }

  /** Runs before a FileHandle method: throws or waits as the disk is set up to. */
  async before(method: WriteMethod, fd: number): Promise<void> {
    this.calls?.push({ method, file: readlinkSync(`/proc/self/fd/${fd}`) });
    if (this.crash && this.crash.callsLeft-- <= 0) {
      throw Object.assign(new Error(`${this.crash.code}: simulated crash, ${method}`), { code: this.crash.code });
    }
    if (this.failing?.methods.includes(method)) {
      throw Object.assign(new Error(`${this.failing.code}: simulated disk failure, ${method}`), { code: this.failing.code });
    }
    if (this.gate && (method === 'sync' || method === 'datasync')) await this.gate;
  }
}

/** A TestDisk for each test of the file, put back to the real one after each. */
export function useTestDisk(): () => Promise<TestDisk> {
  afterEach(() => vi.restoreAllMocks());
  return async () => {
    const probe = await open(os.devNull, 'r');
    const prototype = Object.getPrototypeOf(probe) as Record<WriteMethod, (...args: unknown[]) => Promise<unknown>>;
    await probe.close();
    const disk = new TestDisk();
    for (const method of WRITES) {
      const original = prototype[method];
      vi.spyOn(prototype, method).mockImplementation(async function (this: FileHandle, ...args: unknown[]) {
        await disk.before(method, this.fd);
        return original.apply(this, args);
      });
    }
    // The WAL's thread writes and fdatasyncs with system calls of its own: its group goes through
    // the same checks, a write then an fdatasync, the bytes written before a failed fdatasync.
    const writeAndSync = WalThread.prototype.writeAndSync;
    vi.spyOn(WalThread.prototype, 'writeAndSync').mockImplementation(async function (this: WalThread, fd: number, bytes: Uint8Array) {
      await disk.before('write', fd);
      try {
        await disk.before('datasync', fd);
      } catch (error) {
        for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset);
        throw error;
      }
      return writeAndSync.call(this, fd, bytes);
    });
    return disk;
  };
}
