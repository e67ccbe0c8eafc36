import { AlphaDropout, BatchNorm1d, Dropout, ReLU, SELU } from '@selfnorm/nn';
import { Rng, randn } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { Mlp } from './model.ts';

/** Population variance of an array. */
function variance(data: ArrayLike<number>): number {
  const xs = Array.from(data);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
}

describe('Mlp', () => {
  it('builds depth × [Linear → SELU → AlphaDropout] → Linear → 10 for the SNN', () => {
    const rng = new Rng(1);
    const m = new Mlp({ depth: 3, width: 32, activation: 'selu', dropout: 0.05 }, rng.split(), rng.split());
    expect(m.blocks.length).toBe(3);
    for (const b of m.blocks) {
      expect(b.act).toBeInstanceOf(SELU);
      expect(b.drop).toBeInstanceOf(AlphaDropout);
      expect(b.norm).toBeNull();
    }
    expect(m.parameterCount()).toBe(784 * 32 + 32 + 2 * (32 * 32 + 32) + 32 * 10 + 10);
    const x = randn([5, 784], { rng });
    expect(m.forward(x).shape).toEqual([5, 10]);
  });

  it('builds the baselines: ReLU with plain dropout, ReLU + BatchNorm, SELU without dropout', () => {
    const rng = new Rng(2);
    const relu = new Mlp({ depth: 2, width: 8, activation: 'relu', dropout: 0.1 }, rng, rng);
    expect(relu.blocks[0].act).toBeInstanceOf(ReLU);
    expect(relu.blocks[0].drop).toBeInstanceOf(Dropout);
    const bn = new Mlp({ depth: 2, width: 8, activation: 'relu-bn', dropout: 0 }, rng, rng);
    expect(bn.blocks[1].norm).toBeInstanceOf(BatchNorm1d);
    expect(bn.blocks[1].drop).toBeNull();
    const plain = new Mlp({ depth: 2, width: 8, activation: 'selu', dropout: 0 }, rng, rng);
    expect(plain.blocks[0].drop).toBeNull();
  });

  it('initializes SELU layers LeCun normal (variance 1/fanIn) and ReLU layers He normal (2/fanIn)', () => {
    const rng = new Rng(3);
    const w = (m: Mlp) => variance(m.blocks[1].linear.weight.data) * 256;
    expect(w(new Mlp({ depth: 2, width: 256, activation: 'selu', dropout: 0 }, rng, rng))).toBeCloseTo(1, 1);
    expect(w(new Mlp({ depth: 2, width: 256, activation: 'relu', dropout: 0 }, rng, rng))).toBeCloseTo(2, 1);
  });

  it('keeps 32 SELU layers self-normalized at initialization (mean ≈ 0, variance ≈ 1 at every depth)', () => {
    const rng = new Rng(4);
    const m = new Mlp({ depth: 32, width: 256, activation: 'selu', dropout: 0.05 }, rng.split(), rng.split());
    const stats = m.activationStats(randn([256, 784], { rng }));
    expect(stats.length).toBe(32);
    // 256 × 256 values per layer; the sampling spread of the weights dominates the tolerance.
    for (const s of stats) {
      expect(Math.abs(s.mean)).toBeLessThan(0.1);
      expect(Math.abs(s.variance - 1)).toBeLessThan(0.15);
      // LeCun normal: ω averages 256 draws of N(0, 1) per layer (σ ≈ 0.06); τ̄ is within ~0.01 of 1.
      expect(Math.abs(s.omega)).toBeLessThan(0.3);
      expect(Math.abs(s.tau - 1)).toBeLessThan(0.05);
    }
    expect(m.training).toBe(true); // the mode is restored after measuring
  });
});
