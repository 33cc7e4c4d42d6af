import { readFile, writeFile } from 'node:fs/promises';
import { seal, unseal } from '../../data/sealedLine.js';

/** The JSON a sealed line holds; throws if its seal is broken. */
export function opened<T = unknown>(line: string): T {
  const result = unseal(line);
  if (!result.ok) throw new Error(`not a good sealed line (${result.problem}): ${line.slice(0, 80)}`);
  return result.value as T;
}

/** A document the store wrote (account, outbox, checkpoint marker). */
export async function readSealedDocument<T>(file: string): Promise<T> {
  return opened<T>((await readFile(file, 'utf8')).trimEnd());
}

/** Writes a document as the store would, with a good seal: a deliberate, well-formed change. */
export async function writeSealedDocument(file: string, value: unknown): Promise<void> {
  await writeFile(file, `${seal(JSON.stringify(value))}\n`);
}

/** The lines of a file of sealed lines, each opened. */
export async function readSealedLines<T>(file: string): Promise<T[]> {
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => opened<T>(line));
}
