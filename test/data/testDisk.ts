import { open, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import { afterEach, vi } from 'vitest';

type WriteMethod = 'write' | 'writeFile' | 'sync' | 'datasync';
const WRITES: WriteMethod[] = ['write', 'writeFile', 'sync', 'datasync'];

/**
 * The disk as this test process's file handles see it (every store write goes through a
 * FileHandle): its writes and fsyncs can be made to fail with an errno code, as a full, read-only
 * or broken disk does, or fsyncs made to wait.
 */
export class TestDisk {
  private failing: { code: string; methods: WriteMethod[] } | null = null;
  private gate: Promise<void> | null = null;

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

  heal(): void {
    this.failing = null;
  }

  /** Runs before a FileHandle method: throws or waits as the disk is set up to. */
  async before(method: WriteMethod): Promise<void> {
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
        await disk.before(method);
        return original.apply(this, args);
      });
    }
    return disk;
  };
}
