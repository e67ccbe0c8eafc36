import { lt, ones, Rng, rand, randn } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { AlphaDropout } from './alpha-dropout';
import { Dropout } from './dropout';
import { FeatureAlphaDropout } from './feature-alpha-dropout';

describe('Dropout', () => {
  it('zeroes a fraction `rate` of units and scales the others by 1/(1 − rate)', () => {
    const y = new Dropout({ rate: 0.25, rng: new Rng(1) }).forward(ones([100, 100], { dtype: 'float64' }));
    let zeros = 0;
    for (const v of y.data) {
      if (v === 0) zeros++;
      else expect(v).toBeCloseTo(1 / 0.75, 14);
    }
    // 10^4 Bernoulli(0.25) draws: standard deviation 43.
    expect(Math.abs(zeros - 2500)).toBeLessThan(220);
  });

  it('is the identity in eval mode and at rate 0; rate 1 drops everything', () => {
    const x = randn([5], { rng: new Rng(2) });
    expect(new Dropout({ rate: 0.5, rng: new Rng(0) }).eval().forward(x)).toBe(x);
    expect(new Dropout({ rate: 0, rng: new Rng(0) }).forward(x)).toBe(x);
    expect(Array.from(new Dropout({ rate: 1, rng: new Rng(0) }).forward(x).data).every((v) => v === 0)).toBe(
      true,
    );
  });

  it('refuses a rate outside [0, 1] and a missing rng', () => {
    expect(() => new Dropout({ rate: 1.5, rng: new Rng(0) })).toThrow(
      /drop probability and must be in \[0, 1\]/,
    );
    expect(() => new Dropout({ rate: 0.5 } as never)).toThrow(/seeded generator/);
  });
});

describe('one mask protocol for every dropout layer', () => {
  it('Dropout, AlphaDropout and FeatureAlphaDropout keep what lt(rand(shape, { rng, dtype }), 1 − rate) keeps', () => {
    const rate = 0.3;
    const expected = (shape: number[]) =>
      Array.from(lt(rand(shape, { rng: new Rng(5), dtype: 'float64' }), 1 - rate).data);
    const x = ones([20, 30], { dtype: 'float64' });
    const dropout = new Dropout({ rate, rng: new Rng(5) }).forward(x);
    expect(Array.from(dropout.data, (v) => (v === 0 ? 0 : 1))).toEqual(expected([20, 30]));
    const alpha = new AlphaDropout({ rate, rng: new Rng(5) });
    const kept = alpha.a + alpha.b;
    expect(Array.from(alpha.forward(x).data, (v) => (v === kept ? 1 : 0))).toEqual(expected([20, 30]));
    const feature = new FeatureAlphaDropout({ rate, rng: new Rng(5) });
    const y = feature.forward(ones([4, 5, 3], { dtype: 'float64' }));
    // One draw per (sample, channel): the first position of each channel stands for all three.
    const perChannel = Array.from({ length: 20 }, (_, i) => (y.data[i * 3] === kept ? 1 : 0));
    expect(perChannel).toEqual(expected([4, 5, 1]));
  });
});
