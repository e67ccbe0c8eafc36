import { describe, expect, it } from 'vitest';
import { mergeFigures } from './main';
import { runWorkload } from './run';

describe('bench smoke (no timing assertions)', () => {
  it('--quick W1 on selfnorm gives three finite positive GFLOP/s figures at n = 256', async () => {
    const figures = await runWorkload('selfnorm', 'W1', { quick: true, reps: 1, warmup: 0 });
    expect(figures.map((f) => f.label)).toEqual(['n=256 A·B', 'n=256 Aᵀ·B', 'n=256 A·Bᵀ']);
    for (const f of figures) {
      expect(f.unit).toBe('GFLOP/s');
      expect(f.values.selfnorm).toBeGreaterThan(0);
      expect(Number.isFinite(f.values.selfnorm)).toBe(true);
    }
  });

  it('--quick W4 on selfnorm-1t gives a CNN step in samples/s and conv2d in GFLOP/s, finite and positive', async () => {
    const figures = await runWorkload('selfnorm-1t', 'W4', { quick: true, reps: 1, warmup: 0 });
    expect(figures.map((f) => [f.label, f.unit])).toEqual([
      ['CNN train step 16/32', 'samples/s'],
      ['conv2d 32→64 3×3 28² fwd+bwd', 'GFLOP/s'],
    ]);
    for (const f of figures) expect(f.values['selfnorm-1t']).toBeGreaterThan(0);
  }, 60_000);

  it('merges per-framework figures into one row per workload and label', () => {
    const base = { workload: 'W3', label: 'SELU', unit: 'ns/element', higherIsBetter: false };
    const rows = mergeFigures([
      { ...base, values: { selfnorm: 3 } },
      { ...base, values: { 'jax-wasm': 14 } },
      { ...base, label: 'other', values: { selfnorm: 1 } },
    ]);
    expect(rows).toHaveLength(2);
    expect(rows[0].values).toEqual({ selfnorm: 3, 'jax-wasm': 14 });
  });
});
