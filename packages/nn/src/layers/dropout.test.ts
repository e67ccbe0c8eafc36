import { ones, Rng, randn } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { Dropout } from './dropout';

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
