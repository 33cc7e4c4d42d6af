import { mkdir, open, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { DamagedDataError, RESTORE_FROM_BACKUP } from './damagedData.js';
import { isMissing, listFolder, syncFolder, writeFileAtomically } from './durableJsonFile.js';

/**
 * A tenant's usage key fingerprints live beside its journal, in `usage-keys.<generation>.bin`: a
 * run of blocks, each an 8-byte header (record count, CRC-32 of the count and the records, as
 * little-endian 32-bit numbers) and that many 12-byte records (hi, lo, day, likewise). A checkpoint
 * appends one block with the keys added since the one before; when keys were dropped it writes the
 * whole set, as one block, to a new generation instead. The account document records which
 * generation holds its keys and how many bytes of it: bytes past that are a crashed checkpoint's
 * and are cut. (Format 2; format 1 had bare records without blocks or checksums.)
 */
export interface UsageKeysEnd {
  generation: number;
  bytes: number;
}

export const EMPTY_USAGE_KEYS: UsageKeysEnd = { generation: 0, bytes: 0 };

const HEADER_BYTES = 8;
const RECORD_BYTES = 12;
const FILE_PATTERN = /^usage-keys\.(\d+)\.bin$/;
/** A generation's file, or a temporary file a crashed rewrite of one left behind. */
const OWN_FILE_PATTERN = /^usage-keys\.\d+\.bin(\.\d+-\d+\.tmp)?$/;
const LITTLE_ENDIAN = os.endianness() === 'LE';

export function usageKeyFile(folder: string, generation: number): string {
  return path.join(folder, `usage-keys.${generation}.bin`);
}

/** Whether a file name in a journal folder is one of the usage key files this module writes. */
export function isUsageKeyFileName(name: string): boolean {
  return OWN_FILE_PATTERN.test(name);
}

/**
 * Appends triples, as one block, to the current generation's file after its known end (cutting
 * bytes a failed attempt left there), durably, and returns where the file now ends.
 */
export async function appendUsageKeys(folder: string, end: UsageKeysEnd, triples: Uint32Array): Promise<UsageKeysEnd> {
  if (triples.length === 0) return end;
  const creating = end.bytes === 0;
  if (creating) await ensureFolder(folder);
  const bytes = toBlock(triples);
  const handle = await open(usageKeyFile(folder, end.generation), creating ? 'w' : 'r+');
  try {
    await handle.truncate(end.bytes);
    for (let offset = 0; offset < bytes.length; ) {
      offset += (await handle.write(bytes, offset, bytes.length - offset, end.bytes + offset)).bytesWritten;
    }
    await handle.datasync();
  } finally {
    await handle.close();
  }
  if (creating) await syncFolder(folder);
  return { generation: end.generation, bytes: end.bytes + bytes.length };
}

/** Writes the whole set as a new generation (temporary file, fsync, rename, fsync of the folder). */
export async function rewriteUsageKeys(folder: string, generation: number, triples: Uint32Array): Promise<UsageKeysEnd> {
  await ensureFolder(folder);
  const bytes = triples.length === 0 ? Buffer.alloc(0) : toBlock(triples);
  await writeFileAtomically(usageKeyFile(folder, generation), bytes);
  return { generation, bytes: bytes.length };
}

/** Deletes one generation's file, if it is there. */
export async function deleteUsageKeys(folder: string, generation: number): Promise<void> {
  await unlink(usageKeyFile(folder, generation)).catch((error: unknown) => {
    if (!isMissing(error)) throw error;
  });
}

export interface LoadedUsageKeys {
  triples: Uint32Array;
  /**
   * Cuts the generation's file back to the recorded length (a crashed checkpoint may have appended
   * more; those keys come back from the WAL) and deletes every other generation and leftover
   * temporary key file. Safe to repeat; recovery runs it only once everything else checked out.
   */
  repair(): Promise<void>;
}

/** Reads and checks the keys an account document counts; changes nothing. */
export async function loadUsageKeys(folder: string, end: UsageKeysEnd): Promise<LoadedUsageKeys> {
  const file = usageKeyFile(folder, end.generation);
  const repair = () => repairUsageKeys(folder, end);
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if (isMissing(error) && end.bytes === 0) return { triples: new Uint32Array(0), repair };
    if (isMissing(error)) throw new DamagedDataError(file, `is missing; its account document counts ${end.bytes} bytes of it`, RESTORE_FROM_BACKUP);
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size < end.bytes) throw new DamagedDataError(file, `has ${size} bytes, fewer than the ${end.bytes} its account document counts`, RESTORE_FROM_BACKUP);
    const buffer = Buffer.alloc(end.bytes);
    for (let got = 0; got < end.bytes; ) {
      const { bytesRead } = await handle.read(buffer, got, end.bytes - got, got);
      if (bytesRead === 0) throw new DamagedDataError(file, `ended before the ${end.bytes} bytes its account document counts`, RESTORE_FROM_BACKUP);
      got += bytesRead;
    }
    return { triples: fromBlocks(file, buffer), repair };
  } finally {
    await handle.close();
  }
}

async function repairUsageKeys(folder: string, end: UsageKeysEnd): Promise<void> {
  const current = path.basename(usageKeyFile(folder, end.generation));
  for (const name of await listFolder(folder)) {
    if (isUsageKeyFileName(name) && name !== current) await unlink(path.join(folder, name));
  }
  let handle;
  try {
    handle = await open(usageKeyFile(folder, end.generation), 'r+');
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  try {
    if ((await handle.stat()).size > end.bytes) {
      await handle.truncate(end.bytes);
      await handle.sync();
    }
  } finally {
    await handle.close();
  }
}

/** The generations present in a folder (for tests and diagnostics). */
export async function usageKeyGenerations(folder: string): Promise<number[]> {
  return (await listFolder(folder))
    .map((name) => FILE_PATTERN.exec(name)?.[1])
    .filter((digits): digits is string => digits !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

function toBlock(triples: Uint32Array): Buffer {
  const records = Buffer.from(triples.buffer, triples.byteOffset, triples.byteLength);
  const block = Buffer.allocUnsafe(HEADER_BYTES + records.length);
  block.writeUInt32LE(triples.length / 3, 0);
  if (LITTLE_ENDIAN) records.copy(block, HEADER_BYTES);
  else Buffer.from(records).swap32().copy(block, HEADER_BYTES);
  block.writeUInt32LE(crc32(block.subarray(HEADER_BYTES), crc32(block.subarray(0, 4))), 4);
  return block;
}

/** The records of every block, checked against their checksums. */
function fromBlocks(file: string, bytes: Buffer): Uint32Array {
  const blocks: Array<{ start: number; end: number }> = [];
  let records = 0;
  for (let offset = 0; offset < bytes.length; ) {
    const count = offset + HEADER_BYTES <= bytes.length ? bytes.readUInt32LE(offset) : -1;
    const end = offset + HEADER_BYTES + count * RECORD_BYTES;
    if (count < 0 || end > bytes.length) {
      throw new DamagedDataError(file, `has a block at byte ${offset} that runs past the ${bytes.length} bytes its account document counts`, RESTORE_FROM_BACKUP);
    }
    const expected = crc32(bytes.subarray(offset + HEADER_BYTES, end), crc32(bytes.subarray(offset, offset + 4)));
    if (expected !== bytes.readUInt32LE(offset + 4)) {
      throw new DamagedDataError(file, `has a block of ${count} keys at byte ${offset} that fails its checksum: it was changed after it was written`, RESTORE_FROM_BACKUP);
    }
    blocks.push({ start: offset + HEADER_BYTES, end });
    records += count;
    offset = end;
  }
  // A fresh Uint32Array starts at offset 0 of its own buffer, so it is aligned.
  const triples = new Uint32Array(records * 3);
  const target = Buffer.from(triples.buffer);
  let at = 0;
  for (const { start, end } of blocks) at += bytes.copy(target, at, start, end);
  if (!LITTLE_ENDIAN) target.swap32();
  return triples;
}

async function ensureFolder(folder: string): Promise<void> {
  const made = await mkdir(folder, { recursive: true });
  if (made !== undefined) await syncFolder(path.dirname(folder));
}
