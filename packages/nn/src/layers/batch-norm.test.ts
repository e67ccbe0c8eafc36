import { Rng, randn, tensor } from '@selfnorm/tensor';
import { expectClose, gradcheck } from '@selfnorm/tensor/testing';
import { describe, expect, it } from 'vitest';
import { BatchNorm1d } from './batch-norm';

const f64 = { dtype: 'float64' } as const;

describe('BatchNorm1d', () => {
  it('normalizes each feature with the batch mean and biased variance in training', () => {
    const bn = new BatchNorm1d(2, { dtype: 'float64', eps: 0 });
    // feature 0: 1, 2, 3 (mean 2, biased var 2/3); feature 1: 10, 10, 40 (mean 20, biased var 200)
    const y = bn.forward(
      tensor(
        [
          [1, 10],
          [2, 10],
          [3, 40],
        ],
        f64,
      ),
    );
    const s0 = Math.sqrt(2 / 3);
    const s1 = Math.sqrt(200);
    expectClose(
      y,
      [
        [-1 / s0, -10 / s1],
        [0, -10 / s1],
        [1 / s0, 20 / s1],
      ],
      { atol: 1e-14 },
    );
  });

  it('updates the running statistics with the unbiased variance, as PyTorch', () => {
    const bn = new BatchNorm1d(2, { dtype: 'float64', momentum: 0.1 });
    bn.forward(
      tensor(
        [
          [1, 10],
          [2, 10],
          [3, 40],
        ],
        f64,
      ),
    );
    expectClose(bn.runningMean, [0.9 * 0 + 0.1 * 2, 0.1 * 20], { atol: 1e-15 });
    // unbiased variances: 1 and 300
    expectClose(bn.runningVar, [0.9 + 0.1 * 1, 0.9 + 0.1 * 300], { atol: 1e-13 });
    expect(bn.numBatchesTracked).toBe(1);
    bn.forward(
      tensor(
        [
          [0, 0],
          [0, 0],
        ],
        f64,
      ),
    );
    expectClose(bn.runningMean, [0.9 * 0.2, 0.9 * 2], { atol: 1e-15 });
    expectClose(bn.runningVar, [0.9 * 1, 0.9 * 30.9], { atol: 1e-13 });
    expect(bn.numBatchesTracked).toBe(2);
  });

  it('uses a cumulative average when momentum is null', () => {
    const bn = new BatchNorm1d(1, { dtype: 'float64', momentum: null });
    bn.forward(tensor([[1], [3]], f64));
    bn.forward(tensor([[5], [7]], f64));
    expectClose(bn.runningMean, [(2 + 6) / 2], { atol: 1e-15 });
    expectClose(bn.runningVar, [2], { atol: 1e-15 });
  });

  it('uses the running statistics in eval mode, and the learned scale and shift', () => {
    const bn = new BatchNorm1d(2, { dtype: 'float64', eps: 1e-5 });
    bn.runningMean.data.set([1, -1]);
    bn.runningVar.data.set([4, 0.25]);
    bn.weight!.data.set([2, 1]);
    bn.bias!.data.set([0, 3]);
    bn.eval();
    const y = bn.forward(tensor([[3, 0]], f64));
    expectClose(y, [[(2 * 2) / Math.sqrt(4 + 1e-5), 1 / Math.sqrt(0.25 + 1e-5) + 3]], { atol: 1e-12 });
    expect(bn.numBatchesTracked).toBe(0);
  });

  it('normalizes [N, C, L] inputs over N and L', () => {
    const bn = new BatchNorm1d(3, { dtype: 'float64' });
    const x = randn([4, 3, 5], { rng: new Rng(1), dtype: 'float64' })
      .mul(3)
      .add(2);
    const y = bn.forward(x).toArray() as number[][][];
    for (let c = 0; c < 3; c++) {
      const values = y.flatMap((row) => row[c]);
      const mean = values.reduce((a, b) => a + b) / values.length;
      const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
      expect(Math.abs(mean)).toBeLessThan(1e-12);
      expect(variance).toBeCloseTo(1, 4);
    }
  });

  it('passes gradcheck through the batch statistics, weight and bias', () => {
    const bn = new BatchNorm1d(3, { dtype: 'float64', eps: 1e-3 });
    const x = randn([5, 3], { rng: new Rng(2), dtype: 'float64', requiresGrad: true });
    bn.weight!.data.set([1.5, -0.5, 2]);
    const check = gradcheck(
      (input, w, b) => {
        bn.weight = w;
        bn.bias = b;
        return bn.forward(input);
      },
      [x, bn.weight!, bn.bias!],
    );
    expect(check.ok).toBe(true);
  });

  it('without affine has no parameters; without running stats uses batch statistics in eval', () => {
    expect(new BatchNorm1d(4, { affine: false }).parameters()).toEqual([]);
    const bn = new BatchNorm1d(1, {
      trackRunningStats: false,
      affine: false,
      eps: 0,
      dtype: 'float64',
    }).eval();
    expect(bn.stateDict()).toEqual({});
    expectClose(bn.forward(tensor([[1], [3]], f64)), [[-1], [1]], { atol: 1e-15 });
  });

  it('refuses a wrong input shape and a single example in training', () => {
    const bn = new BatchNorm1d(3);
    expect(() => bn.forward(tensor([[1, 2]]))).toThrow(
      /expected input of shape \[N, 3\] or \[N, 3, L\], got \[1,2\]/,
    );
    expect(() => bn.forward(tensor([[1, 2, 3]]))).toThrow(/more than 1 value per feature/);
    expect(() => new BatchNorm1d(0)).toThrow(/positive integer/);
  });
});
