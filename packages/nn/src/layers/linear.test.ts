import { Rng, tensor } from '@selfnorm/tensor';
import { expectClose, gradcheck } from '@selfnorm/tensor/testing';
import { describe, expect, it } from 'vitest';
import { constantInit } from '../init';
import { Linear } from './linear';

describe('Linear', () => {
  it('has weight [out, in] drawn from N(0, 1/in) by default, a zero bias, and the PyTorch names', () => {
    const layer = new Linear(400, 300, { rng: new Rng(0) });
    expect(layer.weight.shape).toEqual([300, 400]);
    expect(layer.bias!.shape).toEqual([300]);
    expect(Array.from(layer.bias!.data).every((v) => v === 0)).toBe(true);
    expect(layer.namedParameters().map(([n]) => n)).toEqual(['weight', 'bias']);
    let s = 0;
    let q = 0;
    for (const v of layer.weight.data) {
      s += v;
      q += v * v;
    }
    const n = layer.weight.size;
    // 1.2e5 draws: the variance estimate has relative standard error √(2/n) ≈ 0.4 %.
    expect(Math.abs(s / n)).toBeLessThan(0.001);
    expect(Math.abs((q / n) * 400 - 1)).toBeLessThan(0.02);
  });

  it('computes x·Wᵀ + b', () => {
    const layer = new Linear(2, 3, { init: constantInit(0), dtype: 'float64' });
    layer.weight.data.set([1, 2, 3, 4, 5, 6]);
    layer.bias!.data.set([0.5, -1, 0]);
    const y = layer.forward(
      tensor(
        [
          [1, 1],
          [2, -1],
        ],
        { dtype: 'float64' },
      ),
    );
    expect(y.toArray()).toEqual([
      [3.5, 6, 11],
      [0.5, 1, 4],
    ]);
  });

  it('works without a bias and on extra leading dimensions', () => {
    const layer = new Linear(4, 2, { rng: new Rng(1), bias: false });
    expect(layer.bias).toBeNull();
    expect(layer.parameters()).toHaveLength(1);
    expect(layer.forward(tensor(new Float32Array(24), { shape: [2, 3, 4] })).shape).toEqual([2, 3, 2]);
  });

  it('passes gradcheck for input, weight and bias in float64', () => {
    const rng = new Rng(2);
    const layer = new Linear(3, 2, { rng, dtype: 'float64' });
    layer.bias!.data.set([0.1, -0.2]);
    const x = tensor(
      [
        [0.3, -1, 2],
        [1, 0.5, -0.7],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    const check = gradcheck(
      (input, w, b) => {
        layer.weight = w;
        layer.bias = b;
        return layer.forward(input);
      },
      [x, layer.weight, layer.bias!],
    );
    expect(check.ok).toBe(true);
  });

  it('refuses bad sizes, a missing rng and a mis-shaped input', () => {
    expect(() => new Linear(0, 3, { rng: new Rng(0) })).toThrow(/inFeatures must be a positive integer/);
    expect(() => new Linear(3, 2)).toThrow(/pass \{ rng \}/);
    const layer = new Linear(3, 2, { rng: new Rng(0) });
    expect(() => layer.forward(tensor([[1, 2]]))).toThrow(/expected input \[\.\.\., 3\], got \[1,2\]/);
    expectClose(layer.forward(tensor([[0, 0, 0]])), [[0, 0]]);
  });
});
