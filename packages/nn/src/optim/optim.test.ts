import { type Tensor, tensor } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { Adam } from './adam';
import { AdamW } from './adamw';
import type { Optimizer } from './optimizer';
import { SGD } from './sgd';

const f64 = { dtype: 'float64' } as const;

/** Runs `opt` with the given per-step gradients for its single parameter; returns the parameter after each step. */
function trajectory(param: Tensor, opt: Optimizer, grads: number[][]): number[][] {
  return grads.map((g) => {
    param.grad = tensor(g, f64);
    opt.step();
    return Array.from(param.data);
  });
}

function expectPath(actual: number[][], expected: number[][], digits = 12): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => {
    row.forEach((v, j) => {
      expect(v).toBeCloseTo(expected[i][j], digits);
    });
  });
}

describe('SGD (PyTorch formulas, worked by hand)', () => {
  it('plain: θ −= lr·g', () => {
    const p = tensor([1, -2], { ...f64, requiresGrad: true });
    expectPath(
      trajectory(p, new SGD([p], { lr: 0.1 }), [
        [1, 2],
        [-1, 0.5],
      ]),
      [
        [0.9, -2.2],
        [1, -2.25],
      ],
    );
  });

  it('momentum 0.9: b = g, then b = 0.9·b + g', () => {
    // b: 1, 1.9, 2.71 → θ: 1 − 0.1, 0.9 − 0.19, 0.71 − 0.271
    const p = tensor([1], { ...f64, requiresGrad: true });
    expectPath(trajectory(p, new SGD([p], { lr: 0.1, momentum: 0.9 }), [[1], [1], [1]]), [
      [0.9],
      [0.71],
      [0.439],
    ]);
  });

  it('Nesterov: g + μ·b', () => {
    // b: 1, 1.9 → steps 1 + 0.9·1 = 1.9 and 1 + 0.9·1.9 = 2.71
    const p = tensor([1], { ...f64, requiresGrad: true });
    const opt = new SGD([p], { lr: 0.1, momentum: 0.9, nesterov: true });
    expectPath(trajectory(p, opt, [[1], [1]]), [[0.81], [0.539]]);
  });

  it('dampening applies from the second step; weight decay adds λ·θ to g', () => {
    const p = tensor([1], { ...f64, requiresGrad: true });
    // b: 1, then 0.9·1 + 0.5·1 = 1.4
    expectPath(trajectory(p, new SGD([p], { lr: 0.1, momentum: 0.9, dampening: 0.5 }), [[1], [1]]), [
      [0.9],
      [0.76],
    ]);
    const q = tensor([1], { ...f64, requiresGrad: true });
    // g = 1 + 0.5·1 = 1.5 → 0.85; g = 1 + 0.5·0.85 = 1.425 → 0.7075
    expectPath(trajectory(q, new SGD([q], { lr: 0.1, weightDecay: 0.5 }), [[1], [1]]), [[0.85], [0.7075]]);
  });

  it('refuses bad options at the call', () => {
    const p = tensor([1], { requiresGrad: true });
    expect(() => new SGD([p], { lr: -1 })).toThrow(/SGD: lr must be a finite number >= 0, got -1/);
    expect(() => new SGD([p], { nesterov: true })).toThrow(/nesterov needs momentum > 0 and dampening 0/);
    expect(() => new SGD([])).toThrow(/empty parameter list/);
    expect(() => new SGD([p, p])).toThrow(/parameter 1 appears twice/);
  });
});

describe('Adam and AdamW (PyTorch formulas, worked by hand)', () => {
  // Gradients 1, −2, 0.5 with lr 0.1, betas (0.9, 0.999), eps 1e-8. Step 1 moves by lr·g/(|g| + eps'), i.e.
  // 1 − 0.1/(1 + 1e-8); step 2: m = −0.11, v = 0.004999, m̂ = −0.11/0.19, v̂ = 0.004999/0.001999, and so on.
  const grads = [[1], [-2], [0.5]];

  it('Adam', () => {
    const p = tensor([1], { ...f64, requiresGrad: true });
    expectPath(trajectory(p, new Adam([p], { lr: 0.1 }), grads), [
      [0.900000001],
      [0.9366103534720749],
      [0.9502794196738216],
    ]);
  });

  it('Adam with weightDecay adds λ·θ to the gradient', () => {
    const p = tensor([1], { ...f64, requiresGrad: true });
    expectPath(trajectory(p, new Adam([p], { lr: 0.1, weightDecay: 0.1 }), grads), [
      [0.9000000009090909],
      [0.9310642948391922],
      [0.937642154937361],
    ]);
  });

  it('AdamW decays θ by (1 − lr·λ) before the Adam step', () => {
    const p = tensor([1], { ...f64, requiresGrad: true });
    // step 1: 1·(1 − 0.01) − 0.1/(1 + 1e-8)
    expectPath(trajectory(p, new AdamW([p], { lr: 0.1, weightDecay: 0.1 }), grads), [
      [0.890000001],
      [0.9177103534620747],
      [0.9222023161292007],
    ]);
    expect(new AdamW([p]).options.weightDecay).toBe(0.01);
  });

  it('AMSGrad divides by the largest second moment so far', () => {
    // v: 0.001, then 0.000999 + 0.000001·0 = 0.000999 < 0.001, so step 2 uses v = 0.001 over bc2 = 0.001999.
    const p = tensor([0], { ...f64, requiresGrad: true });
    const path = trajectory(p, new Adam([p], { lr: 0.1, amsgrad: true }), [[1], [0]]);
    const m2 = 0.09 / 0.19;
    expectPath(path, [
      [-0.1 / (1 + 1e-8)],
      [-0.1 / (1 + 1e-8) - (0.1 * m2) / (Math.sqrt(0.001 / 0.001999) + 1e-8)],
    ]);
  });

  it('refuses bad betas', () => {
    const p = tensor([1], { requiresGrad: true });
    expect(() => new Adam([p], { betas: [0.9, 1] })).toThrow(/betas must be two finite numbers in \[0, 1\)/);
  });
});

describe('Optimizer state', () => {
  it('skips a parameter without a gradient (its state does not advance) and zeroGrad clears grads', () => {
    const a = tensor([1], { ...f64, requiresGrad: true });
    const b = tensor([1], { ...f64, requiresGrad: true });
    const opt = new Adam([a, b], { lr: 0.1 });
    a.grad = tensor([1], f64);
    opt.step();
    expect(b.data[0]).toBe(1);
    expect(Object.keys(opt.stateDict().state)).toEqual(['0.step', '0.exp_avg', '0.exp_avg_sq']);
    opt.zeroGrad();
    expect(a.grad).toBeNull();
  });

  for (const make of [
    (p: Tensor[]) => new SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 }),
    (p: Tensor[]) => new Adam(p, { lr: 0.05, amsgrad: true }),
    (p: Tensor[]) => new AdamW(p, { lr: 0.05 }),
  ]) {
    it(`resumes exactly from stateDict (${make([tensor([0], { requiresGrad: true })]).type})`, () => {
      const grads = [
        [0.3, -1],
        [2, 0.1],
        [-0.5, 0.7],
        [1, 1],
      ];
      const straight = tensor([1, 2], { requiresGrad: true });
      const reference = trajectory(
        straight,
        make([straight]),
        grads.map((g) => g),
      );

      const first = tensor([1, 2], { requiresGrad: true });
      const opt = make([first]);
      trajectory(first, opt, grads.slice(0, 2));
      const saved = opt.stateDict();
      const resumed = first.clone().requireGrad();
      const opt2 = make([resumed]);
      opt2.lr = 123; // overwritten by the loaded options
      opt2.loadStateDict(saved);
      expect(opt2.lr).toBe(opt.lr);
      const rest = trajectory(resumed, opt2, grads.slice(2));
      expect(rest).toEqual(reference.slice(2));
    });
  }

  it('keeps its buffers as tensors of the parameter, created once and updated in place', () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const opt = new Adam([p], { lr: 0.1, amsgrad: true });
    p.grad = tensor([0.5, -0.5]);
    opt.step();
    const buffers = {
      ...(opt as unknown as { state: { buffers: Record<string, Tensor> }[] }).state[0].buffers,
    };
    expect(Object.keys(buffers)).toEqual(['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq']);
    for (const b of Object.values(buffers)) {
      expect([b.dtype, b.shape, b.requiresGrad]).toEqual(['float32', [2], false]);
    }
    const versions = Object.values(buffers).map((b) => b.version);
    opt.step();
    const after = (opt as unknown as { state: { buffers: Record<string, Tensor> }[] }).state[0].buffers;
    for (const [name, b] of Object.entries(after)) expect(b).toBe(buffers[name]);
    expect(Object.values(after).map((b) => b.version)).toEqual(versions.map((v) => v + 1));
    // stateDict() hands out copies: editing one does not touch the optimizer.
    const saved = opt.stateDict().state['0.exp_avg'];
    expect(saved).not.toBe(buffers.exp_avg);
    expect(saved.toArray()).toEqual(buffers.exp_avg.toArray());
  });

  it('refuses a state dict that does not fit, listing every problem, and changes nothing', () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const opt = new Adam([p], { lr: 0.1 });
    const before = JSON.stringify(opt.stateDict().options);
    const bad = {
      options: { lr: 1 },
      state: { '0.step': tensor(1), '0.exp_avg': tensor([1, 2, 3]), '5.exp_avg': tensor([1]) },
    };
    let message = '';
    try {
      opt.loadStateDict(bad);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/options are \{lr\}, expected \{amsgrad, betas, eps, lr, weightDecay\}/);
    expect(message).toMatch(/'0.exp_avg' has shape \[3\], expected \[2\]/);
    expect(message).toMatch(/unexpected key '5.exp_avg'/);
    expect(JSON.stringify(opt.stateDict().options)).toBe(before);
    const wrongType = { options: { ...opt.options, lr: '0.1', betas: [0.9] }, state: {} } as never;
    expect(() => opt.loadStateDict(wrongType)).toThrow(
      /option lr must be a finite number >= 0, got "0.1".*option betas must be two finite numbers in \[0, 1\), got \[0.9\]/,
    );
  });
});
