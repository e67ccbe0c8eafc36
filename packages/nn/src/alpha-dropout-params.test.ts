// biome-ignore-all lint/correctness/noPrecisionLoss: goldens quoted with the 17 significant digits of SNN.md.
import { describe, expect, it } from 'vitest';
import { alphaDropoutParams } from './alpha-dropout-params';
import { SELU_ALPHA, SELU_LAMBDA } from './selu';

const relErr = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

/** Exact mean and variance of y = a·(x·d + α′(1 − d)) + b for x of mean μ, variance ν, d ~ Bernoulli(q). */
function outputMoments(
  rate: number,
  mean: number,
  variance: number,
  p: { a: number; b: number; alphaPrime: number },
) {
  const q = 1 - rate;
  const m = q * mean + (1 - q) * p.alphaPrime;
  const second = q * (variance + mean * mean) + (1 - q) * p.alphaPrime ** 2;
  return { mean: p.a * m + p.b, variance: p.a * p.a * (second - m * m) };
}

describe('alphaDropoutParams', () => {
  it.each([
    [0.05, 0.95484447600503088, 0.083935572193810187],
    [0.1, 0.92128451614971148, 0.16197097005757023],
    [0.2, 0.87890358344353286, 0.30903996214409452],
  ])('rate %d gives the golden a = %d, b = %d (SNN.md) to 1e-15', (rate, a, b) => {
    const p = alphaDropoutParams({ rate });
    expect(relErr(p.a, a)).toBeLessThan(1e-15);
    expect(relErr(p.b, b)).toBeLessThan(1e-15);
  });

  it('drops to α′ = −λα (negative), never +λα', () => {
    const { alphaPrime } = alphaDropoutParams({ rate: 0.1 });
    expect(alphaPrime).toBe(-SELU_LAMBDA * SELU_ALPHA);
    expect(alphaPrime).toBeLessThan(-1.758);
  });

  it('agrees with the (0, 1) closed form a = ((1 − p)(1 + p·α′²))^(−1/2), b = −a·p·α′', () => {
    for (const rate of [0.01, 0.05, 0.1, 0.3, 0.5, 0.9]) {
      const { a, b, alphaPrime } = alphaDropoutParams({ rate });
      const a0 = 1 / Math.sqrt((1 - rate) * (1 + rate * alphaPrime ** 2));
      expect(relErr(a, a0)).toBeLessThan(1e-15);
      expect(relErr(b, -a0 * rate * alphaPrime)).toBeLessThan(1e-14);
    }
  });

  it.each([
    [0.05, 0, 1],
    [0.2, 0.3, 1.7],
    [0.5, -0.4, 0.6],
    [0.1, 2, 0.25],
  ])(
    'rate %d keeps mean %d and variance %d fixed (exact moments of the affine map)',
    (rate, mean, variance) => {
      const p = alphaDropoutParams({ rate, mean, variance });
      const out = outputMoments(rate, mean, variance, p);
      expect(Math.abs(out.mean - mean)).toBeLessThan(1e-14);
      expect(Math.abs(out.variance - variance)).toBeLessThan(1e-14 * variance);
    },
  );

  it('is the identity at rate 0', () => {
    expect(alphaDropoutParams({ rate: 0 })).toMatchObject({ a: 1, b: 0 });
    expect(alphaDropoutParams({ rate: 0, mean: 0.7, variance: 2 })).toMatchObject({ a: 1, b: 0 });
  });

  it('uses the given SELU α and λ for α′', () => {
    const { alphaPrime } = alphaDropoutParams({
      rate: 0.1,
      alpha: 1.9712557503462689,
      lambda: 1.0607090761030122,
    });
    expect(alphaPrime).toBe(-1.9712557503462689 * 1.0607090761030122);
  });

  it('refuses a rate outside [0, 1) and bad moments, saying what is allowed', () => {
    for (const rate of [-0.1, 1, 1.5, Number.NaN]) {
      expect(() => alphaDropoutParams({ rate })).toThrow(
        /probability of dropping a unit and must be in \[0, 1\)/,
      );
    }
    expect(() => alphaDropoutParams({ rate: 0.1, variance: 0 })).toThrow(
      /variance must be a finite number > 0/,
    );
    expect(() => alphaDropoutParams({ rate: 0.1, mean: Number.POSITIVE_INFINITY })).toThrow(
      /mean must be finite|mean/,
    );
  });
});
