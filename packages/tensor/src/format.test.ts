import { describe, expect, it } from 'vitest';
import { arange, mul, Rng, randn, tensor, zeros } from './index';

// The expected strings follow PyTorch's printing of the same data (values part), with selfnorm's
// `shape=…, dtype=…` suffix in place of PyTorch's `dtype=torch.float64`.
describe('Tensor.toString', () => {
  it('small tensors print every value, aligned, integers with a trailing point', () => {
    expect(
      tensor([
        [1, 2],
        [3, 4],
      ]).toString(),
    ).toBe('tensor([[1., 2.],\n        [3., 4.]], shape=[2, 2], dtype=float32)');
    expect(tensor([0.5, -1.25, 3]).toString()).toBe(
      'tensor([ 0.5000, -1.2500,  3.0000], shape=[3], dtype=float32)',
    );
  });

  it('3-D tensors separate matrices with a blank line and indent by depth', () => {
    const t = tensor([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
    ]);
    expect(t.toString()).toBe(
      'tensor([[[1., 2.],\n         [3., 4.]],\n\n        [[5., 6.],\n         [7., 8.]]], shape=[2, 2, 2], dtype=float32)',
    );
  });

  it('scalars and empty tensors', () => {
    expect(tensor(3).toString()).toBe('tensor(3., shape=[], dtype=float32)');
    expect(tensor(3.5, { dtype: 'float64' }).toString()).toBe('tensor(3.5000, shape=[], dtype=float64)');
    expect(tensor([]).toString()).toBe('tensor([], shape=[0], dtype=float32)');
  });

  it('tensors over 1000 elements are elided to three items at each edge of every axis', () => {
    expect(arange(2000).toString()).toBe(
      'tensor([   0.,    1.,    2.,  ..., 1997., 1998., 1999.], shape=[2000], dtype=float32)',
    );
    expect(arange(2000).reshape([2, 1000]).toString()).toBe(
      'tensor([[   0.,    1.,    2.,  ...,  997.,  998.,  999.],\n' +
        '        [1000., 1001., 1002.,  ..., 1997., 1998., 1999.]], shape=[2, 1000], dtype=float32)',
    );
    expect(arange(4000).reshape([1000, 4]).toString()).toBe(
      'tensor([[   0.,    1.,    2.,    3.],\n' +
        '        [   4.,    5.,    6.,    7.],\n' +
        '        [   8.,    9.,   10.,   11.],\n' +
        '        ...,\n' +
        '        [3988., 3989., 3990., 3991.],\n' +
        '        [3992., 3993., 3994., 3995.],\n' +
        '        [3996., 3997., 3998., 3999.]], shape=[1000, 4], dtype=float32)',
    );
    // 1000 elements exactly are still printed in full; a million stay short.
    expect(zeros([1000]).toString().match(/0\./g)).toHaveLength(1000);
    expect(randn([1000, 1000], { rng: new Rng(0) }).toString().length).toBeLessThan(700);
  });

  it('scientific notation with a two-digit exponent for tiny or huge values', () => {
    expect(tensor([1e-5, 1]).toString()).toBe('tensor([1.0000e-05, 1.0000e+00], shape=[2], dtype=float32)');
    expect(tensor([1e9, 1]).toString()).toBe('tensor([1.0000e+09, 1.0000e+00], shape=[2], dtype=float32)');
  });

  it('nan and inf print as words (no trailing point, even among integers)', () => {
    expect(tensor([1, Number.NaN, Number.POSITIVE_INFINITY]).toString()).toBe(
      'tensor([ 1., nan, inf], shape=[3], dtype=float32)',
    );
    expect(tensor([1.5, Number.NaN, Number.NEGATIVE_INFINITY]).toString()).toBe(
      'tensor([1.5000,    nan,   -inf], shape=[3], dtype=float32)',
    );
  });

  it('shows requiresGrad, and gradFn for the result of a recorded op', () => {
    const leaf = tensor([2], { requiresGrad: true });
    expect(leaf.toString()).toBe('tensor([2.], shape=[1], dtype=float32, requiresGrad=true)');
    expect(mul(leaf, 3).toString()).toBe(
      'tensor([6.], shape=[1], dtype=float32, requiresGrad=true, gradFn=mul)',
    );
    expect(String(mul(leaf, 3).detach())).toBe('tensor([6.], shape=[1], dtype=float32)');
  });
});
