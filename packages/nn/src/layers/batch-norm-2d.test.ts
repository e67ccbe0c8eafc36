import { Rng, randn, tensor } from '@selfnorm/tensor';
import { expectClose, gradcheck } from '@selfnorm/tensor/testing';
import { describe, expect, it } from 'vitest';
import { BatchNorm1d } from './batch-norm';
import { BatchNorm2d } from './batch-norm-2d';

const f64 = { dtype: 'float64' } as const;

/** Per-channel values of an [N, C, H, W] array, in float64. */
function channel(x: number[][][][], c: number): number[] {
  return x.flatMap((sample) => sample[c].flat());
}
const meanOf = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const varOf = (v: number[], correction: number) => {
  const m = meanOf(v);
  return v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - correction);
};

describe('BatchNorm2d', () => {
  it('normalizes each channel over (N, H, W) with the biased variance, then scales and shifts', () => {
    const bn = new BatchNorm2d(2, { dtype: 'float64', eps: 1e-5 });
    bn.weight!.data.set([2, -0.5]);
    bn.bias!.data.set([0.25, 1]);
    const x = randn([3, 2, 2, 3], { rng: new Rng(3), dtype: 'float64' })
      .mul(2)
      .add(1);
    const xs = x.toArray() as number[][][][];
    const y = bn.forward(x).toArray() as number[][][][];
    for (let c = 0; c < 2; c++) {
      const v = channel(xs, c);
      const m = meanOf(v);
      const s = Math.sqrt(varOf(v, 0) + 1e-5);
      const want = v.map((value) => ((value - m) / s) * [2, -0.5][c] + [0.25, 1][c]);
      expectClose(channel(y, c), want, { atol: 1e-12 });
    }
  });

  it('updates the running statistics with the unbiased variance over N·H·W values, as PyTorch', () => {
    const bn = new BatchNorm2d(2, { dtype: 'float64', momentum: 0.1 });
    const x = randn([2, 2, 3, 3], { rng: new Rng(4), dtype: 'float64' }).add(0.5);
    bn.forward(x);
    const xs = x.toArray() as number[][][][];
    const m = [0, 1].map((c) => meanOf(channel(xs, c)));
    const v = [0, 1].map((c) => varOf(channel(xs, c), 1)); // 18 values per channel, divided by 17
    expectClose(bn.runningMean, [0.1 * m[0], 0.1 * m[1]], { atol: 1e-15 });
    expectClose(bn.runningVar, [0.9 + 0.1 * v[0], 0.9 + 0.1 * v[1]], { atol: 1e-14 });
    expect(bn.numBatchesTracked).toBe(1);
  });

  it('uses the running statistics in eval mode', () => {
    const bn = new BatchNorm2d(2, { dtype: 'float64', eps: 0 });
    bn.runningMean.data.set([1, -1]);
    bn.runningVar.data.set([4, 0.25]);
    bn.eval();
    const y = bn.forward(tensor([[[[3]], [[0]]]], f64));
    expectClose(y, [[[[1]], [[2]]]], { atol: 1e-15 });
  });

  it('equals BatchNorm1d on the same values viewed as [N, C, H·W] (one implementation)', () => {
    const x = randn([4, 3, 2, 5], { rng: new Rng(5), dtype: 'float64' });
    const two = new BatchNorm2d(3, { dtype: 'float64' });
    const one = new BatchNorm1d(3, { dtype: 'float64' });
    expectClose(two.forward(x), one.forward(x.reshape([4, 3, 10])).data, { atol: 1e-15 });
    expectClose(two.runningVar, one.runningVar.data, { atol: 1e-15 });
  });

  it("has PyTorch's state-dict names and [C] shapes", () => {
    const sd = new BatchNorm2d(4).stateDict();
    expect(Object.keys(sd).sort()).toEqual([
      'bias',
      'num_batches_tracked',
      'running_mean',
      'running_var',
      'weight',
    ]);
    expect(sd.weight.shape).toEqual([4]);
    expect(sd.running_var.shape).toEqual([4]);
  });

  it('passes gradcheck through the batch statistics, weight and bias', () => {
    const bn = new BatchNorm2d(2, { dtype: 'float64', eps: 1e-3 });
    const x = randn([2, 2, 2, 2], { rng: new Rng(6), dtype: 'float64', requiresGrad: true });
    bn.weight!.data.set([1.5, -0.5]);
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

  it('refuses an input that is not [N, C, H, W] with C channels, naming the layer', () => {
    const bn = new BatchNorm2d(3);
    expect(() => bn.forward(tensor([[1, 2, 3]]))).toThrow(
      'BatchNorm2d(3): expected input of shape [N, 3, H, W], got [1,3]',
    );
    expect(() => bn.forward(randn([2, 4, 2, 2], { rng: new Rng(0) }))).toThrow(
      'expected input of shape [N, 3, H, W], got [2,4,2,2]',
    );
    expect(() => bn.forward(randn([1, 3, 1, 1], { rng: new Rng(0) }))).toThrow(
      'BatchNorm2d: training needs more than 1 value per feature',
    );
    expect(() => new BatchNorm2d(0)).toThrow('BatchNorm2d: numFeatures must be a positive integer, got 0');
    expect(() => bn.forward(7 as never)).toThrow('BatchNorm2d(3).forward: input must be a Tensor');
  });

  it('shows its settings in the module tree', () => {
    expect(new BatchNorm2d(8).extraRepr()).toBe('8, eps=0.00001, momentum=0.1, trackRunningStats=true');
  });
});
