import { tensor } from '@selfnorm/tensor';
import { expectClose } from '@selfnorm/tensor/testing';
import { describe, expect, it } from 'vitest';
import { ELU, Identity, ReLU, Tanh } from './activations';
import { Flatten } from './flatten';

const x = tensor([-2, -0.5, 0, 1.5], { dtype: 'float64' });

describe('activation modules', () => {
  it('ReLU, ELU, Tanh and Identity compute their functions', () => {
    expect(new ReLU().forward(x).toArray()).toEqual([0, 0, 0, 1.5]);
    expectClose(new ELU().forward(x), [Math.expm1(-2), Math.expm1(-0.5), 0, 1.5], { atol: 1e-15 });
    expectClose(new ELU({ alpha: 2 }).forward(x), [2 * Math.expm1(-2), 2 * Math.expm1(-0.5), 0, 1.5], {
      atol: 1e-15,
    });
    expectClose(new Tanh().forward(x), [Math.tanh(-2), Math.tanh(-0.5), 0, Math.tanh(1.5)], { atol: 1e-15 });
    expect(new Identity().forward(x)).toBe(x);
  });

  it('ELU refuses a non-finite alpha', () => {
    expect(() => new ELU({ alpha: Number.NaN })).toThrow(/alpha must be a finite number/);
  });
});

describe('Flatten', () => {
  it('keeps the batch dimension by default', () => {
    const images = tensor(new Float32Array(2 * 3 * 4), { shape: [2, 1, 3, 4] });
    expect(new Flatten().forward(images).shape).toEqual([2, 12]);
    expect(new Flatten({ startDim: 2 }).forward(images).shape).toEqual([2, 1, 12]);
  });
});
