import { add, mul, ones, Rng, randn, type Tensor, tensor, where, zeros } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { SELU_ALPHA, SELU_LAMBDA } from '../selu';
import { AlphaDropout } from './alpha-dropout';
import { keepMask } from './dropout-mask';

function moments(t: Tensor): { mean: number; variance: number } {
  let s = 0;
  for (const v of t.data) s += v;
  const mean = s / t.size;
  let q = 0;
  for (const v of t.data) q += (v - mean) ** 2;
  return { mean, variance: q / t.size };
}

describe('AlphaDropout', () => {
  // SNN.md's 17-digit goldens, written as the float64 values they parse to.
  const goldens: [number, number, number][] = [
    [0.05, 0.9548444760050309, 0.08393557219381019],
    [0.1, 0.9212845161497115, 0.16197097005757022],
    [0.2, 0.8789035834435328, 0.3090399621440945],
  ];
  for (const [rate, a, b] of goldens) {
    it(`uses the golden affine map at rate ${rate}`, () => {
      const layer = new AlphaDropout({ rate, rng: new Rng(0) });
      expect(layer.a).toBeCloseTo(a, 14);
      expect(layer.b).toBeCloseTo(b, 14);
    });
  }

  // 10^6 standard-normal inputs: the sample mean has standard error 0.001 and the sample variance about 0.002,
  // so 0.01 is a margin of five standard errors; a +λα sign error would shift the mean by 0.17 or more.
  for (const rate of [0.05, 0.1, 0.2, 0.5]) {
    it(`keeps mean 0 and variance 1 on 10^6 standard-normal inputs at rate ${rate}`, () => {
      const rng = new Rng(1234);
      const x = randn([1000, 1000], { rng: rng.split(), dtype: 'float64' });
      const y = new AlphaDropout({ rate, rng }).forward(x);
      const { mean, variance } = moments(y);
      expect(Math.abs(mean)).toBeLessThan(0.01);
      expect(Math.abs(variance - 1)).toBeLessThan(0.01);
    });
  }

  it('keeps a general fixed point (mean 0.5, variance 2)', () => {
    const rng = new Rng(7);
    const x = randn([1000, 1000], { rng: rng.split(), dtype: 'float64' }).mul(Math.SQRT2).add(0.5);
    const y = new AlphaDropout({ rate: 0.1, rng, mean: 0.5, variance: 2 }).forward(x);
    const { mean, variance } = moments(y);
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(variance - 2)).toBeLessThan(0.02);
  });

  it('sets a dropped unit to −λα before the affine map, never +λα, at the expected frequency', () => {
    const layer = new AlphaDropout({ rate: 0.2, rng: new Rng(3) });
    expect(layer.alphaPrime).toBe(-SELU_LAMBDA * SELU_ALPHA);
    const y = layer.forward(zeros([100, 100], { dtype: 'float64' }));
    const droppedValue = layer.a * -SELU_LAMBDA * SELU_ALPHA + layer.b;
    let dropped = 0;
    for (const v of y.data) {
      if (Math.abs(v - droppedValue) < 1e-12) dropped++;
      else expect(v).toBeCloseTo(layer.b, 12); // kept: a·0 + b
    }
    // 10^4 Bernoulli(0.2) draws: standard deviation 40.
    expect(Math.abs(dropped - 2000)).toBeLessThan(200);
  });

  it('passes the gradient a through kept units and 0 through dropped ones', () => {
    const layer = new AlphaDropout({ rate: 0.5, rng: new Rng(4) });
    const x = ones([50], { dtype: 'float64', requiresGrad: true });
    const y = layer.forward(x);
    y.sum().backward();
    for (let i = 0; i < 50; i++) {
      const kept = Math.abs(y.data[i] - (layer.a + layer.b)) < 1e-12;
      expect(x.grad!.data[i]).toBe(kept ? layer.a : 0);
    }
  });

  it("computes a·x + b in float32 as PyTorch's input·noise + b does, and propagates NaN and ∞ through dropped units too", () => {
    const layer = new AlphaDropout({ rate: 0.3, rng: new Rng(10) });
    const x = randn([64, 64], { rng: new Rng(11) });
    const y = layer.forward(x);
    const droppedValue = Math.fround(layer.a * layer.alphaPrime + layer.b);
    // float32 arithmetic, bit for bit: a and b rounded to float32, then the product and the sum each rounded.
    const [a32, b32] = [Math.fround(layer.a), Math.fround(layer.b)];
    let dropped = 0;
    for (let i = 0; i < x.size; i++) {
      if (y.data[i] === droppedValue) dropped++;
      else expect(y.data[i]).toBe(Math.fround(Math.fround(x.data[i] * a32) + b32));
    }
    expect(Math.abs(dropped - 0.3 * x.size)).toBeLessThan(4 * Math.sqrt(0.21 * x.size));
    const bad = new AlphaDropout({ rate: 0.5, rng: new Rng(12) }).forward(
      tensor(new Float32Array(40).fill(Number.NaN).fill(Number.POSITIVE_INFINITY, 20)),
    );
    expect(Array.from(bad.data).every(Number.isNaN)).toBe(false); // +∞ kept stays +∞
    expect(Array.from(bad.data.subarray(0, 20)).every(Number.isNaN)).toBe(true);
    expect(
      Array.from(bad.data.subarray(20)).every((v) => v === Number.POSITIVE_INFINITY || Number.isNaN(v)),
    ).toBe(true);
  });

  it('builds its gradient from tensor ops under createGraph, so it differentiates again', () => {
    const run = (seed: Tensor, createGraph: boolean) => {
      const x = randn([8, 16], { rng: new Rng(14), requiresGrad: true });
      new AlphaDropout({ rate: 0.4, rng: new Rng(15) }).forward(x).backward(seed, { createGraph });
      return x.grad as Tensor;
    };
    const scale = run(ones([8, 16]), false); // a where kept, 0 where dropped
    const g = randn([8, 16], { rng: new Rng(13), requiresGrad: true });
    const gx = run(g, true); // g·scale, differentiable in g
    expect(gx.requiresGrad).toBe(true);
    gx.sum().backward();
    expect(Array.from(g.grad?.data ?? [])).toEqual(Array.from(scale.data));
  });

  it('is the identity in eval mode and at rate 0', () => {
    const x = randn([3, 4], { rng: new Rng(5) });
    expect(new AlphaDropout({ rate: 0.1, rng: new Rng(0) }).eval().forward(x)).toBe(x);
    expect(new AlphaDropout({ rate: 0, rng: new Rng(0) }).forward(x)).toBe(x);
  });

  it('refuses a rate outside [0, 1)', () => {
    for (const rate of [-0.1, 1, 1.5, Number.NaN]) {
      expect(() => new AlphaDropout({ rate, rng: new Rng(0) })).toThrow(
        /rate is the drop probability and must be in \[0, 1\)/,
      );
    }
  });

  it('drops whole features with noiseShape [1, null], as Keras does', () => {
    const layer = new AlphaDropout({ rate: 0.5, rng: new Rng(6), noiseShape: [1, null] });
    const y = layer.forward(zeros([20, 40], { dtype: 'float64' }));
    const rows = y.toArray() as number[][];
    let droppedColumns = 0;
    for (let j = 0; j < 40; j++) {
      for (let i = 1; i < 20; i++) expect(rows[i][j]).toBe(rows[0][j]);
      if (rows[0][j] !== layer.b) droppedColumns++;
    }
    expect(droppedColumns).toBeGreaterThan(5);
    expect(droppedColumns).toBeLessThan(35);
  });

  it('refuses a noiseShape that does not fit the input', () => {
    const x = zeros([4, 6]);
    expect(() => new AlphaDropout({ rate: 0.1, rng: new Rng(0), noiseShape: [1, 3] }).forward(x)).toThrow(
      /noiseShape \[1,3\] does not fit an input of shape \[4,6\]/,
    );
    expect(() => new AlphaDropout({ rate: 0.1, rng: new Rng(0), noiseShape: [6] }).forward(x)).toThrow(
      /does not fit/,
    );
  });

  it('draws the same masks from the same seed', () => {
    const x = randn([10, 10], { rng: new Rng(8) });
    const a = new AlphaDropout({ rate: 0.3, rng: new Rng(9) }).forward(x);
    const b = new AlphaDropout({ rate: 0.3, rng: new Rng(9) }).forward(x);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
  });
});

describe('AlphaDropout: the fused kernel is the composed protocol, to the bit', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: the same output and gradient as keep = rand < 1 − rate, x·where(keep, a, 0) + where(keep, b, c)`, () => {
      const x = randn([33, 70], { rng: new Rng(1), dtype, requiresGrad: true });
      const g = randn([33, 70], { rng: new Rng(2), dtype });
      const layer = new AlphaDropout({ rate: 0.2, rng: new Rng(3) });
      const y = layer.forward(x);
      y.backward(g);
      const x2 = tensor(x.data, { shape: [33, 70], dtype, requiresGrad: true });
      const keep = keepMask([33, 70], 0.2, new Rng(3), x2);
      const c = layer.a * layer.alphaPrime + layer.b;
      const y2 = add(
        mul(x2, mul(keep, layer.a)),
        where(keep, tensor(layer.b, { dtype }), tensor(c, { dtype })),
      );
      y2.backward(g);
      expect(Array.from(y.data)).toEqual(Array.from(y2.data));
      expect(Array.from(x.grad?.data ?? [])).toEqual(Array.from(x2.grad?.data ?? []));
    });
  }

  it('NaN and ±∞ propagate through dropped units too (x·0 + c)', () => {
    const x = tensor(new Float32Array(64).fill(Number.NaN));
    const y = new AlphaDropout({ rate: 0.5, rng: new Rng(4) }).forward(x);
    expect(Array.from(y.data).every(Number.isNaN)).toBe(true);
  });
});
