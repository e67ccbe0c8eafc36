import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

let counter = 0;

/**
 * Writes a file atomically: the bytes go to a temporary file in the same folder, which is fsynced and
 * then renamed over `path` (rename is atomic within one file system), and the folder is fsynced so the
 * rename itself survives a crash. If anything fails — including a chunk producer that throws midway —
 * the temporary file is removed and the old `path`, if any, is left untouched.
 * Source: the classic write-fsync-rename pattern (see rename(2), fsync(2)).
 *
 * @example
 * writeFileAtomic('run/checkpoint.safetensors', bytes);
 * writeFileAtomic('run/metrics.json', JSON.stringify(metrics));
 */
export function writeFileAtomic(path: string, data: string | Uint8Array | Iterable<Uint8Array>): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${counter++}.tmp`);
  const fd = openSync(tmp, 'wx', 0o644);
  let ok = false;
  try {
    const chunks =
      typeof data === 'string' ? [Buffer.from(data, 'utf8')] : data instanceof Uint8Array ? [data] : data;
    for (const chunk of chunks) {
      let off = 0;
      while (off < chunk.length) off += writeSync(fd, chunk, off, chunk.length - off);
    }
    fsyncSync(fd);
    ok = true;
  } finally {
    closeSync(fd);
    if (!ok) rmSync(tmp, { force: true });
  }
  try {
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  syncDir(dir);
}

/** fsync a folder so a rename in it is durable; some platforms cannot open a folder, which is harmless. */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot fsync a directory handle; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
