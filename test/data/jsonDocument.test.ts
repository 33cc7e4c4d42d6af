import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DurableJsonFile } from '../../data/durableJsonFile.js';
import { openJsonDocument } from '../../data/jsonDocument.js';
import { useTempFolders } from './tempFolders.js';

interface Watermarks {
  byTenant: Record<string, number>;
}

describe('durable JSON documents', () => {
  const tempFolder = useTempFolders();
  afterEach(() => vi.restoreAllMocks());

  it('starts from the defaults and keeps updates across reopening', async () => {
    const file = path.join(await tempFolder(), 'nested', 'watermarks.json');
    const document = await openJsonDocument<Watermarks>(file, { byTenant: {} });
    expect(document.data).toEqual({ byTenant: {} });
    await document.update((draft) => {
      draft.byTenant.t1 = 5;
    });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ byTenant: { t1: 5 } });
    const reopened = await openJsonDocument<Watermarks>(file, { byTenant: {} });
    expect(reopened.data).toEqual({ byTenant: { t1: 5 } });
  });

  it('serialises concurrent updates and writes them together', async () => {
    const dir = await tempFolder();
    const file = path.join(dir, 'counter.json');
    const document = await openJsonDocument(file, { count: 0, seen: [] as number[] });
    const writes = vi.spyOn(DurableJsonFile.prototype, 'write');
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        document.update((draft) => {
          draft.count++;
          draft.seen.push(i);
        }),
      ),
    );
    expect(document.data.count).toBe(100);
    expect(writes.mock.calls.length).toBeLessThanOrEqual(2);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(document.data);
    expect(await readdir(dir)).toEqual(['counter.json']);

    // An update made while a write is in progress is in the next write, and waits for it.
    const first = document.update((draft) => void (draft.count = 1_000));
    const second = document.update((draft) => void (draft.count += 1));
    await first;
    await second;
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ count: 1_001 });
  });

  it('leaves the data unchanged when the mutator throws', async () => {
    const document = await openJsonDocument(path.join(await tempFolder(), 'd.json'), { cards: ['visa'] });
    await expect(
      document.update((draft) => {
        draft.cards.push('amex');
        throw new Error('invalid card');
      }),
    ).rejects.toThrow('invalid card');
    expect(document.data).toEqual({ cards: ['visa'] });
  });
});
