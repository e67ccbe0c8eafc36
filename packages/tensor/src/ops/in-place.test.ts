import { describe, expect, it } from 'vitest';
import { tensor, zeros, zerosLike } from '../creation';
import type { AdamStep, SgdStep } from '../device/device';
import { useFastKernels } from '../devices/cpu/kernel-set';
import { mul } from '../primitives/binary';
import { Rng } from '../random';
import { adamStep, assign, axpy, sgdStep } from './in-place';

const f64 = (v: number[] | number[][]) => tensor(v, { dtype: 'float64' });

describe('assign', () => {
  it('copies a tensor of the same shape and returns the target', () => {
    const t = zeros([2, 2]);
    const out = assign(
      t,
      tensor([
        [1, 2],
        [3, 4],
      ]),
    );
    expect(out).toBe(t);
    expect(t.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('broadcasts a source to the target shape, and fills a number', () => {
    const t = zeros([2, 3], { dtype: 'float64' });
    assign(t, f64([1, 2, 3]));
    expect(t.toArray()).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
    assign(t, f64([[5], [6]]));
    expect(t.toArray()).toEqual([
      [5, 5, 5],
      [6, 6, 6],
    ]);
    assign(t, Number.NaN);
    expect(Array.from(t.storage).every(Number.isNaN)).toBe(true);
  });

  it("converts to the target's dtype, rounding to nearest", () => {
    const t = zeros([2]);
    assign(t, f64([0.1, 1e-50]));
    expect(Array.from(t.storage)).toEqual([Math.fround(0.1), 0]);
    expect(t.dtype).toBe('float32');
    const wide = zeros([1], { dtype: 'float64' });
    assign(wide, tensor([0.1]));
    expect(wide.item()).toBe(Math.fround(0.1));
  });

  it('bumps the version once, so a backward pass that saved the target throws', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const y = mul(w, w).sum();
    const before = w.version;
    assign(w, tensor([3, 4]));
    expect(w.version).toBe(before + 1);
    expect(() => y.backward()).toThrow(/input 0 of 'mul' .* was modified in place/);
  });

  it('refuses a non-leaf that requires grad, a bad source and a shape that does not broadcast', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    expect(() => assign(mul(w, 2), tensor([0, 0]))).toThrow(
      /^assign: target is the output of 'mul' and requires grad/,
    );
    expect(() => assign([1, 2] as never, 0)).toThrow(/^assign: target must be a Tensor, got an array/);
    expect(() => assign(zeros([2]), [1, 2] as never)).toThrow(
      /^assign: source must be a Tensor, got an array/,
    );
    expect(() => assign(zeros([2]), tensor([1, 2, 3]))).toThrow(
      /^assign: shapes \[3\] and \[2\] cannot be broadcast/,
    );
    expect(() => assign(zeros([2]), tensor([[1, 2]]))).toThrow(
      /^assign: source of shape \[1, 2\] does not broadcast to target's shape \[2\] \(it would give \[1, 2\]\)/,
    );
    const gone = tensor([1, 2]);
    gone.dispose();
    expect(() => assign(zeros([2]), gone)).toThrow('assign: source was disposed');
    expect(() => assign(gone, 0)).toThrow('assign: target was disposed');
  });

  it('writes into a leaf that requires grad (a parameter), outside the graph', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    assign(w, tensor([5, 6], { requiresGrad: true }));
    expect(w.toArray()).toEqual([5, 6]);
    expect(w.isLeaf).toBe(true);
  });
});

describe('axpy', () => {
  it('float32: y += alpha·x with float32 rounding of alpha, the product and the sum, on both kernel sets', () => {
    const rng = new Rng(3);
    const x = tensor(Float32Array.from({ length: 37 }, () => rng.normal()));
    const y0 = Float32Array.from({ length: 37 }, () => rng.normal());
    const want = y0.map((v, i) => Math.fround(v + Math.fround(Math.fround(-0.037) * x.storage[i])));
    for (const fast of [true, false]) {
      const previous = useFastKernels(fast);
      try {
        const y = tensor(y0.slice());
        axpy(-0.037, x, y);
        expect(y.storage).toEqual(want);
      } finally {
        useFastKernels(previous);
      }
    }
  });

  it('float64 computes in float64 and bumps the version of y once (not of x)', () => {
    const x = f64([1, 0.1]);
    const y = f64([2, 0.2]);
    const [vx, vy] = [x.version, y.version];
    axpy(0.3, x, y);
    expect(Array.from(y.storage)).toEqual([2 + 0.3 * 1, 0.2 + 0.3 * 0.1]);
    expect(x.toArray()).toEqual([1, 0.1]);
    expect([x.version, y.version]).toEqual([vx, vy + 1]);
  });

  it('refuses typed arrays, other dtypes and other shapes, naming the argument', () => {
    expect(() => axpy(1, new Float32Array(2) as never, zeros([2]))).toThrow(
      /^axpy: x must be a Tensor, got a Float32Array\(2\)/,
    );
    expect(() => axpy(1, zeros([2]), f64([0, 0]))).toThrow(
      'axpy: x must have the dtype and shape of y (float64 [2]), got float32 [2]',
    );
    expect(() => axpy(1, zeros([3]), zeros([2]))).toThrow(
      'axpy: x must have the dtype and shape of y (float32 [2]), got float32 [3]',
    );
    expect(() => axpy('1' as never, zeros([2]), zeros([2]))).toThrow(/^axpy: alpha must be a number/);
  });
});

const sgd = (h: Partial<SgdStep> = {}): SgdStep => ({
  lr: 0.1,
  momentum: 0,
  dampening: 0,
  weightDecay: 0,
  nesterov: false,
  firstStep: true,
  ...h,
});

describe('sgdStep', () => {
  it('plain SGD rounds as axpy does', () => {
    const p = tensor([1, 2]);
    const q = tensor([1, 2]);
    sgdStep(p, tensor([0.3, -0.7]), null, sgd({ lr: 0.01 }));
    axpy(-0.01, tensor([0.3, -0.7]), q);
    expect(p.storage).toEqual(q.storage);
  });

  it('momentum, dampening, weight decay and Nesterov follow PyTorch’s rule (float64, by hand)', () => {
    const p = f64([1, -2]);
    const buf = zerosLike(p);
    const g = f64([0.5, 0.25]);
    const h = { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0.01, nesterov: true };
    sgdStep(p, g, buf, sgd({ ...h, firstStep: true }));
    const g1 = [0.5 + 0.01 * 1, 0.25 + 0.01 * -2];
    const p1 = [1 - 0.1 * (g1[0] + 0.9 * g1[0]), -2 - 0.1 * (g1[1] + 0.9 * g1[1])];
    expect(Array.from(buf.storage)).toEqual(g1);
    expect(Array.from(p.storage)).toEqual(p1);
    sgdStep(p, g, buf, sgd({ ...h, nesterov: false, dampening: 0.5, firstStep: false }));
    const g2 = [0.5 + 0.01 * p1[0], 0.25 + 0.01 * p1[1]];
    const b2 = [0.9 * g1[0] + 0.5 * g2[0], 0.9 * g1[1] + 0.5 * g2[1]];
    expect(Array.from(buf.storage)).toEqual(b2);
    expect(Array.from(p.storage)).toEqual([p1[0] - 0.1 * b2[0], p1[1] - 0.1 * b2[1]]);
  });

  it('weight decay without momentum; declares the writes on param and buffer', () => {
    const p = f64([1]);
    sgdStep(p, f64([0.5]), null, sgd({ weightDecay: 0.1 }));
    expect(p.item()).toBe(1 - 0.1 * (0.5 + 0.1 * 1));
    const buf = zerosLike(p);
    const [vp, vb] = [p.version, buf.version];
    sgdStep(p, f64([0.5]), buf, sgd({ momentum: 0.9 }));
    expect([p.version, buf.version]).toEqual([vp + 1, vb + 1]);
  });

  it('errors: a missing buffer, a grad of another shape, bad hyper-parameters', () => {
    expect(() => sgdStep(zeros([2]), zeros([2]), null, sgd({ momentum: 0.9 }))).toThrow(
      'sgdStep: h.momentum is 0.9, so a momentumBuffer tensor is needed, got null',
    );
    expect(() => sgdStep(zeros([2]), zeros([3]), null, sgd())).toThrow(
      'sgdStep: grad must have the dtype and shape of param (float32 [2]), got float32 [3]',
    );
    expect(() => sgdStep(zeros([2]), zeros([2]), f64([0, 0]), sgd({ momentum: 0.9 }))).toThrow(
      'sgdStep: momentumBuffer must have the dtype and shape of param (float32 [2]), got float64 [2]',
    );
    expect(() => sgdStep(zeros([2]), zeros([2]), null, { ...sgd(), lr: '1' } as never)).toThrow(
      'sgdStep: h.lr must be a number, got the string "1"',
    );
    expect(() => sgdStep(zeros([2]), zeros([2]), null, { ...sgd(), nesterov: 1 } as never)).toThrow(
      'sgdStep: h.nesterov must be true or false, got the number 1',
    );
  });
});

const adam = (h: Partial<AdamStep> = {}): AdamStep => ({
  lr: 0.01,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  weightDecay: 0,
  decoupled: false,
  step: 1,
  ...h,
});

describe('adamStep', () => {
  /** The rule in plain numbers (float64), one step per gradient. */
  function reference(p0: number, grads: readonly number[], h: AdamStep, amsgrad: boolean) {
    let [p, m, v, vMax] = [p0, 0, 0, 0];
    grads.forEach((g0, i) => {
      const t = i + 1;
      const shrink = h.decoupled ? 1 - h.lr * h.weightDecay : 1;
      const g = g0 + (h.decoupled ? 0 : h.weightDecay) * p;
      m = h.beta1 * m + (1 - h.beta1) * g;
      v = h.beta2 * v + (1 - h.beta2) * g * g;
      vMax = amsgrad ? Math.max(vMax, v) : v;
      const denominator = Math.sqrt(vMax) / Math.sqrt(1 - h.beta2 ** t) + h.eps;
      p = p * shrink - ((h.lr / (1 - h.beta1 ** t)) * m) / denominator;
    });
    return { p, m, v, vMax };
  }

  for (const [name, h, amsgrad] of [
    ['Adam', adam({ weightDecay: 0.1 }), false],
    ['AdamW', adam({ weightDecay: 0.1, decoupled: true }), false],
    ['AMSGrad', adam(), true],
  ] as const) {
    it(`${name}: three steps in float64 equal the rule computed by hand`, () => {
      const grads = [0.4, -0.3, 0.4];
      const p = f64([0.7]);
      const [m, v] = [zerosLike(p), zerosLike(p)];
      const vMax = amsgrad ? zerosLike(p) : null;
      grads.forEach((g, i) => {
        adamStep(p, f64([g]), m, v, vMax, { ...h, step: i + 1 });
      });
      const want = reference(0.7, grads, h, amsgrad);
      expect([p.item(), m.item(), v.item()]).toEqual([want.p, want.m, want.v]);
      if (vMax !== null) expect(vMax.item()).toBe(want.vMax);
    });
  }

  it('a constant gradient moves the parameter by about lr per step', () => {
    const p = f64([1]);
    const [m, v] = [zerosLike(p), zerosLike(p)];
    for (let t = 1; t <= 5; t++) adamStep(p, f64([2]), m, v, null, adam({ step: t }));
    expect(p.item()).toBeCloseTo(1 - 5 * 0.01, 6);
  });

  it('float32 tensors are updated in float32 storage; every write is declared', () => {
    const p = tensor([1, 2]);
    const [m, v, vMax] = [zerosLike(p), zerosLike(p), zerosLike(p)];
    const versions = [p, m, v, vMax].map((t) => t.version);
    adamStep(p, tensor([0.1, -0.1]), m, v, vMax, adam());
    expect([p, m, v, vMax].map((t) => t.version)).toEqual(versions.map((n) => n + 1));
    expect(p.dtype).toBe('float32');
    expect(Array.from(p.storage)).toEqual([Math.fround(1 - 0.01), Math.fround(2 + 0.01)]);
  });

  it('errors: moments of another dtype, a bad step number', () => {
    expect(() => adamStep(zeros([2]), zeros([2]), f64([0, 0]), zeros([2]), null, adam())).toThrow(
      'adamStep: m must have the dtype and shape of param (float32 [2]), got float64 [2]',
    );
    expect(() => adamStep(zeros([2]), zeros([2]), zeros([2]), zeros([1]), null, adam())).toThrow(
      'adamStep: v must have the dtype and shape of param (float32 [2]), got float32 [1]',
    );
    expect(() => adamStep(zeros([2]), zeros([2]), zeros([2]), zeros([2]), null, adam({ step: 0 }))).toThrow(
      'adamStep: h.step is the step number and must be an integer >= 1, got 0',
    );
  });
});
