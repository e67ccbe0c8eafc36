import { describe, expect, it } from 'vitest';
import { Rng } from '../../../random';
import { useFastKernels } from '../kernel-set';
import { initSeluKernel, seluGradKernelFast, seluKernelFast } from './selu';

const ALPHA = 1.6732632423543772;
const LAMBDA = 1.0507009873554805;

/** Float64 SELU and its derivative of the float32 input (the gradient at 0 takes the negative branch). */
function reference(x: number): [number, number] {
  return x > 0 ? [LAMBDA * x, LAMBDA] : [LAMBDA * ALPHA * Math.expm1(x), LAMBDA * ALPHA * Math.exp(x)];
}

/** Inputs that bite: zeros of both signs, tiny values, the clamp, overflow-sized values, ±∞. */
const SPECIAL = [
  0, -0, 1e-30, -1e-30, 1e-8, -1e-8, 1e-3, -1e-3, -0.3465, 0.3466, -20, -86.9, -87, -88, -104, -1e30,
];
const INFINITE = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e30];

function inputs(rng: Rng, size: number): Float32Array {
  const x = new Float32Array(size);
  for (let i = 0; i < size; i++) x[i] = i < SPECIAL.length ? SPECIAL[i] : rng.normal() * 4;
  return x;
}

describe('seluKernelFast', () => {
  it('compiles for WebAssembly SIMD in Node', async () => {
    await expect(initSeluKernel()).resolves.toBe(true);
  });

  it('agrees with float64 SELU and its derivative within 2 ulp (derivative: + 2⁻¹²⁴ absolute), any length', () => {
    const rng = new Rng(11);
    for (const size of [1, 3, 17, 16384 * 2 + 5]) {
      const x = inputs(rng, size);
      const y = new Float32Array(size);
      const d = new Float32Array(size);
      seluKernelFast(x, y, d);
      let worst = 0;
      let where = 0;
      for (let i = 0; i < size; i++) {
        const [wy, wd] = reference(x[i]);
        const ey = Math.abs(y[i] - wy) / (2 * 2 ** -23 * Math.abs(wy) + 1e-45);
        // below x = −87 the derivative is λα·e⁻⁸⁷ ≈ 3e-38 rather than smaller: allow 2⁻¹²⁴ absolute
        const ed = Math.abs(d[i] - wd) / (2 * 2 ** -23 * Math.abs(wd) + 2 ** -124);
        if (Math.max(ey, ed) > worst) [worst, where] = [Math.max(ey, ed), x[i]];
      }
      expect(worst, `worst at x=${where}, size ${size}`).toBeLessThanOrEqual(1);
    }
  });

  it('takes the negative branch at 0 (derivative λα), and stays finite for huge inputs; NaN propagates', () => {
    const x = new Float32Array([0, -0, ...INFINITE, Number.NaN, 5]);
    const y = new Float32Array(x.length);
    const d = new Float32Array(x.length);
    seluKernelFast(x, y, d);
    expect(d[0]).toBe(Math.fround(LAMBDA * ALPHA));
    expect(d[1]).toBe(Math.fround(LAMBDA * ALPHA));
    expect(Object.is(y[0], 0) || Object.is(y[0], -0)).toBe(true);
    expect([y[2], d[2]]).toEqual([Number.POSITIVE_INFINITY, Math.fround(LAMBDA)]);
    expect(y[3]).toBe(Math.fround(-LAMBDA * ALPHA));
    expect(d[3]).toBeGreaterThanOrEqual(0); // λα·e⁻⁸⁷ from the clamp: 3e-38 instead of 0
    expect(d[3]).toBeLessThan(1e-37);
    expect(Number.isFinite(y[4]) && Number.isFinite(d[4])).toBe(true);
    expect(Number.isNaN(y[5]) && Number.isNaN(d[5])).toBe(true);
    expect(d[6]).toBe(Math.fround(LAMBDA));
  });

  it('runs in place (y = x) and without the derivative (d = null)', () => {
    const x = inputs(new Rng(12), 101);
    const y = new Float32Array(101);
    const d = new Float32Array(101);
    seluKernelFast(x, y, d);
    const inPlace = x.slice();
    seluKernelFast(inPlace, inPlace, null);
    expect(inPlace).toEqual(y);
  });

  it('computes float64 with Math.expm1/exp, to float64 rounding', () => {
    const x = Float64Array.from(inputs(new Rng(13), 50));
    const y = new Float64Array(50);
    const d = new Float64Array(50);
    seluKernelFast(x, y, d);
    for (let i = 0; i < 50; i++) {
      const [wy, wd] = reference(x[i]);
      expect(y[i]).toBeCloseTo(wy, 14);
      expect(d[i]).toBeCloseTo(wd, 14);
    }
  });

  it('backward from the output: g·(λ or y + λα) within a few ulp of λα of g·dselu/dx, both kernel sets alike', () => {
    const rng = new Rng(14);
    for (const size of [1, 7, 16384 + 9]) {
      const x = inputs(rng, size);
      const g = inputs(rng, size).map((v) => (Number.isFinite(v) ? v : 1));
      const y = new Float32Array(size);
      seluKernelFast(x, y, null);
      const dx = new Float32Array(size);
      seluGradKernelFast(g, y, dx);
      for (let i = 0; i < size; i++) {
        const want = g[i] * reference(x[i])[1];
        // ∂y/∂x from y + λα: a few float32 ulp of λα absolute, plus the product's rounding.
        expect(Math.abs(dx[i] - want)).toBeLessThanOrEqual(Math.abs(g[i]) * 4e-7 + Math.abs(want) * 2 ** -23);
      }
      const previous = useFastKernels(false);
      try {
        const plain = new Float32Array(size);
        seluGradKernelFast(g, y, plain);
        expect(plain).toEqual(dx); // the plain loop rounds exactly as the SIMD kernel
      } finally {
        useFastKernels(previous);
      }
      seluGradKernelFast(g, y, g); // in place
      expect(g).toEqual(dx);
    }
    // The negative branch at 0 (λα), λ above it, 0 far below; float64 in float64.
    const dx64 = new Float64Array(3);
    const y64 = new Float64Array(3);
    seluKernelFast(new Float64Array([0, 2, -1000]), y64, null);
    seluGradKernelFast(new Float64Array([1, 1, 1]), y64, dx64);
    expect(Array.from(dx64)).toEqual([LAMBDA * ALPHA, LAMBDA, 0]);
  });

  it('says which lengths differ', () => {
    expect(() => seluGradKernelFast(new Float32Array(3), new Float32Array(3), new Float32Array(1))).toThrow(
      /g, y and dx must have the same length, got 3, 3, 1/,
    );
    expect(() => seluKernelFast(new Float32Array(3), new Float32Array(2), null)).toThrow(
      /x, y and d must have the same length, got 3, 2/,
    );
  });
});
