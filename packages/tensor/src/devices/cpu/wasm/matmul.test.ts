import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../random';
import { useFastKernels } from '../kernel-set';
import { matmulKernel } from '../reference/matmul';
import { relaxedSimdSupported } from './load';
import {
  fastKernelsAvailable,
  initFastKernels,
  matmulKernelFast,
  matmulKernelInUse,
  preferRelaxedSimd,
  useCpuWorkers,
} from './matmul';

const U = 2 ** -24; // float32 unit roundoff

/** Float64 triple loop: C = op(A)·op(B) and the magnitude sum Σ|a||b| that bounds the rounding error. */
function reference(
  a: ArrayLike<number>,
  aOff: number,
  b: ArrayLike<number>,
  bOff: number,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
) {
  const c = new Float64Array(m * n);
  const mag = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let t = 0;
      for (let p = 0; p < k; p++) {
        const x = a[aOff + (transA ? p * m + i : i * k + p)] * b[bOff + (transB ? j * k + p : p * n + j)];
        s += x;
        t += Math.abs(x);
      }
      c[i * n + j] = s;
      mag[i * n + j] = t;
    }
  }
  return { c, mag };
}

function randomF32(rng: Rng, size: number): Float32Array {
  const x = new Float32Array(size);
  for (let i = 0; i < size; i++) x[i] = rng.normal();
  return x;
}

/** Runs the fast kernel on operands embedded at offsets in larger arrays; checks the result and the margins. */
function check(
  rng: Rng,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  accumulate: boolean,
) {
  const [aOff, bOff, outOff] = [rng.int(0, 5), rng.int(0, 5), rng.int(0, 5)];
  const a = randomF32(rng, aOff + m * k + 3);
  const b = randomF32(rng, bOff + k * n + 3);
  const out = randomF32(rng, outOff + m * n + 3);
  const before = out.slice();
  matmulKernelFast(a, aOff, b, bOff, out, outOff, m, n, k, transA, transB, accumulate);
  const { c, mag } = reference(a, aOff, b, bOff, m, n, k, transA, transB);
  let worst = 0;
  for (let i = 0; i < m * n; i++) {
    const old = accumulate ? before[outOff + i] : 0;
    const want = c[i] + old;
    const bound = (k + 3) * U * (mag[i] + Math.abs(old)) + 1e-30;
    worst = Math.max(worst, Math.abs(out[outOff + i] - want) / bound);
  }
  expect(
    worst,
    `m=${m} n=${n} k=${k} transA=${transA} transB=${transB} acc=${accumulate}`,
  ).toBeLessThanOrEqual(1);
  // Nothing outside the output window is touched.
  for (let i = 0; i < outOff; i++) expect(out[i]).toBe(before[i]);
  for (let i = outOff + m * n; i < out.length; i++) expect(out[i]).toBe(before[i]);
}

const FLAGS: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

describe('matmulKernelFast', () => {
  it('runs on WebAssembly SIMD in Node (async init agrees)', async () => {
    expect(fastKernelsAvailable()).toBe(true);
    await expect(initFastKernels()).resolves.toBe(true);
  });

  it('useCpuWorkers([]) keeps (or returns to) one thread, and the kernel still computes', async () => {
    await expect(useCpuWorkers([])).resolves.toBe(true);
    const [a, b, out] = [new Float32Array([2, 3]), new Float32Array([4, 5]), new Float32Array(1)];
    matmulKernelFast(a, 0, b, 0, out, 0, 1, 1, 2, false, false, false);
    expect(out[0]).toBe(23);
  });

  // Every build the engine runs: the relaxed-SIMD one (fused multiply-add) only where it has relaxed SIMD,
  // which the relaxed-simd test project (vitest.config.ts) turns on.
  for (const relaxed of relaxedSimdSupported() ? [true, false] : [false]) {
    describe(relaxed ? 'the relaxed-SIMD build' : 'the SIMD build', () => {
      let previous = true;
      beforeAll(() => {
        previous = preferRelaxedSimd(relaxed);
      });
      afterAll(() => {
        preferRelaxedSimd(previous);
      });

      it('is the kernel in use', () => {
        expect(matmulKernelInUse()).toBe(relaxed ? 'relaxed-simd' : 'simd');
      });

      it('multiplies A·Aᵀ as in its example', () => {
        const a = new Float32Array([1, 2, 3, 4]);
        const out = new Float32Array(4);
        matmulKernelFast(a, 0, a, 0, out, 0, 2, 2, 2, false, true, false);
        expect(Array.from(out)).toEqual([5, 11, 11, 25]);
      });

      it('agrees with float64 within the float32 dot-product bound on odd sizes, all transposes, accumulate', () => {
        const rng = new Rng(5);
        const sizes = [1, 3, 17, 129];
        for (const [transA, transB] of FLAGS) {
          for (const accumulate of [false, true]) {
            for (const m of sizes)
              for (const n of sizes) check(rng, m, n, sizes[rng.int(0, 4)], transA, transB, accumulate);
          }
        }
      });

      it('crosses every block boundary (MC = 128, KC = 256, NC = 4096, tile 4×8)', () => {
        const rng = new Rng(6);
        const shapes: [number, number, number][] = [
          [257, 9, 513], // several row blocks and k blocks, a partial last k block
          [131, 33, 256], // k exactly one block
          [4, 8, 1], // exactly one tile, k = 1
          [5, 4100, 3], // two column blocks of B
          [2, 3, 700],
        ];
        for (const [m, n, k] of shapes) {
          for (const [transA, transB] of FLAGS)
            for (const acc of [false, true]) check(rng, m, n, k, transA, transB, acc);
        }
      });

      it('agrees on random non-square shapes', () => {
        const rng = new Rng(7);
        for (let t = 0; t < 24; t++) {
          const [m, n, k] = [rng.int(1, 90), rng.int(1, 90), rng.int(1, 300)];
          check(rng, m, n, k, rng.uniform() < 0.5, rng.uniform() < 0.5, rng.uniform() < 0.5);
        }
      });

      it('keeps results after wasm memory grows, and across interleaved sizes', () => {
        const rng = new Rng(8);
        check(rng, 3, 5, 7, false, false, false);
        check(rng, 300, 200, 260, true, false, true); // grows the memory
        check(rng, 3, 5, 7, false, true, false);
      });
    });
  }

  it('rounds a multiply-add once in the relaxed build, twice in the plain one (hardware FMA: x64 FMA3, arm64)', () => {
    // C = (−(1 + 2⁻¹¹))·1 + (1 + 2⁻¹²)²: the exact sum is 2⁻²⁴; rounding the square to float32 first
    // (1 + 2⁻¹¹ + 2⁻²⁴ → 1 + 2⁻¹¹, a tie to even) loses it. One row of A, one column of B, k = 2.
    const e = 2 ** -12;
    const a = new Float32Array([-(1 + 2 * e), 1 + e]);
    const b = new Float32Array([1, 1 + e]);
    const results = new Map<string, number>();
    for (const relaxed of relaxedSimdSupported() ? [true, false] : [false]) {
      const previous = preferRelaxedSimd(relaxed);
      try {
        const out = new Float32Array(1);
        matmulKernelFast(a, 0, b, 0, out, 0, 1, 1, 2, false, false, false);
        results.set(matmulKernelInUse(), out[0]);
      } finally {
        preferRelaxedSimd(previous);
      }
    }
    expect(results.get('simd')).toBe(0);
    if (relaxedSimdSupported()) expect(results.get('relaxed-simd')).toBe(2 ** -24);
    else expect([...results.keys()]).toEqual(['simd']);
  });

  it('reports the reference kernel when the fast kernels are switched off', () => {
    const previous = useFastKernels(false);
    try {
      expect(matmulKernelInUse()).toBe('reference');
    } finally {
      useFastKernels(previous);
    }
    expect(matmulKernelInUse()).toBe(relaxedSimdSupported() ? 'relaxed-simd' : 'simd');
  });

  it('matches the reference kernel bit for bit where it falls back (float64, mixed dtypes)', () => {
    const rng = new Rng(9);
    const [m, n, k] = [5, 6, 7];
    const a64 = Float64Array.from(randomF32(rng, m * k));
    const b64 = Float64Array.from(randomF32(rng, k * n));
    for (const [transA, transB] of FLAGS) {
      const want = new Float64Array(m * n);
      const got = new Float64Array(m * n);
      matmulKernel(a64, 0, b64, 0, want, 0, m, n, k, transA, transB, false);
      matmulKernelFast(a64, 0, b64, 0, got, 0, m, n, k, transA, transB, false);
      expect(got).toEqual(want);
      const mixed = new Float32Array(m * n);
      const mixedWant = new Float32Array(m * n);
      matmulKernel(a64, 0, Float32Array.from(b64), 0, mixedWant, 0, m, n, k, transA, transB, false);
      matmulKernelFast(a64, 0, Float32Array.from(b64), 0, mixed, 0, m, n, k, transA, transB, false);
      expect(mixed).toEqual(mixedWant);
    }
  });

  it('k = 0 gives zeros, or leaves C alone when accumulating', () => {
    const out = new Float32Array([1, 2, 3, 4, 5, 6]);
    matmulKernelFast(new Float32Array(0), 0, new Float32Array(0), 0, out, 0, 2, 3, 0, false, false, true);
    expect(Array.from(out)).toEqual([1, 2, 3, 4, 5, 6]);
    matmulKernelFast(new Float32Array(0), 0, new Float32Array(0), 0, out, 0, 2, 3, 0, false, false, false);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
