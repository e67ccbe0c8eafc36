import { cpu, cpuThreadStats, Rng } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { startCpuWorkers, stopCpuWorkers } from './threads';

// The CPU device's kernels through its public table, as every primitive calls them.
const { matmul, selu } = cpu.kernels;

/** Float64 triple loop and the magnitude sum Σ|a||b| that bounds float32 rounding. */
function reference(
  a: Float32Array,
  b: Float32Array,
  m: number,
  n: number,
  k: number,
  ta: boolean,
  tb: boolean,
) {
  const c = new Float64Array(m * n);
  const mag = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      for (let p = 0; p < k; p++) {
        const x = a[ta ? p * m + i : i * k + p] * b[tb ? j * k + p : p * n + j];
        c[i * n + j] += x;
        mag[i * n + j] += Math.abs(x);
      }
    }
  }
  return { c, mag };
}

describe('matmul kernel on two threads (main + one worker over shared wasm memory)', () => {
  it('splits rows or columns and agrees with float64 within the float32 bound, then returns to one thread', async () => {
    const workers = await startCpuWorkers(1);
    expect(workers).toHaveLength(1);
    try {
      const rng = new Rng(21);
      // Large enough to be split (2mnk ≥ 2²²); wide (split by columns) and tall (split by rows); odd sizes.
      for (const [m, n, k] of [
        [33, 301, 257],
        [301, 33, 257],
        [129, 129, 129],
      ]) {
        for (const [ta, tb] of [
          [false, false],
          [true, true],
          [false, true],
        ] as const) {
          const a = Float32Array.from({ length: m * k }, () => rng.normal());
          const b = Float32Array.from({ length: k * n }, () => rng.normal());
          const out = Float32Array.from({ length: m * n }, () => rng.normal()); // overwritten
          matmul(a, b, out, 1, m, n, k, ta, tb);
          const { c, mag } = reference(a, b, m, n, k, ta, tb);
          let worst = 0;
          for (let i = 0; i < m * n; i++) {
            const bound = (k + 2) * 2 ** -24 * mag[i];
            worst = Math.max(worst, Math.abs(out[i] - c[i]) / bound);
          }
          expect(worst, `m=${m} n=${n} k=${k} ta=${ta} tb=${tb}`).toBeLessThanOrEqual(1);
        }
      }
      // The worker takes part (it may miss a product while descheduled, so allow a few tries).
      const big = new Float32Array(256 * 256).fill(1);
      const out = new Float32Array(256 * 256);
      const before = cpuThreadStats()[1];
      for (let t = 0; t === 0 || (t < 200 && cpuThreadStats()[1] === before); t++) {
        matmul(big, big, out, 1, 256, 256, 256, false, false);
      }
      expect(cpuThreadStats()[1]).toBeGreaterThan(before);
      expect(out.every((v) => v === 256)).toBe(true);
    } finally {
      await stopCpuWorkers(workers);
    }
    expect(cpuThreadStats()).toEqual([]);
    const out = new Float32Array(4);
    matmul(new Float32Array([1, 2, 3, 4]), new Float32Array([1, 0, 0, 1]), out, 1, 2, 2, 2, false, false);
    expect(Array.from(out)).toEqual([1, 2, 3, 4]);
  });
});

/** The first index where two float arrays differ in their bits (-1 if none): fast on large arrays. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  const [u, v] = [
    new Uint32Array(a.buffer, a.byteOffset, a.length),
    new Uint32Array(b.buffer, b.byteOffset, b.length),
  ];
  if (u.length !== v.length) return Math.min(u.length, v.length);
  for (let i = 0; i < u.length; i++) if (u[i] !== v[i]) return i;
  return -1;
}

describe('SELU kernel on two threads', () => {
  it('splits large arrays across the pool and equals the one-thread result bit for bit', async () => {
    const rng = new Rng(22);
    // Several 2^17-element blocks and a ragged last one (an odd count of blocks and an even one, so both
    // halves of the pipeline end a pass); below 2^17 elements stays on one thread.
    for (const size of [(1 << 17) * 4 + 12_345, (1 << 17) + 3, 1000]) {
      const x = Float32Array.from({ length: size }, () => 3 * rng.normal());
      x.set([0, -0, Number.NaN, -200, 200]);
      const y1 = new Float32Array(size);
      selu(x, y1);
      const workers = await startCpuWorkers(1);
      expect(workers).toHaveLength(1);
      try {
        const y2 = new Float32Array(size);
        const before = cpuThreadStats();
        // The worker may be descheduled for a whole pass, so allow a few tries for it to take part.
        for (let t = 0; t === 0 || (t < 200 && size >= 1 << 17 && cpuThreadStats()[1] === before[1]); t++) {
          selu(x, y2);
        }
        expect(firstDifference(y2, y1)).toBe(-1);
        const taken = cpuThreadStats();
        if (size >= 1 << 17) expect(taken[1]).toBeGreaterThan(before[1]);
        else expect(taken).toEqual(before);
      } finally {
        await stopCpuWorkers(workers);
      }
    }
  });
});
