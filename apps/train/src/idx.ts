import { readFileSync } from 'node:fs';

/** The magic number of an IDX file of unsigned bytes with one dimension (MNIST labels). */
export const IDX_LABELS_MAGIC = 0x00000801;
/** The magic number of an IDX file of unsigned bytes with three dimensions (MNIST images). */
export const IDX_IMAGES_MAGIC = 0x00000803;

/** An IDX array of unsigned bytes: its dimensions and its row-major data. */
export interface IdxArray {
  /** The dimensions from the header, outermost first (images: [count, rows, cols]). */
  readonly dims: readonly number[];
  /** The payload, row-major, one byte per element (a view into the file's bytes). */
  readonly data: Uint8Array;
}

/** Thrown when a file is not a well-formed IDX file of the expected kind. */
export class IdxFormatError extends Error {
  override name = 'IdxFormatError';
}

/**
 * Parses an IDX file of unsigned bytes (the format of the MNIST distribution), checking everything.
 *
 * Layout (big-endian): magic `0x00 0x00 0x08 ndim`, then `ndim` uint32 dimensions, then
 * `∏ dims` bytes. The file length must be exactly `4 + 4·ndim + ∏ dims`: a truncated file or one with
 * trailing bytes is refused, as is any other magic number than `expectedMagic`.
 * Source: Y. LeCun, C. Cortes, C. Burges, "The MNIST database" (yann.lecun.com/exdb/mnist).
 *
 * @example
 * const labels = parseIdx(readFileSync('train-labels-idx1-ubyte'), IDX_LABELS_MAGIC, 'train labels');
 * labels.dims; // [60000]
 */
export function parseIdx(bytes: Uint8Array, expectedMagic: number, name = 'IDX file'): IdxArray {
  const ndim = expectedMagic & 0xff;
  const headerLength = 4 + 4 * ndim;
  if (bytes.length < 4) {
    throw new IdxFormatError(
      `${name}: ${bytes.length} bytes is too short for an IDX header (at least 4 bytes).`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (magic !== expectedMagic) {
    throw new IdxFormatError(
      `${name}: bad magic number ${hex(magic)}; expected ${hex(expectedMagic)} ` +
        `(unsigned bytes, ${ndim} dimension${ndim === 1 ? '' : 's'}). Is this the right file, and not gzipped?`,
    );
  }
  if (bytes.length < headerLength) {
    throw new IdxFormatError(
      `${name}: truncated header: ${bytes.length} bytes, but ${ndim} dimensions need ${headerLength}.`,
    );
  }
  const dims: number[] = [];
  let count = 1;
  for (let i = 0; i < ndim; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    if (d === 0)
      throw new IdxFormatError(`${name}: dimension ${i} is 0; every dimension must be at least 1.`);
    dims.push(d);
    count *= d;
  }
  const expected = headerLength + count;
  if (bytes.length !== expected) {
    const what = bytes.length < expected ? 'truncated' : 'has trailing bytes';
    throw new IdxFormatError(
      `${name}: file ${what}: ${bytes.length} bytes, but the header's dimensions [${dims.join(', ')}] ` +
        `need exactly ${expected} (${headerLength} header + ${count} data).`,
    );
  }
  return { dims, data: bytes.subarray(headerLength) };
}

/**
 * Reads and checks an IDX file from disk (see {@link parseIdx}); `expectedDims` pins dimensions that
 * must match (use `undefined` for a free one, e.g. the count).
 *
 * @example
 * const images = readIdxFile('t10k-images-idx3-ubyte', IDX_IMAGES_MAGIC, [10000, 28, 28]);
 */
export function readIdxFile(
  path: string,
  expectedMagic: number,
  expectedDims?: readonly (number | undefined)[],
): IdxArray {
  const idx = parseIdx(readFileSync(path), expectedMagic, path);
  if (expectedDims) {
    expectedDims.forEach((want, i) => {
      if (want !== undefined && idx.dims[i] !== want) {
        const shape = expectedDims.map((d) => d ?? 'any').join(', ');
        throw new IdxFormatError(
          `${path}: dimensions [${idx.dims.join(', ')}] do not match the expected [${shape}] (dimension ${i}).`,
        );
      }
    });
  }
  return idx;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
