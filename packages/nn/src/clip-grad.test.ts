import { type Tensor, tensor } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { clipGradNorm, clipGradValue } from './clip-grad';

const f64 = { dtype: 'float64' } as const;

function params(...grads: (number[] | null)[]) {
  return grads.map((g) => {
    const p = tensor(new Array(g?.length ?? 2).fill(0), { ...f64, requiresGrad: true });
    p.grad = g === null ? null : tensor(g, f64);
    return p;
  });
}

function gradOf(p: Tensor): number[] {
  if (p.grad === null) throw new Error('expected a gradient');
  return p.grad.toArray() as number[];
}

describe('clipGradNorm (PyTorch clip_grad_norm_)', () => {
  it('returns the total 2-norm and scales by maxNorm / (norm + 1e-6)', () => {
    const ps = params([3, 0], [0, 4], null); // ‖(3, 0, 0, 4)‖ = 5
    const norm = clipGradNorm(ps, 1);
    expect(norm).toBe(5);
    const scale = 1 / (5 + 1e-6);
    expect(ps[0].grad?.toArray()).toEqual([3 * scale, 0]);
    expect(ps[1].grad?.toArray()).toEqual([0, 4 * scale]);
    expect(ps[2].grad).toBeNull();
  });
  it('leaves gradients under the limit as they are', () => {
    const ps = params([0.3, 0.4]);
    const before = ps[0].grad;
    expect(clipGradNorm(ps, 1)).toBeCloseTo(0.5, 15);
    expect(ps[0].grad).toBe(before);
  });
  it('takes other norms: 1, 3 and Infinity', () => {
    expect(clipGradNorm(params([1, -2], [3, 0]), 100, { normType: 1 })).toBe(6);
    expect(clipGradNorm(params([1, -2], [3, 0]), 100, { normType: 3 })).toBeCloseTo(36 ** (1 / 3), 14);
    const ps = params([1, -7], [3, 0]);
    expect(clipGradNorm(ps, 3.5, { normType: Number.POSITIVE_INFINITY })).toBe(7);
    expect(gradOf(ps[0])[1]).toBeCloseTo((-7 * 3.5) / (7 + 1e-6), 14);
  });
  it('reads a generator of parameters once', () => {
    const ps = params([6, 8]);
    function* gen() {
      yield* ps;
    }
    expect(clipGradNorm(gen(), 5)).toBe(10);
    expect(gradOf(ps[0])[0]).toBeCloseTo(3, 5);
  });
  it('with no gradients returns 0', () => {
    expect(clipGradNorm(params(null), 1)).toBe(0);
  });
  it('non-finite norms: NaN gradients spread as in PyTorch, or an error when asked', () => {
    const ps = params([Number.POSITIVE_INFINITY, 1]);
    expect(clipGradNorm(ps, 1)).toBe(Number.POSITIVE_INFINITY);
    const g = gradOf(ps[0]);
    expect(Number.isNaN(g[0])).toBe(true); // ∞ · 0
    expect(g[1]).toBe(0);
    expect(() => clipGradNorm(params([Number.NaN, 1]), 1, { errorIfNonfinite: true })).toThrow(
      /total norm of order 2 of the gradients is NaN/,
    );
  });
  it('refuses bad arguments', () => {
    expect(() => clipGradNorm(params([1]), -1)).toThrow(/maxNorm must be a number >= 0, got -1/);
    expect(() => clipGradNorm(params([1]), 1, { normType: 0 })).toThrow(/normType must be a number > 0/);
    expect(() => clipGradNorm([1] as never, 1)).toThrow(/parameters\[0\] is not a Tensor/);
    expect(() => clipGradNorm(undefined as never, 1)).toThrow(/must be an iterable of tensors/);
  });
});

describe('clipGradValue (PyTorch clip_grad_value_)', () => {
  it('clamps every gradient entry to [−v, v]', () => {
    const ps = params([3, -0.2], [-5, 0.5]);
    clipGradValue(ps, 0.5);
    expect(ps[0].grad?.toArray()).toEqual([0.5, -0.2]);
    expect(ps[1].grad?.toArray()).toEqual([-0.5, 0.5]);
    expect(() => clipGradValue(ps, Number.NaN)).toThrow(/clipValue must be a number >= 0, got NaN/);
  });
});
