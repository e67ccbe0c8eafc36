import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.ts';

/** The files of a run folder. The checkpoint is the commit point: the others are rebuilt from it. */
export const RUN_FILES = {
  config: 'config.json',
  checkpoint: 'checkpoint.safetensors',
  best: 'best.safetensors',
  metrics: 'metrics.json',
  report: 'report.html',
  onnx: 'model.onnx',
  gitignore: '.gitignore',
} as const;

/** Writes one file of a run folder, atomically (injectable, so tests can fail a write on purpose). */
export type WriteFile = (path: string, data: string | Uint8Array) => void;

/** The real writer: {@link writeFileAtomic}. */
export const atomicWriter: WriteFile = (path, data) => writeFileAtomic(path, data);

/** The name writeFileAtomic gives its temporary files: `.<name>.<pid>.<counter>.tmp`. */
const TEMP_FILE = /^\..+\.(\d+)\.\d+\.tmp$/;

/**
 * Removes the temporary files that a killed run left in `dir` (a kill between writeFileAtomic's write
 * and its rename leaves one, up to the checkpoint's size). Files of a process that is still alive (two
 * runs sharing a folder) are kept. Returns the names removed.
 *
 * @example
 * cleanTempFiles('runs/a'); // ['.checkpoint.safetensors.4242.7.tmp']
 */
export function cleanTempFiles(dir: string): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    const m = TEMP_FILE.exec(name);
    if (!m || (Number(m[1]) !== process.pid && isAlive(Number(m[1])))) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Reads a file of a run folder; an error (missing, unreadable) names the file.
 *
 * @example
 * const bytes = readRunFile('runs/a/checkpoint.safetensors');
 */
export function readRunFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as Error).message}`);
  }
}

/**
 * Parses a file of a run folder with `parse`; any error (corrupt bytes, bad JSON, a checkpoint that does
 * not fit the model) is rethrown with the file's path in front, so the user knows which file is bad.
 *
 * @example
 * const config = parseRunFile('runs/a/config.json', (b) => JSON.parse(b.toString('utf8')));
 */
export function parseRunFile<T>(path: string, parse: (bytes: Buffer) => T): T {
  const bytes = readRunFile(path);
  try {
    return parse(bytes);
  } catch (err) {
    throw new Error(`${path} is corrupt or not from this run: ${(err as Error).message}`);
  }
}
