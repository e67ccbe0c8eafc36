/**
 * The page's MNIST assets: the images and labels of a slice of one split, packed into one small binary
 * "chunk" (then gzipped by the build), and the manifest that lists the chunks. Browser-safe: the build
 * (vite/mnist-assets.ts) writes them, the training worker reads them.
 */

/** Pixels per MNIST image (28 × 28). */
export const PIXELS = 784;
/** The four bytes a chunk starts with. */
export const CHUNK_MAGIC = 'SNM1';
const HEADER = 16;

/** One slice of an MNIST split: `count` labels and `count × 784` raw pixels (0..255), row-major. */
export interface MnistSlice {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

/** What data/manifest.json says: the pixel statistics and the chunks of each split, in loading order. */
export interface MnistManifest {
  version: 1;
  /** Mean and population std of all 60,000 training pixels in raw units (as apps/train standardizes). */
  pixelMean: number;
  pixelStd: number;
  train: { file: string; count: number }[];
  test: { file: string; count: number }[];
}

/**
 * Packs a slice as a chunk: 'SNM1', the count (uint32, little-endian), 8 zero bytes, the labels, the pixels.
 *
 * @example
 * decodeChunk(encodeChunk({ images, labels, count: 2 })).count; // 2
 */
export function encodeChunk(slice: MnistSlice): Uint8Array {
  const { images, labels, count } = slice;
  if (labels.length !== count || images.length !== count * PIXELS)
    throw new RangeError(
      `encodeChunk: ${count} images need ${count} labels and ${count * PIXELS} pixels, got ${labels.length} and ${images.length}`,
    );
  const out = new Uint8Array(HEADER + count * (1 + PIXELS));
  for (let i = 0; i < 4; i++) out[i] = CHUNK_MAGIC.charCodeAt(i);
  new DataView(out.buffer).setUint32(4, count, true);
  out.set(labels, HEADER);
  out.set(images, HEADER + count);
  return out;
}

/**
 * Unpacks a chunk written by {@link encodeChunk}, checking the magic, the length and every label; the
 * arrays are views into `bytes`.
 *
 * @example
 * const { images, labels, count } = decodeChunk(bytes);
 */
export function decodeChunk(bytes: Uint8Array, name = 'chunk'): MnistSlice {
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (bytes.length < HEADER || magic !== CHUNK_MAGIC)
    throw new Error(
      `decodeChunk: ${name} does not start with '${CHUNK_MAGIC}' (got ${JSON.stringify(magic)}, ${bytes.length} bytes); is it a playground MNIST chunk, decompressed?`,
    );
  const count = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  const want = HEADER + count * (1 + PIXELS);
  if (bytes.length !== want)
    throw new Error(`decodeChunk: ${name} holds ${bytes.length} bytes, but ${count} images need ${want}`);
  const labels = bytes.subarray(HEADER, HEADER + count);
  const bad = labels.findIndex((l) => l > 9);
  if (bad >= 0) throw new Error(`decodeChunk: ${name}: label ${labels[bad]} at ${bad}; labels are 0..9`);
  return { labels, images: bytes.subarray(HEADER + count), count };
}

/**
 * Joins slices into one (copying), e.g. the chunks of a split as they arrive.
 *
 * @example
 * concatSlices([a, b]).count; // a.count + b.count
 */
export function concatSlices(slices: readonly MnistSlice[]): MnistSlice {
  const count = slices.reduce((n, s) => n + s.count, 0);
  const images = new Uint8Array(count * PIXELS);
  const labels = new Uint8Array(count);
  let at = 0;
  for (const s of slices) {
    images.set(s.images, at * PIXELS);
    labels.set(s.labels, at);
    at += s.count;
  }
  return { images, labels, count };
}

/** True when `bytes` start with the gzip magic 1f 8b (a host may already have undone the compression). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}
