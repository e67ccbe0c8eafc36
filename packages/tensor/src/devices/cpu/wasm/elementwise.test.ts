import { describe, expect, it } from 'vitest';
import { Rng } from '../../../random';
import { axpyKernelFast, binaryKernelFast, FAST_BINARY_OPS, initElementwiseKernels } from './elementwise';

function normals(rng: Rng, size: number): Float32Array {
  const x = new Float32Array(size);
  for (let i = 0; i < size; i++) x[i] = rng.normal();
  return x;
}

const OPS = {
  add: (a: number, b: number) => a + b,
  sub: (a: number, b: number) => a - b,
  mul: (a: number, b: number) => a * b,
  div: (a: number, b: number) => a / b,
};

describe('elementwise kernels on WebAssembly SIMD', () => {
  it('compile in Node', async () => {
    await expect(initElementwiseKernels()).resolves.toBe(true);
  });

  it('binary ops equal Math.fround(a op b) bit for bit, any length, in place, with 0, ∞ and NaN', () => {
    const rng = new Rng(31);
    for (const size of [1, 5, 16384 * 2 + 3]) {
      const a = normals(rng, size);
      const b = normals(rng, size);
      b.set([0, Number.POSITIVE_INFINITY, Number.NaN, -0].slice(0, size));
      for (const op of FAST_BINARY_OPS) {
        const out = new Float32Array(size);
        expect(binaryKernelFast(op, a, b, out)).toBe(true);
        const want = a.map((v, i) => Math.fround(OPS[op](v, b[i])));
        expect(out).toEqual(want);
        const inPlace = a.slice();
        binaryKernelFast(op, inPlace, b, inPlace);
        expect(inPlace).toEqual(want);
      }
    }
  });

  it('axpy: y += alpha·x with float32 rounding of alpha, the product and the sum', () => {
    const rng = new Rng(32);
    const x = normals(rng, 16384 + 7);
    const y = normals(rng, 16384 + 7);
    const want = y.map((v, i) => Math.fround(v + Math.fround(Math.fround(-0.01) * x[i])));
    expect(axpyKernelFast(-0.01, x, y)).toBe(true);
    expect(y).toEqual(want);
  });

  it('declines float64, mixed dtypes and length mismatches, touching nothing', () => {
    const out = new Float32Array(2);
    expect(binaryKernelFast('add', new Float64Array(2), new Float64Array(2), new Float64Array(2))).toBe(
      false,
    );
    expect(binaryKernelFast('add', new Float32Array(2), new Float64Array(2), out)).toBe(false);
    expect(binaryKernelFast('add', new Float32Array(3), new Float32Array(2), out)).toBe(false);
    expect(axpyKernelFast(1, new Float32Array(3), out)).toBe(false);
    expect(axpyKernelFast(1, new Float64Array(2), new Float64Array(2))).toBe(false);
    expect(Array.from(out)).toEqual([0, 0]);
  });
});
