import { describe, expect, it } from 'vitest';
import { learningRate } from './train.ts';

describe('learningRate', () => {
  it('is constant, or decays by a half cosine from lr to 0 over all steps', () => {
    expect(learningRate({ lr: 0.1, schedule: 'constant', epochs: 2 }, 150, 100)).toBe(0.1);
    const c = { lr: 1e-3, schedule: 'cosine', epochs: 2 } as const;
    expect(learningRate(c, 0, 100)).toBe(1e-3);
    expect(learningRate(c, 100, 100)).toBeCloseTo(5e-4, 15);
    expect(learningRate(c, 50, 100)).toBeCloseTo((1e-3 * (1 + Math.SQRT1_2)) / 2, 15);
    expect(learningRate(c, 200, 100)).toBe(0);
  });
});
