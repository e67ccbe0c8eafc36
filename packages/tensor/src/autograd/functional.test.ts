import { describe, expect, it } from 'vitest';
import {
  add,
  clamp,
  customOp,
  enableGrad,
  exp,
  grad,
  gradients,
  mul,
  noGrad,
  Rng,
  randn,
  sigmoid,
  sub,
  sum,
  type Tensor,
  tanh,
  tensor,
  valueAndGrad,
} from '../index';
import { expectClose, gradcheck } from '../testing';

const f64 = { dtype: 'float64' } as const;

describe('grad and valueAndGrad', () => {
  it('grad(f) returns ∂f/∂x and leaves the argument untouched', () => {
    const x = tensor([1, -2, 0.5], f64);
    const g = grad((t) => sum(mul(t, t)))(x);
    expectClose(g, [2, -4, 1]);
    expect(g.requiresGrad).toBe(false);
    expect(x.requiresGrad).toBe(false);
    expect(x.grad).toBeNull();
  });

  it('grad does not touch the .grad of a leaf that requires grad', () => {
    const w = tensor([3], { dtype: 'float64', requiresGrad: true });
    const g = grad((t) => sum(mul(t, t)))(w);
    expectClose(g, [6]);
    expect(w.grad).toBeNull();
  });

  it('grad is a function transform: it works inside an outer noGrad (like torch.func.grad)', () => {
    const x = tensor([1, -2], f64);
    const [value, g] = noGrad(() => valueAndGrad((t) => sum(mul(t, t)))(x));
    expect(value.item()).toBe(5);
    expectClose(g, [2, -4]);
    expect(g.requiresGrad).toBe(false);
  });

  it('valueAndGrad returns the value (detached) and the gradient', () => {
    const x = tensor([0.2, 1.5], f64);
    const [value, g] = valueAndGrad((t) => sum(exp(t)))(x);
    expect(value.item()).toBeCloseTo(Math.exp(0.2) + Math.exp(1.5), 12);
    expect(value.requiresGrad).toBe(false);
    expectClose(g, [Math.exp(0.2), Math.exp(1.5)], { rtol: 1e-12 });
  });

  it('argnums picks one argument or several: f(a, b) = Σ a·b²', () => {
    const a = tensor([1, 2], f64);
    const b = tensor([3, -1], f64);
    const f = (p: Tensor, q: Tensor) => sum(mul(p, mul(q, q)));
    expectClose(grad(f, { argnums: 1 })(a, b), [6, -4]); // 2ab
    const [value, gs] = valueAndGrad(f, { argnums: [0, 1] })(a, b);
    expect(value.item()).toBe(9 + 2);
    expect(gs).toHaveLength(2);
    expectClose(gs[0], [9, 1]); // b²
    expectClose(gs[1], [6, -4]);
    // Only the differentiated argument becomes a leaf; the other is a constant.
    expect(b.requiresGrad).toBe(false);
  });

  it('nested grad gives higher derivatives: (d/dx)³ eˣ = eˣ and (d/dx)³ tanh', () => {
    const x = tensor(0.3, f64);
    const d3exp = grad(grad(grad((t) => exp(mul(t, 2)))));
    expect(d3exp(x).item()).toBeCloseTo(8 * Math.exp(0.6), 12);
    const t = Math.tanh(0.3);
    const d1 = grad((u) => tanh(u));
    const d2 = grad(d1);
    const d3 = grad(d2);
    expect(d1(x).item()).toBeCloseTo(1 - t * t, 14);
    expect(d2(x).item()).toBeCloseTo(-2 * t * (1 - t * t), 14);
    expect(d3(x).item()).toBeCloseTo((1 - t * t) * (6 * t * t - 2), 14);
  });

  it('grad of a function whose output does not depend on the argument says so', () => {
    const x = tensor([1, 2], f64);
    expect(() => grad(() => tensor(1))(x)).toThrow(/does not depend on argument 0/);
    const w = tensor([4], { dtype: 'float64', requiresGrad: true });
    // The output depends on another tensor that requires grad, but not on argument 1.
    expect(() => grad((p: Tensor, _q: Tensor) => sum(mul(p, w)), { argnums: [0, 1] })(x, x)).toThrow(
      /does not depend on argument 1/,
    );
    expect(() => grad((p: Tensor, _q: Tensor) => sum(mul(p, w)), { argnums: 1 })(x, x)).toThrow(
      /does not depend on argument 1/,
    );
  });

  it('grad rejects a non-scalar output and a non-tensor argument', () => {
    const x = tensor([1, 2], f64);
    expect(() => grad((t) => mul(t, 2))(x)).toThrow(/must return a scalar Tensor, got shape \[2\]/);
    expect(() => grad((t) => sum(t))(3 as unknown as Tensor)).toThrow(/argument 0 must be a Tensor/);
  });
});

describe('gradients', () => {
  it('uses gradOutputs as the upstream gradient of a non-scalar output', () => {
    const x = tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
    const y = mul(x, x);
    const v = tensor([1, -1, 0.5], f64);
    const [gx] = gradients([y], [x], { gradOutputs: [v] });
    expectClose(gx as Tensor, [2, -4, 3]);
    expect(x.grad).toBeNull(); // gradients() never accumulates into .grad
  });

  it('gradOutputs must match each output shape exactly (no silent broadcasting)', () => {
    const x = tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
    const y = mul(x, x);
    expect(() => gradients([y], [x], { gradOutputs: [tensor([5], f64)], retainGraph: true })).toThrow(
      "gradients: gradOutputs[0] must be a Tensor of output 0's shape [3], got shape [1]",
    );
    expect(() => gradients([y], [x], { gradOutputs: [2 as unknown as Tensor] })).toThrow(/got number/);
  });

  it('sums over several outputs', () => {
    const x = tensor([2], { dtype: 'float64', requiresGrad: true });
    const [gx] = gradients([sum(mul(x, x)), sum(mul(x, 3))], [x]);
    expectClose(gx as Tensor, [4 + 3]);
  });

  it('errors: non-scalar output without gradOutputs, input without requiresGrad', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    expect(() => gradients([mul(x, 2)], [x])).toThrow(/output 0 has shape \[2\]; pass gradOutputs/);
    const c = tensor([1], f64);
    expect(() => gradients([sum(mul(x, 2))], [c])).toThrow(/input 0 does not require grad/);
  });

  it('a second call through the same graph needs retainGraph', () => {
    const x = tensor([1.5], { dtype: 'float64', requiresGrad: true });
    const y = sum(tanh(x));
    const [g1] = gradients([y], [x], { retainGraph: true });
    const [g2] = gradients([y], [x]);
    expectClose(g2 as Tensor, g1 as Tensor);
    expect(() => gradients([y], [x])).toThrow(/already freed/);
  });
});

/** swish(x) = x·σ(x), as a fused op with a hand-written VJP: σ + x·σ·(1 − σ), in tensor ops. */
const swish = customOp({
  name: 'swish',
  forward: (x) => mul(x, sigmoid(x)),
  backward: (g, { inputs: [x] }) => {
    const s = sigmoid(x);
    return [mul(g, add(s, mul(mul(x, s), sub(1, s))))];
  },
});

const sigma = (v: number) => 1 / (1 + Math.exp(-v));

describe('customOp', () => {
  it('a fused swish: forward values and a VJP that passes gradcheck', () => {
    const xs = [-3, -0.5, 0, 0.7, 4];
    const x = tensor(xs, { dtype: 'float64', requiresGrad: true });
    const y = swish(x);
    expectClose(
      y,
      xs.map((v) => v * sigma(v)),
      { rtol: 1e-12 },
    );
    expect(y.requiresGrad).toBe(true);
    const result = gradcheck(swish, [x]);
    expect(result.ok).toBe(true);
    expect(result.worst?.error).toBeLessThan(1);
    const rng = new Rng(3);
    gradcheck(swish, [randn([4, 3], { rng, dtype: 'float64', requiresGrad: true })]);
  });

  it('second order through a customOp whose backward is written in tensor ops', () => {
    const xs = [-1.2, 0.7, 2];
    const x = tensor(xs, { dtype: 'float64', requiresGrad: true });
    const [g] = gradients([sum(swish(x))], [x], { createGraph: true });
    expect((g as Tensor).requiresGrad).toBe(true);
    const [h] = gradients([sum(g as Tensor)], [x]);
    // swish'' = 2σ(1 − σ) + x·σ(1 − σ)(1 − 2σ)
    expectClose(
      h as Tensor,
      xs.map((v) => {
        const s = sigma(v);
        return 2 * s * (1 - s) + v * s * (1 - s) * (1 - 2 * s);
      }),
      { rtol: 1e-12 },
    );
    // And numerically: gradcheck of the first-derivative function. gradcheck evaluates its finite
    // differences under noGrad, so a function that differentiates inside must switch recording back on.
    const firstDerivative = (t: Tensor) =>
      enableGrad(() => gradients([sum(swish(t))], [t], { createGraph: true })[0] as Tensor);
    expect(gradcheck(firstDerivative, [x]).ok).toBe(true);
    // grad() nests through it as well.
    expect(grad(grad((t) => swish(t)))(tensor(0.7, f64)).item()).toBeCloseTo(
      2 * sigma(0.7) * (1 - sigma(0.7)) + 0.7 * sigma(0.7) * (1 - sigma(0.7)) * (1 - 2 * sigma(0.7)),
      12,
    );
  });

  it('a clipped-gradient identity: forward is the input, backward clips the gradient to [−1, 1]', () => {
    const clipGrad = customOp({
      name: 'clipGrad',
      forward: (x) => x,
      backward: (g) => [clamp(g, -1, 1)],
    });
    const x = tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
    const y = clipGrad(x);
    expect(y).not.toBe(x); // a new node, not the input itself
    expect(x.isLeaf).toBe(true);
    expect(y.toArray()).toEqual([1, 2, 3]);
    y.backward(tensor([-5, 0.25, 7], f64));
    expectClose(x.grad as Tensor, [-1, 0.25, 1]);
  });

  it('a two-input customOp may return gradients in the broadcast shape (the engine sums them back)', () => {
    const scaledAdd = customOp({
      name: 'scaledAdd',
      forward: (a, b) => add(a, mul(b, 2)),
      backward: (g) => [g, mul(g, 2)],
    });
    const rng = new Rng(11);
    const a = randn([3, 4], { rng, dtype: 'float64', requiresGrad: true });
    const b = randn([4], { rng, dtype: 'float64', requiresGrad: true });
    expect(gradcheck(scaledAdd, [a, b]).ok).toBe(true);
    sum(scaledAdd(a, b)).backward();
    expectClose(b.grad as Tensor, [6, 6, 6, 6]);
  });

  it('records nothing under noGrad', () => {
    const x = tensor([1], { dtype: 'float64', requiresGrad: true });
    const y = noGrad(() => swish(x));
    expect(y.requiresGrad).toBe(false);
    expect(y.isLeaf).toBe(true);
  });

  it('errors name the op: wrong gradient count, non-tensor forward result, non-tensor input', () => {
    const x = tensor([1], { dtype: 'float64', requiresGrad: true });
    const twoGrads = customOp({ name: 'twoGrads', forward: (t) => mul(t, 1), backward: (g) => [g, g] });
    expect(() => sum(twoGrads(x)).backward()).toThrow(/twoGrads: backward must return one gradient.*1/);
    const badForward = customOp({
      name: 'badForward',
      forward: () => 3 as unknown as Tensor,
      backward: (g) => [g],
    });
    expect(() => badForward(x)).toThrow(/badForward: forward must return a Tensor/);
    expect(() => swish([1] as unknown as Tensor)).toThrow(/swish: input 0 must be a Tensor/);
  });
});
