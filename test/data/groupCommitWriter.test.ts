import { pbkdf2 } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DataLayout } from '../../data/dataLayout.js';
import { GroupCommitWriter } from '../../data/groupCommitWriter.js';
import { useTempFolders } from './tempFolders.js';
import { useTestDisk } from './testDisk.js';

async function startWriter(root: string, onDurable: (notes: number[]) => void = () => undefined, onFailure?: (error: unknown) => void) {
  const layout = new DataLayout(root);
  await mkdir(layout.walFolder, { recursive: true });
  return { layout, writer: await GroupCommitWriter.start<number>(layout, 0, onDurable, onFailure) };
}

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not done after ${ms} ms`)), ms))]);

describe('group commit writer', () => {
  const tempFolder = useTempFolders();
  const takeDisk = useTestDisk();

  it('stops for good at a failed fsync: tells onFailure first, then rejects every waiting line, cut and later append', async () => {
    const events: string[] = [];
    const { writer } = await startWriter(
      await tempFolder(),
      () => events.push('durable'),
      (error) => events.push(`failed ${(error as NodeJS.ErrnoException).code}`),
    );
    await writer.append('{"n":1}\n', 1);
    const disk = await takeDisk();
    disk.fail('EIO', ['datasync']);
    const waiting = [writer.append('{"n":2}\n', 2), writer.append('{"n":3}\n', 3), writer.cut(() => 'cut')].map((promise) =>
      promise.then(
        () => events.push('resolved'),
        (error: NodeJS.ErrnoException) => events.push(`rejected ${error.code}`),
      ),
    );
    await Promise.all(waiting);
    expect(events).toEqual(['durable', 'failed EIO', 'rejected EIO', 'rejected EIO', 'rejected EIO']);
    expect(writer.failure).toMatchObject({ code: 'EIO' });
    disk.heal();
    await expect(writer.append('{"n":4}\n', 4)).rejects.toMatchObject({ code: 'EIO' });
    await writer.close();
  });

  it('writes each group with one fsync and reports its notes once durable', async () => {
    const groups: number[][] = [];
    const { layout, writer } = await startWriter(await tempFolder(), (notes) => groups.push(notes));
    await Promise.all([1, 2, 3].map((n) => writer.append(`{"n":${n}}\n`, n)));
    await writer.append('{"n":4}\n', 4);
    expect(writer.fsyncCount).toBe(2);
    expect(groups).toEqual([[1, 2, 3], [4]]);
    expect(await readFile(layout.walSegmentFile(0), 'utf8')).toBe('{"n":1}\n{"n":2}\n{"n":3}\n{"n":4}\n');
    await writer.close();
  });

  it('takes lines appended by callers woken at any depth of the previous group', async () => {
    const { writer } = await startWriter(await tempFolder());
    for (let hops = 0; hops < 8; hops++) {
      let chained: Promise<void> = writer.append('{"first":true}\n');
      for (let i = 0; i < hops; i++) chained = chained.then(() => undefined);
      await within(
        chained.then(() => writer.append('{"second":true}\n')),
        2_000,
      );
    }
    await writer.close();
  });

  it('cuts between groups: the capture sees exactly the lines written before it, and later ones go to the next segment', async () => {
    const { layout, writer } = await startWriter(await tempFolder());
    let appended = 0;
    const append = () => writer.append(`{"n":${++appended}}\n`);
    const sealedWithTheCut = [append(), append()];
    const cut = writer.cut((nextSegment) => ({ appended, nextSegment }));
    sealedWithTheCut.push(append()); // same tick: still in the group the cut is taken at
    expect(await cut).toEqual({ appended: 3, nextSegment: 1 });
    await Promise.all(sealedWithTheCut);
    await append();
    expect(await readFile(layout.walSegmentFile(0), 'utf8')).toBe('{"n":1}\n{"n":2}\n{"n":3}\n');
    expect(await readFile(layout.walSegmentFile(1), 'utf8')).toBe('{"n":4}\n');
    // A cut that captures nothing does not move to a new segment.
    expect(await writer.cut(() => null)).toBeNull();
    await append();
    expect(await readFile(layout.walSegmentFile(1), 'utf8')).toBe('{"n":4}\n{"n":5}\n');
    await writer.close();
  });

  it("makes a line durable while libuv's thread pool is busy (as with a checkpoint's file writes), not after", async () => {
    const { layout, writer } = await startWriter(await tempFolder());
    // Every thread of the pool (4, or UV_THREADPOOL_SIZE) busy for a long while, and more waiting.
    const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
    let poolWorkDone = 0;
    const poolWork = Array.from(
      { length: 2 * threads },
      () => new Promise<void>((resolve) => pbkdf2('busy', 'pool', 2_000_000, 32, 'sha256', () => resolve(void poolWorkDone++))),
    );
    await writer.append('{"n":1}\n');
    expect(poolWorkDone).toBe(0);
    expect(await readFile(layout.walSegmentFile(0), 'utf8')).toBe('{"n":1}\n');
    await writer.close();
    await Promise.all(poolWork);
  }, 60_000);
});
