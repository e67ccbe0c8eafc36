import { arange, Rng, tensor } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { DataLoader } from './data-loader';
import { randomSplit, Subset, TensorDataset } from './dataset';
import { StandardScaler } from './standard-scaler';

function data(n: number) {
  const x = arange(0, 2 * n).reshape([n, 2]); // row i = [2i, 2i + 1]
  const y = arange(0, n);
  return new TensorDataset(x, y);
}

describe('TensorDataset', () => {
  it('gathers rows of every tensor', () => {
    const [x, y] = data(5).batch([4, 0, 2]);
    expect(x.toArray()).toEqual([
      [8, 9],
      [0, 1],
      [4, 5],
    ]);
    expect(y.toArray()).toEqual([4, 0, 2]);
  });
  it('refuses tensors of different lengths and indices out of range', () => {
    expect(() => new TensorDataset(tensor([[1], [2]]), tensor([1, 2, 3]))).toThrow(
      /tensor 1 has 3 rows \(shape \[3\]\), but tensor 0 has 2/,
    );
    expect(() => new TensorDataset([1, 2] as never)).toThrow(/argument 0 is not a Tensor/);
    expect(() => data(3).batch([3])).toThrow(/index 0 is 3, outside 0..2/);
  });
});

describe('DataLoader', () => {
  it('visits every sample once per epoch in order, keeping the last partial batch', () => {
    const loader = new DataLoader(data(7), { batchSize: 3 });
    expect(loader.length).toBe(3);
    const ys = [...loader].map(([, y]) => y.toArray());
    expect(ys).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });
  it('drops the last partial batch with dropLast', () => {
    const loader = new DataLoader(data(7), { batchSize: 3, dropLast: true });
    expect(loader.length).toBe(2);
    expect([...loader].map(([, y]) => y.size)).toEqual([3, 3]);
  });
  it('shuffles anew each epoch, reproducibly for a seed, keeping rows together', () => {
    const epochs = (seed: number) => {
      const loader = new DataLoader(data(10), { batchSize: 4, shuffle: true, rng: new Rng(seed) });
      return [0, 1].map(() =>
        [...loader].flatMap(([x, y]) => {
          const xs = x.toArray() as number[][];
          (y.toArray() as number[]).forEach((v, i) => {
            expect(xs[i]).toEqual([2 * v, 2 * v + 1]);
          });
          return y.toArray() as number[];
        }),
      );
    };
    const [e1, e2] = epochs(1);
    expect([...e1].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...e2].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(e1).not.toEqual(e2);
    expect(epochs(1)).toEqual([e1, e2]);
    expect(epochs(2)[0]).not.toEqual(e1);
  });
  it('needs an explicit rng to shuffle, and a positive batch size', () => {
    expect(() => new DataLoader(data(3), { shuffle: true })).toThrow(/shuffle: true needs \{ rng \}/);
    expect(() => new DataLoader(data(3), { batchSize: 0 })).toThrow(
      /batchSize must be a positive integer, got 0/,
    );
    expect(() => new DataLoader([] as never)).toThrow(/dataset must be a Dataset/);
  });
});

describe('randomSplit', () => {
  it('splits by counts into disjoint subsets covering the dataset', () => {
    const d = data(10);
    const [a, b] = randomSplit(d, [7, 3], { rng: new Rng(0) });
    expect([a.length, b.length]).toEqual([7, 3]);
    const all = [...a.indices, ...b.indices].sort((p, q) => p - q);
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const [x, y] = b.batch([0, 1, 2]);
    expect((y.toArray() as number[]).map((v) => v)).toEqual([...b.indices]);
    expect(x.shape).toEqual([3, 2]);
  });
  it('splits by fractions, the remainder going to the first subsets (PyTorch)', () => {
    const parts = randomSplit(data(10), [0.34, 0.33, 0.33], { rng: new Rng(0) });
    expect(parts.map((p) => p.length)).toEqual([4, 3, 3]);
  });
  it('refuses lengths that do not add up', () => {
    expect(() => randomSplit(data(10), [5, 4], { rng: new Rng(0) })).toThrow(
      /lengths \[5, 4\] add up to 9, but the dataset has 10 samples/,
    );
    expect(() => randomSplit(data(10), [5, 5], {} as never)).toThrow(/pass \{ rng \}/);
  });
  it('composes: a Subset of a Subset', () => {
    const inner = new Subset(data(6), [5, 4, 3]);
    const outer = new Subset(inner, [2, 0]);
    expect(outer.batch([0, 1])[1].toArray()).toEqual([3, 5]);
  });
});

describe('StandardScaler', () => {
  it('fits mean and population std on one split and applies them to another', () => {
    const train = tensor([
      [1, 10, 5],
      [3, 30, 5],
    ]);
    const s = StandardScaler.fit(train);
    expect(s.mean.toArray()).toEqual([[2, 20, 5]]);
    expect(s.scale.toArray()).toEqual([[1, 10, 1]]); // the constant feature gets scale 1
    expect(s.transform(train).toArray()).toEqual([
      [-1, -1, 0],
      [1, 1, 0],
    ]);
    expect(s.transform(tensor([[4, 0, 6]])).toArray()).toEqual([[2, -2, 1]]);
    expect(s.inverseTransform(s.transform(tensor([[4, 0, 6]]))).toArray()).toEqual([[4, 0, 6]]);
    expect(() => s.transform(tensor([[1, 2]]))).toThrow(
      /expected \[N, 3\] \(the fitted features\), got \[1,2\]/,
    );
  });
});
