import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface BenchContext {
  runId: string;
  /** Small sizes, for checking the bench itself quickly. */
  quick: boolean;
  /** Where --cpu-prof profiles of the measured processes go, when profiling. */
  profileDir: string | null;
  log(message: string): void;
  /** A fresh temporary folder, removed at the end of the run. */
  tempDir(label: string): Promise<string>;
}

export interface Row {
  section: string;
  case: string;
  /** What was measured, for the table. */
  result: string;
  target?: string;
  status?: 'met' | 'missed' | 'info';
  /** The figures behind `result`, for the JSON. */
  figures: Record<string, unknown>;
}

const temps: string[] = [];

export async function makeTempDir(label: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `ccbench-${label}-`));
  temps.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
}

export const API_KEY = 'bench-operator-key';
