import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { type FileHandle, open, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { StoredUsageKeys, UsageKeySink } from '../services/ledger/idempotencyKeys.js';
import { DamagedDataError, RESTORE_FROM_BACKUP } from './damagedData.js';
import type { DurableBatch } from './durableBatch.js';
import { isMissing, listFolder } from './durableJsonFile.js';

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
 * bytes a failed attempt left there) as part of a checkpoint's `batch`, and returns where the file
 * ends once the batch is durable.
 */
export async function appendUsageKeys(batch: DurableBatch, folder: string, end: UsageKeysEnd, triples: Uint32Array): Promise<UsageKeysEnd> {
  if (triples.length === 0) return end;
  if (end.bytes === 0) await batch.makeFolder(folder);
  const bytes = toBlock(triples);
  await batch.writeAt(usageKeyFile(folder, end.generation), end.bytes, bytes);
  return { generation: end.generation, bytes: end.bytes + bytes.length };
}

/**
 * Writes the whole set as a new generation, as part of `batch`. The generation was never used
 * before and no account document names it until the batch is durable, so it is written in place.
 */
export async function rewriteUsageKeys(batch: DurableBatch, folder: string, generation: number, triples: Uint32Array): Promise<UsageKeysEnd> {
  await batch.makeFolder(folder);
  const bytes = triples.length === 0 ? Buffer.alloc(0) : toBlock(triples);
  await batch.writeAt(usageKeyFile(folder, generation), 0, bytes);
  return { generation, bytes: bytes.length };
}

/** Deletes one generation's file, if it is there. */
export async function deleteUsageKeys(folder: string, generation: number): Promise<void> {
  await unlink(usageKeyFile(folder, generation)).catch((error: unknown) => {
    if (!isMissing(error)) throw error;
  });
}

/** How many bytes of a file are read at a time: whole records, about 1 MB. */
const CHUNK_BYTES = RECORD_BYTES * 87_381;

/** Takes the keys read and forgets them: a check of the file. */
const DISCARD: UsageKeySink = { reserveUsage() {}, addStoredUsage() {} };

/**
 * Checks every block of the keys an account document counts, without keeping them, and returns
 * the repair: it cuts the generation's file back to the recorded length (a crashed checkpoint may
 * have appended more; those keys come back from the WAL) and deletes every other generation and
 * leftover temporary key file. Changes no file itself; safe to repeat; recovery runs the repair
 * only once everything else checked out. Reading the keys into the account's table waits until
 * they are needed (`storedUsageKeys`).
 */
export async function checkUsageKeys(folder: string, end: UsageKeysEnd): Promise<() => Promise<void>> {
  await readUsageKeys(folder, end, DISCARD);
  return () => repairUsageKeys(folder, end);
}

/**
 * The keys an account document counts, read only when asked (`IdempotencyKeys.deferStoredUsage`).
 * The file is only appended to beyond `end` while they wait (a rewrite needs them read first), so
 * the first `end.bytes` bytes stay what `checkUsageKeys` checked; they are checked again as read.
 */
export function storedUsageKeys(folder: string, end: UsageKeysEnd): StoredUsageKeys {
  return { read: (sink) => readUsageKeys(folder, end, sink), readNow: (sink) => readUsageKeysNow(folder, end, sink) };
}

/**
 * Reads and checks the keys an account document counts into `sink`, chunk by chunk, so no copy of
 * the file stays in memory; changes no file. A damaged block throws once part of the keys went
 * into the sink (they were stored: keeping them forgets nothing).
 */
async function readUsageKeys(folder: string, end: UsageKeysEnd, sink: UsageKeySink): Promise<void> {
  const file = usageKeyFile(folder, end.generation);
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if (isAbsentAndEmpty(error, file, end)) return;
    throw error;
  }
  try {
    const reads = readBlocks(file, (await handle.stat()).size, end, sink);
    for (let step = reads.next(); !step.done; step = reads.next()) {
      const { buffer, length, position } = step.value;
      for (let got = 0; got < length; ) {
        const { bytesRead } = await handle.read(buffer, got, length - got, position + got);
        if (bytesRead === 0) throw endedEarly(file, end);
        got += bytesRead;
      }
    }
  } finally {
    await handle.close();
  }
}

/** `readUsageKeys`, blocking: for a caller that needs the keys this moment. */
function readUsageKeysNow(folder: string, end: UsageKeysEnd, sink: UsageKeySink): void {
  const file = usageKeyFile(folder, end.generation);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if (isAbsentAndEmpty(error, file, end)) return;
    throw error;
  }
  try {
    const reads = readBlocks(file, fstatSync(fd).size, end, sink);
    for (let step = reads.next(); !step.done; step = reads.next()) {
      const { buffer, length, position } = step.value;
      for (let got = 0; got < length; ) {
        const bytesRead = readSync(fd, buffer, got, length - got, position + got);
        if (bytesRead === 0) throw endedEarly(file, end);
        got += bytesRead;
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** A read the block reader needs: `length` bytes of the file at `position` into `buffer`, from its start. */
interface Read {
  buffer: Buffer;
  length: number;
  position: number;
}

/**
 * The format, read once for both readers: yields each read it needs (its driver fills the buffer
 * before resuming it), checks each block against its checksum and hands its keys to `sink`.
 */
function* readBlocks(file: string, size: number, end: UsageKeysEnd, sink: UsageKeySink): Generator<Read, void, void> {
  if (size < end.bytes) throw new DamagedDataError(file, `has ${size} bytes, fewer than the ${end.bytes} its account document counts`, RESTORE_FROM_BACKUP);
  // Every block has a header, so this slightly overcounts: the table grows once.
  sink.reserveUsage(Math.floor(end.bytes / RECORD_BYTES));
  const header = Buffer.alloc(HEADER_BYTES);
  // A fresh Uint32Array starts at offset 0 of its own buffer, so it is aligned.
  const chunk = new Uint32Array(Math.ceil(Math.min(CHUNK_BYTES, end.bytes) / 4));
  const chunkBytes = Buffer.from(chunk.buffer);
  for (let offset = 0; offset < end.bytes; ) {
    let count = -1;
    if (offset + HEADER_BYTES <= end.bytes) {
      yield { buffer: header, length: HEADER_BYTES, position: offset };
      count = header.readUInt32LE(0);
    }
    const blockEnd = offset + HEADER_BYTES + count * RECORD_BYTES;
    if (count < 0 || blockEnd > end.bytes) {
      throw new DamagedDataError(file, `has a block at byte ${offset} that runs past the ${end.bytes} bytes its account document counts`, RESTORE_FROM_BACKUP);
    }
    let crc = crc32(header.subarray(0, 4));
    for (let at = offset + HEADER_BYTES; at < blockEnd; ) {
      const length = Math.min(CHUNK_BYTES, blockEnd - at);
      yield { buffer: chunkBytes, length, position: at };
      crc = crc32(chunkBytes.subarray(0, length), crc);
      if (!LITTLE_ENDIAN) chunkBytes.subarray(0, length).swap32();
      sink.addStoredUsage(chunk.subarray(0, length / 4));
      at += length;
    }
    if (crc !== header.readUInt32LE(4)) {
      throw new DamagedDataError(
        file,
        `has a block of ${count} keys at byte ${offset} that fails its checksum: it was changed after it was written`,
        RESTORE_FROM_BACKUP,
      );
    }
    offset = blockEnd;
  }
}

/** Whether opening failed only because the file is missing and the document counts none of it; throws if it counts some. */
function isAbsentAndEmpty(error: unknown, file: string, end: UsageKeysEnd): boolean {
  if (!isMissing(error)) return false;
  if (end.bytes === 0) return true;
  throw new DamagedDataError(file, `is missing; its account document counts ${end.bytes} bytes of it`, RESTORE_FROM_BACKUP);
}

function endedEarly(file: string, end: UsageKeysEnd): DamagedDataError {
  return new DamagedDataError(file, `ended before the ${end.bytes} bytes its account document counts`, RESTORE_FROM_BACKUP);
}

async function repairUsageKeys(folder: string, end: UsageKeysEnd): Promise<void> {
  const current = path.basename(usageKeyFile(folder, end.generation));
  for (const name of await listFolder(folder)) {
    if (isUsageKeyFileName(name) && name !== current) await unlink(path.join(folder, name));
  }
  let handle: FileHandle;
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
