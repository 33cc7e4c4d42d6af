import { mkdir, open, readdir, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isMissing, syncFolder, writeFileAtomically } from './durableJsonFile.js';

/**
 * A tenant's usage key fingerprints live beside its journal, in `usage-keys.<generation>.bin`: an
 * append-only run of 12-byte records (hi, lo, day as little-endian 32-bit numbers). A checkpoint
 * appends the keys added since the one before; when keys were dropped (or a checkpoint failed) it
 * writes the whole set to a new generation instead. The account document records which generation
 * holds its keys and how many bytes of it: bytes past that are a crashed checkpoint's and are cut.
 */
export interface UsageKeysEnd {
  generation: number;
  bytes: number;
}

export const EMPTY_USAGE_KEYS: UsageKeysEnd = { generation: 0, bytes: 0 };

const RECORD_BYTES = 12;
const FILE_PATTERN = /^usage-keys\.(\d+)\.bin$/;
const LITTLE_ENDIAN = os.endianness() === 'LE';

export function usageKeyFile(folder: string, generation: number): string {
  return path.join(folder, `usage-keys.${generation}.bin`);
}

/**
 * Appends triples to the current generation's file after its known end (cutting bytes a failed
 * attempt left there), durably, and returns where the file now ends.
 */
export async function appendUsageKeys(folder: string, end: UsageKeysEnd, triples: Uint32Array): Promise<UsageKeysEnd> {
  if (triples.length === 0) return end;
  const creating = end.bytes === 0;
  if (creating) await ensureFolder(folder);
  const bytes = toFileBytes(triples);
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
  const bytes = toFileBytes(triples);
  await writeFileAtomically(usageKeyFile(folder, generation), bytes);
  return { generation, bytes: bytes.length };
}

/** Deletes one generation's file, if it is there. */
export async function deleteUsageKeys(folder: string, generation: number): Promise<void> {
  await unlink(usageKeyFile(folder, generation)).catch((error: unknown) => {
    if (!isMissing(error)) throw error;
  });
}

/**
 * Loads the keys an account document counts: its generation's file cut back to the recorded
 * length (a crashed checkpoint may have appended more; those keys come back from the WAL).
 * Every other generation and leftover temporary key file is deleted. Safe to repeat.
 */
export async function loadUsageKeys(folder: string, end: UsageKeysEnd): Promise<Uint32Array> {
  const current = path.basename(usageKeyFile(folder, end.generation));
  for (const name of await listFolder(folder)) {
    if (name.startsWith('usage-keys.') && name !== current) await unlink(path.join(folder, name));
  }
  if (end.bytes % RECORD_BYTES !== 0) throw new Error(`The usage key file ${current} is said to hold ${end.bytes} bytes, not a whole number of ${RECORD_BYTES}-byte records.`);
  const file = usageKeyFile(folder, end.generation);
  let handle;
  try {
    handle = await open(file, 'r+');
  } catch (error) {
    if (isMissing(error) && end.bytes === 0) return new Uint32Array(0);
    if (isMissing(error)) throw new Error(`The usage key file ${file} is missing; its account document counts ${end.bytes} bytes.`);
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size < end.bytes) throw new Error(`The usage key file ${file} has ${size} bytes, fewer than the ${end.bytes} its account document counts.`);
    if (size > end.bytes) {
      await handle.truncate(end.bytes);
      await handle.sync();
    }
    const buffer = new Uint8Array(end.bytes);
    for (let got = 0; got < end.bytes; ) {
      const { bytesRead } = await handle.read(buffer, got, end.bytes - got, got);
      if (bytesRead === 0) throw new Error(`The usage key file ${file} ended before the ${end.bytes} bytes its account document counts.`);
      got += bytesRead;
    }
    return fromFileBytes(buffer);
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

function toFileBytes(triples: Uint32Array): Buffer {
  const bytes = Buffer.from(triples.buffer, triples.byteOffset, triples.byteLength);
  return LITTLE_ENDIAN ? bytes : Buffer.from(bytes).swap32();
}

function fromFileBytes(bytes: Uint8Array): Uint32Array {
  // A fresh Uint8Array starts at offset 0 of its own buffer, so a 32-bit view of it is aligned.
  if (!LITTLE_ENDIAN) Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).swap32();
  return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

async function ensureFolder(folder: string): Promise<void> {
  const made = await mkdir(folder, { recursive: true });
  if (made !== undefined) await syncFolder(path.dirname(folder));
}

async function listFolder(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}
