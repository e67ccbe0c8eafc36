import { describe, expect, it } from 'vitest';
import * as T from '../index';
import { expectClose } from '../testing';

describe('batchNorm', () => {
  // [N, C, L], and [N, C] with N a multiple of the kernel's 4-row blocks and not (7 = 4 + 3, 130 = 32·4 + 2)
  for (const shape of [
    [6, 3, 4],
    [7, 5],
    [130, 9],
    [8, 3],
  ]) {
    it(`the kernel and the composed form (createGraph) give the same statistics and gradients, [${shape}]`, () => {
      const rng = new T.Rng(7);
      const c = shape[1];
      const x = T.randn(shape, { rng, dtype: 'float64', requiresGrad: true });
      const w = T.randn([c], { rng, dtype: 'float64', requiresGrad: true });
      const b = T.randn([c], { rng, dtype: 'float64', requiresGrad: true });
      const v = T.randn(shape, { rng, dtype: 'float64' });
      const loss = () => T.batchNorm(x, w, b).output.mul(v).sum();
      const kernel = T.gradients([loss()], [x, w, b]);
      const composed = T.gradients([loss()], [x, w, b], { createGraph: true });
      for (let i = 0; i < 3; i++)
        expectClose(composed[i] as T.Tensor, (kernel[i] as T.Tensor).storage, { atol: 1e-12, rtol: 1e-12 });
      const axes = shape.length === 3 ? [0, 2] : [0];
      const r = T.batchNorm(x);
      expectClose(r.mean, T.mean(x, axes).storage, { atol: 1e-12, rtol: 1e-12 });
      expectClose(r.variance, T.variance(x, axes, { correction: 0 }).storage, { atol: 1e-12, rtol: 1e-12 });
    });
  }

  it('returns the batch statistics, biased variance, and float32 matches float64 to ~1e-6', () => {
    const rng = new T.Rng(8);
    const x64 = T.randn([128, 5], { rng, dtype: 'float64' }).mul(3).add(2);
    const r64 = T.batchNorm(x64);
    expectClose(r64.mean, T.mean(x64, 0).storage, { atol: 1e-12, rtol: 1e-12 });
    expectClose(r64.variance, T.variance(x64, 0, { correction: 0 }).storage, { atol: 1e-12, rtol: 1e-12 });
    const r32 = T.batchNorm(T.cast(x64, 'float32'));
    expectClose(r32.output, r64.output.storage, { atol: 2e-6, rtol: 2e-6 });
  });

  it('the one-pass statistics stay exact for a mean far from zero (shifted data)', () => {
    const x = T.randn([256, 4], { rng: new T.Rng(9), dtype: 'float64' })
      .mul(0.01)
      .add(1e6);
    const r = T.batchNorm(x);
    expectClose(r.variance, T.variance(x, 0, { correction: 0 }).storage, { atol: 0, rtol: 1e-9 });
  });

  it('refuses bad shapes, naming the expected one', () => {
    expect(() => T.batchNorm(T.ones([4]))).toThrow(/x must be \[N, C, …\].*got shape \[4\]/);
    expect(() => T.batchNorm(T.ones([4, 3]), T.ones([2]))).toThrow(/weight must have shape \[3\].*got \[2\]/);
  });
});
