/**
 * Threat family: a data folder damaged, edited or partly deleted (by an operator's mistake, a bad
 * restore, a disk, or someone with access to the folder). The real app is started on it: it must
 * refuse, naming the file and what to do, and change nothing; files that are not the store's are
 * left alone. And a disk that stops taking writes under the running app: it must stop serving
 * what may not be on disk, say so, and come back by itself.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LowdbLedgerStore } from '../../data/lowdbLedgerStore.js';
import { seal } from '../../data/sealedLine.js';
import { tenantFileName } from '../../data/tenantFileName.js';
import { usageKeyFile } from '../../data/usageKeyFile.js';
import { opened, readSealedDocument, writeSealedDocument } from '../data/sealedFiles.js';
import { crashImage } from '../data/tempFolders.js';
import { useTestDisk } from '../data/testDisk.js';
import { record, startOperatorApi } from '../bot/operatorApi/operatorApiServer.js';

const NO_BACKGROUND_CHECKPOINT = { CHECKPOINT_SECONDS: '3600' };
const root = path.resolve(import.meta.dirname, '../..');
const folders: string[] = [];

async function tempFolder(): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'storage-damage-'));
  folders.push(folder);
  return folder;
}

/** Every file under `dir` with a hash of its content: what "nothing was changed" is checked against. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, file)] = createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
  }
  return files;
}

const account = (dir: string, tenant: string) => path.join(dir, 'accounts', `${tenantFileName(tenant)}.json`);
const journalFolder = (dir: string, tenant: string) => path.join(dir, 'journal', tenantFileName(tenant));
const walSegments = async (dir: string) =>
  (await readdir(path.join(dir, 'wal')))
    .filter((name) => /^\d+\.log$/.test(name))
    .map((name) => Number.parseInt(name, 10))
    .sort((a, b) => a - b);
const walFile = (dir: string, segment: number) => path.join(dir, 'wal', `${segment}.log`);
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Starts the app on `dir` and expects it to refuse with `message`, leaving every file as it was. */
async function expectRefusal(dir: string, message: RegExp): Promise<void> {
  const before = await snapshot(dir);
  await expect(startOperatorApi(NO_BACKGROUND_CHECKPOINT, { dataDir: dir })).rejects.toThrow(message);
  expect(await snapshot(dir)).toEqual(before);
}

/** Replaces the first `from` in line `lineNo` (from 1) of `file` with `to`; the line's checksum is left as it was. */
async function editLine(file: string, lineNo: number, from: string, to: string): Promise<void> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  expect(lines[lineNo - 1]).toContain(from);
  lines[lineNo - 1] = lines[lineNo - 1]!.replace(from, to);
  await writeFile(file, lines.join('\n'));
}

describe('a damaged data folder', () => {
  /**
   * A data folder as kill -9 leaves it: four tenants checkpointed; then acme and globex changed in
   * three more lives of the bot, so the WAL has three segments after the checkpoint marker;
   * umbrella and initech did not change after the checkpoint.
   */
  let image: string;
  const balances: Record<string, string> = {};

  beforeAll(async () => {
    let dir = await tempFolder();
    for (let life = 0; life < 3; life++) {
      const api = await startOperatorApi(NO_BACKGROUND_CHECKPOINT, { dataDir: dir });
      if (life === 0) {
        for (const tenant of ['acme', 'globex', 'initech', 'umbrella']) {
          expect((await api.call('POST', `/api/tenants/${tenant}/funds`, { amount: '100.00', currency: 'USD', idempotencyKey: `seed-${tenant}` })).status).toBe(
            200,
          );
          expect((await api.call('POST', '/api/usage', { records: [record(tenant, '1.25'), record(tenant, '0.75')] })).status).toBe(200);
        }
        await (api.app.store as LowdbLedgerStore).checkpoint();
      }
      expect((await api.call('POST', '/api/tenants/acme/funds', { amount: '10.00', currency: 'USD', idempotencyKey: `life-${life}` })).status).toBe(200);
      expect((await api.call('POST', '/api/usage', { records: [record('globex', '0.10'), record('globex', '0.20')] })).status).toBe(200);
      for (const tenant of ['acme', 'globex', 'initech', 'umbrella']) balances[tenant] = (await api.call('GET', `/api/tenants/${tenant}/account`)).body.balance;
      const next = await crashImage(dir, await tempFolder());
      await api.stop({ keepData: true });
      dir = next;
    }
    image = dir;
    expect(await walSegments(image)).toHaveLength(3);
  }, 120_000);

  afterAll(async () => {
    for (const folder of folders) await rm(folder, { recursive: true, force: true });
  });

  const damaged = async () => cp(image, await tempFolder(), { recursive: true }).then(() => folders.at(-1)!);

  it('starts, with every balance, on the folder as the kill left it (the baseline of every case below)', async () => {
    const dir = await damaged();
    const api = await startOperatorApi(NO_BACKGROUND_CHECKPOINT, { dataDir: dir });
    for (const tenant of Object.keys(balances)) expect((await api.call('GET', `/api/tenants/${tenant}/account`)).body.balance).toBe(balances[tenant]);
    await api.stop({ keepData: true });
  });

  it('refuses a missing account document of a tenant the WAL holds only in part, keeping its journal', async () => {
    const dir = await damaged();
    await rm(account(dir, 'acme'));
    await expectRefusal(
      dir,
      new RegExp(
        `${escaped(account(dir, 'acme'))} is missing: the write-ahead log \\(.*\\) holds tenant "acme"'s entries from \\d+, not from the first. Restore the account document from a backup`,
      ),
    );
  });

  it('refuses a missing account document of a tenant whose journal is all there is of it', async () => {
    const dir = await damaged();
    await rm(account(dir, 'umbrella'));
    await expectRefusal(
      dir,
      new RegExp(`${escaped(account(dir, 'umbrella'))} is missing, but the tenant's journal ${escaped(journalFolder(dir, 'umbrella'))} is there`),
    );
  });

  it('refuses a whole accounts folder gone', async () => {
    const dir = await damaged();
    await rm(path.join(dir, 'accounts'), { recursive: true });
    await mkdir(path.join(dir, 'accounts'));
    await expectRefusal(dir, /accounts\/.*\.json is missing/);
  });

  it("refuses an account document whose tenantId was edited to another tenant's, checksum and all", async () => {
    const dir = await damaged();
    const document = await readSealedDocument<{ tenantId: string; account: { tenantId: string } }>(account(dir, 'globex'));
    await writeSealedDocument(account(dir, 'globex'), { ...document, tenantId: 'acme', account: { ...document.account, tenantId: 'acme' } });
    await expectRefusal(
      dir,
      new RegExp(
        `${escaped(account(dir, 'globex'))} holds the account of tenant "acme", whose document is ${escaped(account(dir, 'acme'))}, which exists too: two documents for one tenant`,
      ),
    );
  });

  it('refuses an account document edited without its checksum', async () => {
    const dir = await damaged();
    await editLine(account(dir, 'initech'), 1, '"tenantId":"initech"', '"tenantId":"acme"');
    await expectRefusal(dir, new RegExp(`${escaped(account(dir, 'initech'))} fails its checksum although it is valid JSON`));
  });

  it('refuses an account document that cannot be read, naming it', async () => {
    const dir = await damaged();
    await rm(account(dir, 'initech'));
    await mkdir(account(dir, 'initech'));
    await expectRefusal(dir, new RegExp(`The file ${escaped(account(dir, 'initech'))} cannot be read: EISDIR`));
  });

  it('refuses two documents for one tenant (a copy beside the original)', async () => {
    const dir = await damaged();
    const copy = path.join(dir, 'accounts', 'acme-backup.json');
    await cp(account(dir, 'acme'), copy);
    await expectRefusal(
      dir,
      new RegExp(`${escaped(copy)} holds the account of tenant "acme", whose document is ${escaped(account(dir, 'acme'))}, which exists too`),
    );
  });

  it('refuses a deleted WAL segment: the first after the checkpoint, or one in the middle', async () => {
    const [first, middle] = await walSegments(image);
    let dir = await damaged();
    await rm(walFile(dir, first!));
    await expectRefusal(
      dir,
      new RegExp(`checkpoint.json names WAL segment ${first} as the one after the checkpoint, and ${escaped(walFile(dir, first!))} is missing`),
    );

    dir = await damaged();
    await rm(walFile(dir, middle!));
    await expectRefusal(dir, new RegExp(`${escaped(walFile(dir, middle!))} is missing: the write-ahead log goes on at`));
  });

  it('refuses WAL lines cut out of a segment', async () => {
    const dir = await damaged();
    const [, middle] = await walSegments(dir);
    const lines = (await readFile(walFile(dir, middle!), 'utf8')).split('\n');
    expect(lines.length).toBeGreaterThan(2);
    await writeFile(walFile(dir, middle!), lines.slice(1).join('\n'));
    await expectRefusal(dir, new RegExp(`${escaped(walFile(dir, middle!))} line 1 holds record \\d+ where record \\d+ was due: records are missing before it`));
  });

  it('refuses a WAL line edited to other valid JSON, in the middle or as the very last line', async () => {
    const segments = await walSegments(image);
    let dir = await damaged();
    await editLine(walFile(dir, segments[0]!), 1, '"amountMinor":1000,', '"amountMinor":100000,');
    await expectRefusal(dir, new RegExp(`${escaped(walFile(dir, segments[0]!))} line 1 fails its checksum although it is valid JSON`));

    // Not mistaken for a torn write and cut: it is complete, and it was acknowledged.
    dir = await damaged();
    const last = walFile(dir, segments.at(-1)!);
    const lineCount = (await readFile(last, 'utf8')).trimEnd().split('\n').length;
    await editLine(last, lineCount, '"amountMinor":-10', '"amountMinor":-1');
    await expectRefusal(dir, new RegExp(`${escaped(last)} line ${lineCount} fails its checksum although it is valid JSON`));
  });

  it('refuses a checkpoint marker past the end of the log, resealed or not', async () => {
    const segments = await walSegments(image);
    let dir = await damaged();
    const marker = await readSealedDocument<{ walSeq: number; walSegment: number }>(path.join(dir, 'checkpoint.json'));
    await writeSealedDocument(path.join(dir, 'checkpoint.json'), { walSeq: marker.walSeq + 40, walSegment: segments.at(-1)! + 2 });
    await expectRefusal(
      dir,
      /checkpoint.json names WAL segment \d+ as the one after the checkpoint, but the log ends at segment \d+: the marker is past the end of the log/,
    );

    dir = await damaged();
    await writeSealedDocument(path.join(dir, 'checkpoint.json'), { walSeq: marker.walSeq + 3, walSegment: marker.walSegment });
    await expectRefusal(
      dir,
      /checkpoint.json says the write-ahead log goes on after record \d+ in .*, whose line 1 holds record \d+: the marker and the log do not belong together/,
    );

    dir = await damaged();
    await editLine(path.join(dir, 'checkpoint.json'), 1, `"walSeq":${marker.walSeq}`, `"walSeq":${marker.walSeq + 1}`);
    await expectRefusal(dir, /checkpoint.json fails its checksum although it is valid JSON/);
  });

  it('refuses an edited last journal line at start, and an edited older one when it is read, naming file and line', async () => {
    let dir = await damaged();
    const file = path.join(journalFolder(dir, 'initech'), '0.jsonl');
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    await editLine(file, lines.length, '"amountMinor":-75', '"amountMinor":-57');
    await expectRefusal(dir, new RegExp(`${escaped(file)} line ${lines.length} fails its checksum although it is valid JSON`));

    // Reading all history at every start would make start-up grow with it: an older line is checked when read.
    dir = await damaged();
    const older = path.join(journalFolder(dir, 'initech'), '0.jsonl');
    await editLine(older, 2, '"amountMinor":10000', '"amountMinor":99999');
    const before = await snapshot(dir);
    const api = await startOperatorApi(NO_BACKGROUND_CHECKPOINT, { dataDir: dir });
    await expect(api.app.store.journal('initech', 0, 10)).rejects.toThrow(`${older} line 2 fails its checksum although it is valid JSON`);
    expect((await api.call('GET', '/api/tenants/initech/journal?after=0&limit=10')).status).not.toBe(200);
    await api.app.close();
    const after = await snapshot(dir);
    for (const [file, hash] of Object.entries(before)) if (file.includes(tenantFileName('initech'))) expect(after[file], file).toBe(hash);
  });

  it('refuses a journal segment deleted from under its account document', async () => {
    const dir = await damaged();
    const file = path.join(journalFolder(dir, 'umbrella'), '0.jsonl');
    await rm(file);
    await expectRefusal(dir, new RegExp(`${escaped(file)} is missing; the account document counts \\d+ journal entries`));
  });

  it('refuses a usage key file with a changed byte', async () => {
    const dir = await damaged();
    const file = usageKeyFile(journalFolder(dir, 'initech'), 0);
    const bytes = await readFile(file);
    bytes[12] = bytes[12]! ^ 0x40;
    await writeFile(file, bytes);
    await expectRefusal(dir, new RegExp(`${escaped(file)} has a block of 2 keys at byte 0 that fails its checksum`));
  });

  it('refuses a data folder of the first format, without checksums, saying so', async () => {
    const dir = await damaged();
    const marker = path.join(dir, 'checkpoint.json');
    await writeFile(marker, JSON.stringify(await readSealedDocument(marker)));
    await expectRefusal(dir, /checkpoint.json is plain JSON without a checksum.*older version of the bot \(format 1, without checksums\)/);

    const wal = path.join(await damaged(), 'wal', `${(await walSegments(image))[0]}.log`);
    const plain = (await readFile(wal, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((line) => JSON.stringify(opened(line)));
    await writeFile(wal, `${plain.join('\n')}\n`);
    await expectRefusal(path.dirname(path.dirname(wal)), /line 1 is plain JSON without a checksum/);
  });

  it("leaves files and folders that are not the store's alone, and starts", async () => {
    const dir = await damaged();
    const strangers = {
      'notes.txt': 'an operator was here',
      'accounts/README.md': 'do not touch',
      'accounts/old.json.bak': seal('{}'),
      'journal/not-a-tenant/readme.txt': 'mine',
      'journal/manual-export/0.csv': 'a,b',
      [`journal/${tenantFileName('acme')}/notes.txt`]: 'per-tenant note',
      'wal/backup.tar': 'tar',
      'wal/0.log.orig': 'x',
    };
    for (const [name, content] of Object.entries(strangers)) {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await writeFile(path.join(dir, name), content);
    }
    const api = await startOperatorApi(NO_BACKGROUND_CHECKPOINT, { dataDir: dir });
    for (const tenant of Object.keys(balances)) expect((await api.call('GET', `/api/tenants/${tenant}/account`)).body.balance).toBe(balances[tenant]);
    await (api.app.store as LowdbLedgerStore).checkpoint();
    await api.stop({ keepData: true });
    for (const [name, content] of Object.entries(strangers)) expect(await readFile(path.join(dir, name), 'utf8'), name).toBe(content);
  });

  it('npm start says why it cannot start and exits with 1', { timeout: 60_000 }, async () => {
    const dir = await damaged();
    await rm(account(dir, 'umbrella'));
    await appendFile(path.join(dir, 'notes.txt'), 'kept');
    const before = await snapshot(dir);
    const child = spawn(process.execPath, ['--import', 'tsx', 'bot/index.ts'], {
      cwd: root,
      env: { ...process.env, PORT: '0', DATA_DIR: dir, OPERATOR_API_KEY: 'k', ...NO_BACKGROUND_CHECKPOINT },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(errors).toContain(`Cannot start: The ledger data is damaged: ${account(dir, 'umbrella')} is missing, but the tenant's journal`);
    expect(errors).toContain('Nothing in the data folder was changed.');
    expect(await snapshot(dir)).toEqual(before);
  });
});

describe('a disk that stops taking writes under the running app', () => {
  const takeDisk = useTestDisk();

  it('answers 503 store-unavailable to writes and reads, says why on /readyz, and serves again by itself once the disk takes writes', {
    timeout: 60_000,
  }, async () => {
    const api = await startOperatorApi(NO_BACKGROUND_CHECKPOINT, { dataDir: await tempFolder() });
    try {
      expect((await api.call('POST', '/api/tenants/acme/funds', { amount: '100.00', currency: 'USD', idempotencyKey: 'seed' })).status).toBe(200);
      const before = [record('acme', '1.00'), record('acme', '2.00')];
      expect((await api.call('POST', '/api/usage', { records: before })).body).toMatchObject({ accepted: 2 });

      const disk = await takeDisk();
      disk.fail('ENOSPC');
      const during = [record('acme', '4.00'), record('acme', '8.00')];
      const refused = await api.call('POST', '/api/usage', { records: during });
      expect([refused.status, refused.body.error]).toEqual([503, 'store-unavailable']);
      const read = await api.call('GET', '/api/tenants/acme/account');
      expect([read.status, read.body.error]).toEqual([503, 'store-unavailable']);
      expect((await api.call('GET', '/api/tenants/acme/journal?after=0&limit=10')).status).toBe(503);
      const ready = await api.call('GET', '/readyz');
      expect(ready.status).toBe(503);
      expect(JSON.stringify(ready.body)).toContain('the write-ahead log could not be written (ENOSPC)');

      disk.heal();
      await vi.waitFor(async () => expect((await api.call('GET', '/readyz')).status).toBe(200), { timeout: 20_000, interval: 200 });
      // The refused batch is sent again: each record is charged once.
      expect((await api.call('POST', '/api/usage', { records: during })).status).toBe(200);
      expect((await api.call('GET', '/api/tenants/acme/account')).body.balance).toBe('85.00');
      const journal = (await api.call('GET', '/api/tenants/acme/journal?after=0&limit=100')).body.entries as Array<{ idempotencyKey: string | null }>;
      const keys = journal.map((entry) => entry.idempotencyKey).filter((key) => key?.includes('rec-'));
      expect(keys).toHaveLength(4);
      expect(new Set(keys).size).toBe(4);
    } finally {
      await api.stop();
    }
  });
});
