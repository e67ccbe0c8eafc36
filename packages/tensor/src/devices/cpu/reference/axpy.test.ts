import { describe, expect, it } from 'vitest';
import { Rng } from '../../../random';
import { useFastKernels } from '../kernel-set';
import { axpyKernel as axpy } from './axpy';

function normals(rng: Rng, size: number, Type: Float32ArrayConstructor | Float64ArrayConstructor) {
  const x = new Type(size);
  for (let i = 0; i < size; i++) x[i] = rng.normal();
  return x;
}

describe('axpy', () => {
  it('float32: both kernel sets equal float32 arithmetic bit for bit, at odd sizes', () => {
    const rng = new Rng(5);
    for (const size of [1, 3, 17, 129, 16384 * 2 + 5]) {
      const x = normals(rng, size, Float32Array);
      const y0 = normals(rng, size, Float32Array);
      const want = y0.map((v, i) => Math.fround(v + Math.fround(Math.fround(-0.037) * x[i])));
      for (const fast of [true, false]) {
        const previous = useFastKernels(fast);
        try {
          const y = y0.slice();
          const xBefore = x.slice();
          axpy(-0.037, x, y);
          expect(y).toEqual(want);
          expect(x).toEqual(xBefore);
        } finally {
          useFastKernels(previous);
        }
      }
    }
  });

  it('float64 computes in float64', () => {
    const x = new Float64Array([1, 0.1, -3]);
    const y = new Float64Array([2, 0.2, 1e-17]);
    axpy(0.3, x, y);
    expect(Array.from(y)).toEqual([2 + 0.3 * 1, 0.2 + 0.3 * 0.1, 1e-17 + 0.3 * -3]);
  });
});
