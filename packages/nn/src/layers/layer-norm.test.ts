import { Rng, randn, tensor } from '@selfnorm/tensor';
import { expectClose, gradcheck } from '@selfnorm/tensor/testing';
import { describe, expect, it } from 'vitest';
import { LayerNorm } from './layer-norm';

const f64 = { dtype: 'float64' } as const;

describe('LayerNorm', () => {
  it('normalizes each row with its mean and biased variance (hand-computed values)', () => {
    const ln = new LayerNorm(3, { dtype: 'float64', eps: 0 });
    // row 0: 1, 2, 3 (mean 2, biased var 2/3); row 1: 0, 0, 6 (mean 2, biased var 8)
    const y = ln.forward(
      tensor(
        [
          [1, 2, 3],
          [0, 0, 6],
        ],
        f64,
      ),
    );
    const s0 = Math.sqrt(2 / 3);
    const s1 = Math.sqrt(8);
    expectClose(
      y,
      [
        [-1 / s0, 0, 1 / s0],
        [-2 / s1, -2 / s1, 4 / s1],
      ],
      { atol: 1e-14 },
    );
  });

  it('normalizes over the last len(normalizedShape) dims, then applies weight and bias elementwise', () => {
    const ln = new LayerNorm([2, 3], { dtype: 'float64', eps: 1e-5 });
    ln.weight!.data.set([1, 2, 3, -1, 0.5, 0]);
    ln.bias!.data.set([0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    const x = randn([4, 2, 3], { rng: new Rng(1), dtype: 'float64' })
      .mul(3)
      .add(1);
    const xs = x.data;
    const y = ln.forward(x).data;
    for (let n = 0; n < 4; n++) {
      const row = Array.from(xs.subarray(n * 6, n * 6 + 6));
      const m = row.reduce((a, b) => a + b) / 6;
      const v = row.reduce((a, b) => a + (b - m) ** 2, 0) / 6;
      const want = row.map((r, i) => ((r - m) / Math.sqrt(v + 1e-5)) * ln.weight!.data[i] + ln.bias!.data[i]);
      expectClose(y.subarray(n * 6, n * 6 + 6), want, { atol: 1e-12 });
    }
  });

  it('is the same in training and eval mode, and without elementwiseAffine has no parameters', () => {
    const x = randn([2, 5], { rng: new Rng(2), dtype: 'float64' });
    const ln = new LayerNorm(5, { dtype: 'float64' });
    expectClose(ln.forward(x), ln.eval().forward(x).data, { atol: 0 });
    const bare = new LayerNorm(5, { elementwiseAffine: false, dtype: 'float64' });
    expect(bare.parameters()).toEqual([]);
    expect(bare.stateDict()).toEqual({});
    expectClose(bare.forward(x), ln.forward(x).data, { atol: 1e-15 });
  });

  it("has PyTorch's names and init: weight = 1, bias = 0, of shape normalizedShape", () => {
    const sd = new LayerNorm([2, 3]).stateDict();
    expect(Object.keys(sd)).toEqual(['weight', 'bias']);
    expect(sd.weight.shape).toEqual([2, 3]);
    expect([...sd.weight.data]).toEqual([1, 1, 1, 1, 1, 1]);
    expect([...sd.bias.data]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('passes gradcheck in float64 through the statistics, weight and bias', () => {
    const ln = new LayerNorm([3, 2], { dtype: 'float64', eps: 1e-3 });
    const x = randn([2, 3, 2], { rng: new Rng(3), dtype: 'float64', requiresGrad: true });
    const w = randn([3, 2], { rng: new Rng(4), dtype: 'float64', requiresGrad: true });
    const b = randn([3, 2], { rng: new Rng(5), dtype: 'float64', requiresGrad: true });
    const check = gradcheck(
      (input, weight, bias) => {
        ln.weight = weight;
        ln.bias = bias;
        return ln.forward(input);
      },
      [x, w, b],
    );
    expect(check.ok).toBe(true);
  });

  it('refuses bad arguments and an input whose trailing dims differ, naming the layer', () => {
    expect(() => new LayerNorm(0)).toThrow(
      'LayerNorm: normalizedShape must be a positive integer or a non-empty array of them, got the number 0',
    );
    expect(() => new LayerNorm([])).toThrow('normalizedShape must be a positive integer');
    expect(() => new LayerNorm(3, { eps: -1 })).toThrow('LayerNorm: eps must be >= 0, got -1');
    const ln = new LayerNorm([2, 3]);
    expect(() => ln.forward(tensor([1, 2, 3]))).toThrow(
      'LayerNorm([2,3]): expected input of shape [..., 2, 3], got [3]',
    );
    expect(() => ln.forward(randn([4, 3, 2], { rng: new Rng(0) }))).toThrow('got [4,3,2]');
    expect(() => ln.forward([[1]] as never)).toThrow('LayerNorm([2,3]).forward: input must be a Tensor');
  });

  it('shows its settings in the module tree', () => {
    expect(new LayerNorm(8).extraRepr()).toBe('[8], eps=0.00001, elementwiseAffine=true');
  });
});
