import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, IdxFormatError, parseIdx, readIdxFile } from './idx.ts';

/** Builds an IDX file: big-endian magic, dims, then the payload. */
function idxBytes(magic: number, dims: number[], payload: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic, false);
  for (const [i, d] of dims.entries()) view.setUint32(4 + 4 * i, d, false);
  out.set(payload, 4 + 4 * dims.length);
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'idx-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseIdx', () => {
  it('reads a labels file: dims and payload', () => {
    const idx = parseIdx(idxBytes(IDX_LABELS_MAGIC, [5], [3, 1, 4, 1, 5]), IDX_LABELS_MAGIC);
    expect(idx.dims).toEqual([5]);
    expect([...idx.data]).toEqual([3, 1, 4, 1, 5]);
  });

  it('reads an images file with big-endian dims larger than 255', () => {
    const payload = Array.from({ length: 2 * 300 * 1 }, (_, i) => i % 256);
    const idx = parseIdx(idxBytes(IDX_IMAGES_MAGIC, [2, 300, 1], payload), IDX_IMAGES_MAGIC);
    expect(idx.dims).toEqual([2, 300, 1]);
    expect(idx.data.length).toBe(600);
    expect(idx.data[599]).toBe(599 % 256);
  });

  it('refuses a bad magic number and names both numbers', () => {
    const bytes = idxBytes(0x00000803, [1], [0]);
    expect(() => parseIdx(bytes, IDX_LABELS_MAGIC, 'labels')).toThrow(IdxFormatError);
    expect(() => parseIdx(bytes, IDX_LABELS_MAGIC, 'labels')).toThrow(
      /bad magic number 0x00000803; expected 0x00000801/,
    );
    // A gzipped file starts with 1f 8b.
    expect(() => parseIdx(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]), IDX_LABELS_MAGIC)).toThrow(/not gzipped/);
  });

  it('refuses a file shorter than the magic number or the header', () => {
    expect(() => parseIdx(new Uint8Array([0, 0, 8]), IDX_LABELS_MAGIC)).toThrow(/too short/);
    const header = idxBytes(IDX_IMAGES_MAGIC, [1, 2, 2], [1, 2, 3, 4]).subarray(0, 10);
    expect(() => parseIdx(header, IDX_IMAGES_MAGIC)).toThrow(
      /truncated header: 10 bytes, but 3 dimensions need 16/,
    );
  });

  it('refuses a truncated payload and trailing bytes with the exact expected length', () => {
    const good = idxBytes(IDX_IMAGES_MAGIC, [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    expect(() => parseIdx(good.subarray(0, good.length - 1), IDX_IMAGES_MAGIC)).toThrow(
      /truncated: 23 bytes, but the header's dimensions \[2, 2, 2\] need exactly 24/,
    );
    const long = new Uint8Array(good.length + 3);
    long.set(good);
    expect(() => parseIdx(long, IDX_IMAGES_MAGIC)).toThrow(/has trailing bytes: 27 bytes/);
  });

  it('refuses a zero dimension', () => {
    expect(() => parseIdx(idxBytes(IDX_LABELS_MAGIC, [0], []), IDX_LABELS_MAGIC)).toThrow(/dimension 0 is 0/);
  });

  it('works on a view into a larger buffer (non-zero byteOffset)', () => {
    const inner = idxBytes(IDX_LABELS_MAGIC, [2], [7, 9]);
    const outer = new Uint8Array(inner.length + 5);
    outer.set(inner, 5);
    expect([...parseIdx(outer.subarray(5), IDX_LABELS_MAGIC).data]).toEqual([7, 9]);
  });
});

describe('readIdxFile', () => {
  it('reads a good file from disk and checks the pinned dims', () => {
    const path = join(dir, 'good-images');
    writeFileSync(path, idxBytes(IDX_IMAGES_MAGIC, [3, 2, 2], new Array(12).fill(9)));
    expect(readIdxFile(path, IDX_IMAGES_MAGIC, [undefined, 2, 2]).dims).toEqual([3, 2, 2]);
  });

  it('refuses a file whose dims are not the expected ones (wrong dims)', () => {
    const path = join(dir, 'wrong-dims');
    writeFileSync(path, idxBytes(IDX_IMAGES_MAGIC, [1, 27, 28], new Array(27 * 28).fill(0)));
    expect(() => readIdxFile(path, IDX_IMAGES_MAGIC, [undefined, 28, 28])).toThrow(
      /dimensions \[1, 27, 28\] do not match the expected \[any, 28, 28\] \(dimension 1\)/,
    );
  });

  it('refuses a truncated file on disk, naming the path', () => {
    const path = join(dir, 'truncated-labels');
    writeFileSync(path, idxBytes(IDX_LABELS_MAGIC, [10], new Array(10).fill(1)).subarray(0, 15));
    expect(() => readIdxFile(path, IDX_LABELS_MAGIC)).toThrow(new RegExp(`${path}: file truncated`));
  });
});
