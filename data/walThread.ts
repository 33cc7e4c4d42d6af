import { Worker } from 'node:worker_threads';

/**
 * The code of the thread (CommonJS, run with `eval`, so the bundle and tsx need no file of its
 * own): writes each group's bytes at the end of its file and fdatasyncs it, one group at a time.
 */
const THREAD_CODE = `
const { parentPort } = require('node:worker_threads');
const { writeSync, fdatasyncSync } = require('node:fs');
parentPort.on('message', ({ id, fd, bytes }) => {
  try {
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fdatasyncSync(fd);
    parentPort.postMessage({ id, error: null });
  } catch (error) {
    parentPort.postMessage({ id, error: { message: error.message, code: error.code, errno: error.errno, syscall: error.syscall } });
  }
});
`;

interface ThreadError {
  message: string;
  code?: string;
  errno?: number;
  syscall?: string;
}

/**
 * Writes and fdatasyncs the write-ahead log on a thread of its own, not in libuv's thread pool:
 * the pool serves its queue in order, and a checkpoint queues hundreds of file writes and fsyncs
 * there at once, which every commit waited behind. The bytes go over as a view on shared memory,
 * not copied. Started at the first write; `close` ends it.
 */
export class WalThread {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, { resolve(): void; reject(error: unknown): void }>();
  private nextId = 0;

  /** Writes `bytes` (a view on a SharedArrayBuffer, left untouched until this settles) at the end of `fd` and fdatasyncs it. */
  writeAndSync(fd: number, bytes: Uint8Array): Promise<void> {
    const id = this.nextId++;
    const done = new Promise<void>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.thread().postMessage({ id, fd, bytes });
    return done;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(THREAD_CODE, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 } });
    worker.unref();
    worker.on('message', ({ id, error }: { id: number; error: ThreadError | null }) => {
      const waiter = this.waiting.get(id);
      this.waiting.delete(id);
      if (error) waiter?.reject(Object.assign(new Error(error.message), { code: error.code, errno: error.errno, syscall: error.syscall }));
      else waiter?.resolve();
    });
    const stopped = (error: unknown) => {
      if (this.worker === worker) this.worker = null;
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    };
    worker.on('error', stopped);
    worker.on('exit', (code) => stopped(new Error(`The write-ahead log's thread stopped (exit code ${code}).`)));
    this.worker = worker;
    return worker;
  }
}
