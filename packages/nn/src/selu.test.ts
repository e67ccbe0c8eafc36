// biome-ignore-all lint/correctness/noPrecisionLoss: reference values quoted at 20 digits from a 40-digit mpmath computation.
import { describe, expect, it } from 'vitest';
import { SELU_ALPHA, SELU_LAMBDA, seluJacobian, seluMoments, seluParameters } from './selu';

const relErr = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

const selu = (z: number, alpha: number, lambda: number) =>
  z > 0 ? lambda * z : lambda * alpha * (Math.exp(Math.min(z, 0)) - 1);

/** E[f(z)] for z ~ N(m, v) by composite Simpson's rule over ±14σ, split at 0 (SELU's kink). */
function gaussianExpectation(f: (z: number) => number, m: number, v: number): number {
  const sd = Math.sqrt(v);
  const lo = m - 14 * sd;
  const hi = m + 14 * sd;
  const density = (z: number) => Math.exp(-((z - m) ** 2) / (2 * v)) / Math.sqrt(2 * Math.PI * v);
  const simpson = (a: number, b: number) => {
    if (b <= a) return 0;
    const n = 20000;
    const h = (b - a) / n;
    let acc = f(a) * density(a) + f(b) * density(b);
    for (let i = 1; i < n; i++) {
      const z = a + i * h;
      acc += (i % 2 === 1 ? 4 : 2) * f(z) * density(z);
    }
    return (acc * h) / 3;
  };
  if (lo < 0 && hi > 0) return simpson(lo, 0) + simpson(0, hi);
  return simpson(lo, hi);
}

describe('SELU constants', () => {
  it('are the float64 roundings of the paper’s 40-digit α01 and λ01', () => {
    expect(SELU_ALPHA).toBe(1.6732632423543772);
    expect(SELU_LAMBDA).toBe(1.0507009873554805);
    // λ01·α01 = 1.7580993408473768599…, the negative saturation value.
    expect(relErr(SELU_LAMBDA * SELU_ALPHA, 1.7580993408473768599)).toBeLessThan(2.3e-16);
  });
});

describe('seluMoments', () => {
  it('matches the golden value g(0.1, 0.05, 1.2, 0.98) from SNN.md to 1e-12 relative', () => {
    const g = seluMoments({ mean: 0.1, omega: 0.05, variance: 1.2, tau: 0.98 });
    expect(relErr(g.mean, 0.020584504601725923)).toBeLessThan(1e-12);
    expect(relErr(g.secondMoment, 1.1371797762197933)).toBeLessThan(1e-12);
    expect(g.variance).toBe(g.secondMoment - g.mean * g.mean);
  });

  it('maps (0, 1) to (0, 1) at α01, λ01 with ω = 0, τ = 1 (the defaults)', () => {
    const g = seluMoments({ mean: 0, variance: 1 });
    expect(Math.abs(g.mean)).toBeLessThan(1e-15);
    expect(Math.abs(g.variance - 1)).toBeLessThan(1e-15);
  });

  it.each([
    [0, 1, 1.6, 1.1],
    [0.3, 0.7, SELU_ALPHA, SELU_LAMBDA],
    [-2, 0.5, SELU_ALPHA, SELU_LAMBDA],
    [1.5, 3, 2, 1],
    [-4, 9, SELU_ALPHA, SELU_LAMBDA],
    [6, 0.2, SELU_ALPHA, SELU_LAMBDA],
  ])('agrees with numerical quadrature of selu(z)·N(z; m=%d, v=%d) (α=%d, λ=%d)', (m, v, alpha, lambda) => {
    const g = seluMoments({ mean: m, omega: 1, variance: v, tau: 1, alpha, lambda });
    const mean = gaussianExpectation((z) => selu(z, alpha, lambda), m, v);
    const second = gaussianExpectation((z) => selu(z, alpha, lambda) ** 2, m, v);
    expect(Math.abs(g.mean - mean)).toBeLessThan(1e-10 * (1 + Math.abs(mean)));
    expect(Math.abs(g.secondMoment - second)).toBeLessThan(1e-10 * (1 + second));
  });

  it('uses m = μω and v = ντ', () => {
    const a = seluMoments({ mean: 0.5, omega: 2, variance: 3, tau: 0.5 });
    const b = seluMoments({ mean: 1, omega: 1, variance: 1.5, tau: 1 });
    expect(relErr(a.mean, b.mean)).toBeLessThan(1e-15);
    expect(relErr(a.secondMoment, b.secondMoment)).toBeLessThan(1e-15);
  });

  it('stays finite where e^{m+v/2} overflows (m + v up to 1e6)', () => {
    for (const [m, v] of [
      [400, 400],
      [1000, 1000],
      [-1000, 1000],
      [0, 1e6],
      [1e5, 1],
      [-1e5, 1],
    ]) {
      const g = seluMoments({ mean: m, omega: 1, variance: v, tau: 1 });
      expect(Number.isFinite(g.mean)).toBe(true);
      expect(Number.isFinite(g.secondMoment)).toBe(true);
      expect(Number.isFinite(g.variance)).toBe(true);
    }
    // Far positive the unit is linear: mean → λm, variance → λ²v.
    const pos = seluMoments({ mean: 400, omega: 1, variance: 4, tau: 1 });
    expect(relErr(pos.mean, SELU_LAMBDA * 400)).toBeLessThan(1e-15);
    expect(relErr(pos.variance, SELU_LAMBDA ** 2 * 4)).toBeLessThan(1e-9);
    // Far negative it saturates at −λα.
    const neg = seluMoments({ mean: -1000, omega: 1, variance: 1000, tau: 1 });
    expect(relErr(neg.mean, -SELU_LAMBDA * SELU_ALPHA)).toBeLessThan(1e-15);
  });

  it('refuses a variance or tau that is not > 0, and non-finite inputs, naming the argument', () => {
    expect(() => seluMoments({ mean: 0, variance: 0 })).toThrow(
      /variance must be a finite number > 0, got 0/,
    );
    expect(() => seluMoments({ mean: 0, variance: -1 })).toThrow(/variance/);
    expect(() => seluMoments({ mean: 0, variance: 1, tau: 0 })).toThrow(/tau must be a finite number > 0/);
    expect(() => seluMoments({ mean: Number.NaN, variance: 1 })).toThrow(/mean must be a finite number/);
    expect(() => seluMoments({ mean: 0, variance: 1, omega: Number.POSITIVE_INFINITY })).toThrow(/omega/);
    expect(() => seluMoments({ mean: 0, variance: Number.POSITIVE_INFINITY })).toThrow(/variance/);
    expect(() => seluMoments({ mean: 0, variance: 1, alpha: Number.NaN })).toThrow(/alpha/);
  });
});

describe('seluJacobian', () => {
  it('has spectral norm 0.7877 < 1 at the fixed point (0, 1), as in the paper’s Theorem 1', () => {
    const j = seluJacobian({ mean: 0, variance: 1 });
    expect(j.spectralNorm).toBeCloseTo(0.7877, 4);
    // With ω = 0 the input mean does not reach z at all.
    expect(j.matrix[0][0]).toBe(0);
    expect(j.matrix[1][0]).toBe(0);
    // 40-digit reference (mpmath): ∂μ̃/∂ν = 0.0888347551068901234…, ∂ν̃/∂ν = 0.782647883196812847…
    expect(relErr(j.matrix[0][1], 0.08883475510689012348)).toBeLessThan(1e-13);
    expect(relErr(j.matrix[1][1], 0.78264788319681284723)).toBeLessThan(1e-13);
    expect(relErr(j.spectralNorm, 0.78767336046571560206)).toBeLessThan(1e-13);
  });

  it.each([
    [0.2, 0.3, 1.3, 0.9],
    [-0.5, 1, 0.8, 1.2],
    [1, -0.7, 2, 0.5],
  ])('matches central differences of seluMoments at μ=%d, ω=%d, ν=%d, τ=%d', (mean, omega, variance, tau) => {
    const j = seluJacobian({ mean, omega, variance, tau });
    const h = 1e-5;
    const at = (mu: number, nu: number) => seluMoments({ mean: mu, omega, variance: nu, tau });
    const dMu = [at(mean + h, variance), at(mean - h, variance)];
    const dNu = [at(mean, variance + h), at(mean, variance - h)];
    const fd = [
      [(dMu[0].mean - dMu[1].mean) / (2 * h), (dNu[0].mean - dNu[1].mean) / (2 * h)],
      [(dMu[0].variance - dMu[1].variance) / (2 * h), (dNu[0].variance - dNu[1].variance) / (2 * h)],
    ];
    for (let r = 0; r < 2; r++) for (let c = 0; c < 2; c++) expect(j.matrix[r][c]).toBeCloseTo(fd[r][c], 8);
  });
});

describe('seluParameters', () => {
  it('recovers α01 and λ01 for the fixed point (0, 1) to 1e-12', () => {
    const { alpha, lambda } = seluParameters({ mean: 0, variance: 1 });
    expect(relErr(alpha, SELU_ALPHA)).toBeLessThan(1e-12);
    expect(relErr(lambda, SELU_LAMBDA)).toBeLessThan(1e-12);
  });

  it('finds the golden (α, λ) for mean 0, variance 2 (ω = 0, τ = 1)', () => {
    const { alpha, lambda } = seluParameters({ mean: 0, variance: 2 });
    expect(relErr(alpha, 1.9712557503462689)).toBeLessThan(1e-12);
    expect(relErr(lambda, 1.0607090761030122)).toBeLessThan(1e-12);
  });

  it.each([
    [0.5, 1.5, 1, 1],
    [0, 100, 0, 1],
    [0, 1e-4, 0, 1],
    [0.2, 0.8, 0.3, 1.1],
  ])('returns a true fixed point: g(μ*=%d, ν*=%d) = (μ*, ν*) at ω=%d, τ=%d', (mean, variance, omega, tau) => {
    const { alpha, lambda } = seluParameters({ mean, variance, omega, tau });
    const g = seluMoments({ mean, variance, omega, tau, alpha, lambda });
    expect(Math.abs(g.mean - mean)).toBeLessThan(1e-12 * (1 + variance));
    expect(Math.abs(g.variance - variance)).toBeLessThan(1e-12 * (1 + variance));
  });

  it('makes ω explicit: the same target with ω = 1 (the authors’ helper’s silent choice) differs', () => {
    const explicit = seluParameters({ mean: 0.5, variance: 1.5, omega: 0 });
    const authors = seluParameters({ mean: 0.5, variance: 1.5, omega: 1 });
    expect(Math.abs(explicit.alpha - authors.alpha)).toBeGreaterThan(0.01);
  });

  it('throws a clear error when no SELU makes the target a fixed point', () => {
    expect(() => seluParameters({ mean: 10, variance: 1 })).toThrow(
      /did not converge for mean 10, variance 1/,
    );
    expect(() => seluParameters({ mean: 0, variance: -1 })).toThrow(/variance must be a finite number > 0/);
  });
});
