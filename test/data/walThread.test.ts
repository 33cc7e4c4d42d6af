import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WalThread } from '../../data/walThread.js';
import { useTempFolders } from './tempFolders.js';

const shared = (text: string) => {
  const bytes = Buffer.from(new SharedArrayBuffer(Buffer.byteLength(text)));
  bytes.write(text);
  return bytes;
};

describe("the WAL's thread", () => {
  const tempFolder = useTempFolders();

  it('appends each group at the end of its file, in the order given', async () => {
    const file = path.join(await tempFolder(), 'segment');
    const fd = openSync(file, 'wx');
    const thread = new WalThread();
    try {
      await Promise.all(['one\n', 'two\n', 'three\n'].map((line) => thread.writeAndSync(fd, shared(line))));
      await thread.writeAndSync(fd, shared('four\n').subarray(0, 5));
      expect(readFileSync(file, 'utf8')).toBe('one\ntwo\nthree\nfour\n');
    } finally {
      await thread.close();
      closeSync(fd);
    }
  });

  it('rejects with the system error, errno code included, and goes on serving the next write', async () => {
    const folder = await tempFolder();
    const readOnly = openSync(path.join(folder, 'read-only'), 'wx');
    closeSync(readOnly);
    const fd = openSync(path.join(folder, 'read-only'), 'r');
    const thread = new WalThread();
    try {
      await expect(thread.writeAndSync(fd, shared('x\n'))).rejects.toMatchObject({ code: 'EBADF', syscall: 'write' });
      const good = openSync(path.join(folder, 'good'), 'wx');
      await thread.writeAndSync(good, shared('ok\n'));
      closeSync(good);
      expect(readFileSync(path.join(folder, 'good'), 'utf8')).toBe('ok\n');
    } finally {
      await thread.close();
      closeSync(fd);
    }
  });

  it('starts again after close, when written to', async () => {
    const file = path.join(await tempFolder(), 'segment');
    const fd = openSync(file, 'wx');
    const thread = new WalThread();
    try {
      await thread.writeAndSync(fd, shared('a\n'));
      await thread.close();
      await thread.writeAndSync(fd, shared('b\n'));
      expect(readFileSync(file, 'utf8')).toBe('a\nb\n');
    } finally {
      await thread.close();
      closeSync(fd);
    }
  });
});
