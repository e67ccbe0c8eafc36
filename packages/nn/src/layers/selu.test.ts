import { gradients, Rng, randn, type Tensor, tensor } from '@selfnorm/tensor';
import { expectClose, gradcheck } from '@selfnorm/tensor/testing';
import { describe, expect, it } from 'vitest';
import { SELU_ALPHA, SELU_LAMBDA } from '../selu';
import { SELU, selu, seluComposed } from './selu';

const f64 = { dtype: 'float64' } as const;

/** SELU's value and derivative written out per element in float64, the reference for the tensor version. */
const reference = (x: number) => (x > 0 ? SELU_LAMBDA * x : SELU_LAMBDA * SELU_ALPHA * (Math.exp(x) - 1));
const referenceSlope = (x: number) => (x > 0 ? SELU_LAMBDA : SELU_LAMBDA * SELU_ALPHA * Math.exp(x));

function gradientAt(values: number[], dtype: 'float32' | 'float64'): { y: Tensor; g: Tensor } {
  const x = tensor(values, { dtype, requiresGrad: true });
  const y = selu(x);
  y.sum().backward();
  return { y, g: x.grad! };
}

describe('selu', () => {
  it('gives the golden values in float64', () => {
    const y = selu(tensor([1, -1, 0], f64)).toArray() as number[];
    expect(y[0]).toBe(1.0507009873554805);
    expect(y[1]).toBe(-1.1113307378125625);
    expect(y[2]).toBe(0);
  });

  it('matches the elementwise definition, value and derivative, on random inputs', () => {
    const values = Array.from(randn([200], { rng: new Rng(1), ...f64 }).data, (v) => 3 * v);
    const { y, g } = gradientAt(values, 'float64');
    expectClose(y, values.map(reference), { atol: 0, rtol: 1e-15 });
    expectClose(g, values.map(referenceSlope), { atol: 0, rtol: 1e-15 });
  });

  it('takes the negative branch at exactly 0: the gradient there is λα (as PyTorch)', () => {
    expect(gradientAt([0], 'float64').g.data[0]).toBe(SELU_LAMBDA * SELU_ALPHA);
    expect(gradientAt([1], 'float64').g.data[0]).toBe(SELU_LAMBDA);
  });

  for (const dtype of ['float32', 'float64'] as const) {
    it(`has no NaN or Infinity in value or gradient for inputs up to ±1e30 (${dtype})`, () => {
      const { y, g } = gradientAt([1e30, -1e30, 88, 710, -710, 3e38 / 2], dtype);
      expect(Array.from(y.data).every(Number.isFinite)).toBe(true);
      expect(Array.from(g.data).every(Number.isFinite)).toBe(true);
      expect(y.data[1]).toBeCloseTo(-SELU_LAMBDA * SELU_ALPHA, 6);
      expect(g.data[0]).toBeCloseTo(SELU_LAMBDA, 6);
      // λα·e^(−1e30) underflows: exactly 0 in float64; the float32 SIMD kernel flushes at the smallest normal.
      expect(Math.abs(g.data[1])).toBeLessThan(1e-37);
    });
  }

  it('passes gradcheck in float64', () => {
    const x = randn([4, 5], { rng: new Rng(2), dtype: 'float64', requiresGrad: true });
    expect(gradcheck(selu, [x]).ok).toBe(true);
  });

  for (const dtype of ['float32', 'float64'] as const) {
    it(`equals the composed definition, value and gradient (${dtype})`, () => {
      const values = [...Array.from(randn([300], { rng: new Rng(3), dtype: 'float64' }).data, (v) => 4 * v)];
      values.push(0, -0, 1e-12, -1e-12, 50, -50, 1e30, -1e30);
      const run = (f: (x: Tensor) => Tensor) => {
        const x = tensor(values, { dtype, requiresGrad: true });
        const y = f(x);
        y.mul(
          tensor(
            values.map((_, i) => 1 + (i % 3)),
            { dtype },
          ),
        )
          .sum()
          .backward();
        return { y, g: x.grad! };
      };
      const fused = run(selu);
      const composed = run(seluComposed);
      // The composed form computes eˣ − 1 by subtraction, so near 0 its error is absolute: a few ulps of λα.
      const ulp = dtype === 'float64' ? 2 ** -52 : 2 ** -23;
      const tol = { atol: 4 * ulp * SELU_LAMBDA * SELU_ALPHA, rtol: 2 * ulp };
      expectClose(fused.y, composed.y, tol);
      expectClose(fused.g, composed.g, tol);
    });
  }

  it('supports a gradient of the gradient (createGraph): λα·eˣ for x < 0, 0 for x > 0', () => {
    const x = tensor([-1.5, -0.2, 0.7, 3], { ...f64, requiresGrad: true });
    const [dx] = gradients([selu(x).sum()], [x], { createGraph: true });
    expectClose(dx!, [-1.5, -0.2, 0.7, 3].map(referenceSlope), { atol: 0, rtol: 1e-15 });
    const [d2x] = gradients([dx!.sum()], [x]);
    expectClose(
      d2x!,
      [SELU_LAMBDA * SELU_ALPHA * Math.exp(-1.5), SELU_LAMBDA * SELU_ALPHA * Math.exp(-0.2), 0, 0],
      {
        atol: 0,
        rtol: 1e-15,
      },
    );
  });

  it('keeps float32 in float32', () => {
    expect(selu(tensor([1, -1])).dtype).toBe('float32');
  });
});

describe('SELU module', () => {
  it('applies selu and has no parameters', () => {
    const m = new SELU();
    const x = tensor([[-2, 0.5]], f64);
    expect(m.forward(x).toArray()).toEqual(selu(x).toArray());
    expect(m.parameters()).toEqual([]);
  });
});
