import { describe, expect, it } from 'vitest';
import {
  add,
  customOp,
  div,
  enableGrad,
  exp,
  gradients,
  isGradEnabled,
  log,
  matmul,
  mul,
  noGrad,
  ones,
  Rng,
  randn,
  reshape,
  selu,
  storagePoolStats,
  sub,
  sum,
  type Tensor,
  tanh,
  tensor,
} from '../index';
import { expectClose } from '../testing';

const f64 = { dtype: 'float64', requiresGrad: true } as const;

describe('engine: nodes used more than once', () => {
  it('x*x gives 2x (both inputs of one node are the same leaf)', () => {
    const x = tensor([1.5, -2, 3], f64);
    mul(x, x).sum().backward();
    expectClose(x.grad as Tensor, [3, -4, 6]);
  });

  it('x+x gives 2 everywhere', () => {
    const x = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      f64,
    );
    add(x, x).sum().backward();
    expectClose(x.grad as Tensor, [
      [2, 2],
      [2, 2],
    ]);
  });

  it('a diamond sums both paths: c = (2x)·exp(x) → dc/dx = 2eˣ + 2x·eˣ', () => {
    const x = tensor([0.5, -1, 2], f64);
    const a = mul(x, 2);
    const b = exp(x);
    mul(a, b).sum().backward();
    expectClose(
      x.grad as Tensor,
      [0.5, -1, 2].map((v) => 2 * Math.exp(v) + 2 * v * Math.exp(v)),
      { rtol: 1e-12 },
    );
  });

  it('a diamond through an intermediate node used by two consumers: y = x², z = y·y + 3y', () => {
    const x = tensor([1, -2], f64);
    const y = mul(x, x);
    add(mul(y, y), mul(y, 3)).sum().backward();
    // dz/dx = (2y + 3)·2x = 4x³ + 6x
    expectClose(x.grad as Tensor, [4 + 6, -32 - 12]);
  });
});

describe('engine: broadcast gradients are summed back to each input shape', () => {
  it('[3,1] + [1,4] with a non-uniform upstream gradient', () => {
    const a = tensor([[1], [2], [3]], f64);
    const b = tensor([[10, 20, 30, 40]], f64);
    const out = add(a, b);
    expect(out.shape).toEqual([3, 4]);
    const g = tensor(
      [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
        [9, 10, 11, 12],
      ],
      { dtype: 'float64' },
    );
    out.backward(g);
    expect(a.grad?.shape).toEqual([3, 1]);
    expect(b.grad?.shape).toEqual([1, 4]);
    expectClose(a.grad as Tensor, [[10], [26], [42]]);
    expectClose(b.grad as Tensor, [[15, 18, 21, 24]]);
  });

  it('[3,1] · [1,4]: each input gets the other summed over the broadcast axis', () => {
    const a = tensor([[1], [2], [3]], f64);
    const b = tensor([[1, -1, 2, 0.5]], f64);
    mul(a, b).sum().backward();
    expectClose(a.grad as Tensor, [[2.5], [2.5], [2.5]]);
    expectClose(b.grad as Tensor, [[6, 6, 6, 6]]);
  });

  it('a bias [4] added to [2,3,4] gets the sum over the two leading axes', () => {
    const x = tensor(
      Float64Array.from({ length: 24 }, (_, i) => i),
      { shape: [2, 3, 4] },
    );
    const bias = tensor([0, 0, 0, 0], f64);
    const w = tensor(
      Float64Array.from({ length: 24 }, (_, i) => (i % 5) - 2),
      { shape: [2, 3, 4] },
    );
    mul(add(x, bias), w).sum().backward();
    const expected = [0, 1, 2, 3].map((j) => {
      let s = 0;
      for (let i = j; i < 24; i += 4) s += (i % 5) - 2;
      return s;
    });
    expect(bias.grad?.shape).toEqual([4]);
    expectClose(bias.grad as Tensor, expected);
    expect(x.grad).toBeNull(); // x does not require grad
  });

  it('a scalar (0-d) leaf broadcast against a matrix gets the total', () => {
    const s = tensor(2, f64);
    const m = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'float64' },
    );
    mul(m, s).sum().backward();
    expect(s.grad?.shape).toEqual([]);
    expect(s.grad?.item()).toBe(10);
  });
});

describe('engine: unused inputs and non-leaf tensors', () => {
  it('a leaf that the output does not depend on keeps grad null', () => {
    const x = tensor([1, 2], f64);
    const unused = tensor([3, 4], f64);
    mul(x, 3).sum().backward();
    expectClose(x.grad as Tensor, [3, 3]);
    expect(unused.grad).toBeNull();
  });

  it('an input without requiresGrad gets no gradient even when used', () => {
    const x = tensor([1, 2], f64);
    const c = tensor([5, 7], { dtype: 'float64' });
    mul(x, c).sum().backward();
    expectClose(x.grad as Tensor, [5, 7]);
    expect(c.grad).toBeNull();
  });

  it('gradients() on an unused input throws, or returns null with allowUnused', () => {
    const x = tensor([1, 2], f64);
    const unused = tensor([3], f64);
    const y = mul(x, x).sum();
    expect(() => gradients([y], [x, unused], { retainGraph: true })).toThrow(
      /does not depend on input 1.*allowUnused/,
    );
    const [gx, gu] = gradients([y], [x, unused], { allowUnused: true });
    expectClose(gx as Tensor, [2, 4]);
    expect(gu).toBeNull();
  });

  it('intermediate tensors get no .grad (only leaves accumulate)', () => {
    const x = tensor([1, 2], f64);
    const y = mul(x, 2);
    y.sum().backward();
    expect(y.isLeaf).toBe(false);
    expect(y.grad).toBeNull();
    expect(() => y.requireGrad(false)).toThrow(/only leaf tensors/);
  });
});

describe('engine: accumulation into .grad', () => {
  it('two backward() calls add up', () => {
    const x = tensor([1, -3], f64);
    mul(x, x).sum().backward();
    expectClose(x.grad as Tensor, [2, -6]);
    mul(x, 5).sum().backward();
    expectClose(x.grad as Tensor, [7, -1]);
  });

  it('leaves never share gradient storage with each other or with the caller', () => {
    const a = tensor([1, 2, 3], f64);
    const b = tensor([4, 5, 6], f64);
    add(a, b).sum().backward(); // add's VJP hands the same gradient to both inputs
    expect(a.grad?.data).not.toBe(b.grad?.data);
    (a.grad as Tensor).data[0] = 100; // e.g. an in-place gradient edit by an optimizer
    expectClose(b.grad as Tensor, [1, 1, 1]);

    const leaf = tensor([1, 2], f64);
    const seed = tensor([5, 6], { dtype: 'float64' });
    leaf.backward(seed);
    expect(leaf.grad?.data).not.toBe(seed.data);
    (leaf.grad as Tensor).data[0] = 0;
    expect(seed.toArray()).toEqual([5, 6]);
  });

  it('a gradient a VJP just made is kept as .grad without a copy, and still never shared', () => {
    const f32 = { requiresGrad: true } as const;
    // matmul's gradients are new products: adopted. Through add they reach two leaves: copied for one.
    const w = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      f32,
    );
    const a = tensor([1, -1], f32);
    const b = tensor([0.5, 2], f32);
    const h = selu(add(a, b)).reshape([1, 2]);
    matmul(h, w).sum().backward();
    expect(a.grad?.data).not.toBe(b.grad?.data);
    expectClose(a.grad as Tensor, b.grad as Tensor);
    const before = (b.grad as Tensor).toArray();
    (a.grad as Tensor).data.fill(0);
    expect((b.grad as Tensor).toArray()).toEqual(before);

    // An adopted .grad handed back as a seed is copied, not aliased, by the next backward.
    const x = tensor([1, 2], f32);
    x.backward(w.grad?.sum(0));
    expect(x.grad?.data).not.toBe(w.grad?.data);

    // A second backward() adds into an adopted .grad without touching the first one's storage.
    const first = w.grad as Tensor;
    const snapshot = first.toArray();
    matmul(h.detach(), w).sum().backward();
    expect(first.toArray()).toEqual(snapshot);
    expectClose(w.grad as Tensor, mul(first, 2));
  });

  it('selu can be differentiated again through a retained graph, then says the graph is freed', () => {
    const x = tensor([-2, -0.5, 0.5, 3], { requiresGrad: true });
    const y = selu(x);
    const g = tensor([1, 2, 3, 4]);
    y.backward(g, { retainGraph: true });
    const once = (x.grad as Tensor).toArray() as number[];
    y.backward(g);
    expectClose(
      x.grad as Tensor,
      once.map((v) => 2 * v),
    );
    expect(() => y.backward(g)).toThrow(/already freed/);
  });
});

describe('engine: consumed gradients go back to the storage pool', () => {
  const N = 1 << 15; // above POOL_MIN_ELEMENTS, so the pool takes them
  const deep = (x: Tensor) => {
    let h = x;
    for (let i = 0; i < 6; i++) h = selu(mul(h, 0.9));
    return h;
  };

  it('a chain returns each intermediate gradient once it is consumed, with the same gradients', () => {
    const x = randn([N], { rng: new Rng(1), requiresGrad: true });
    const y = deep(x);
    const before = storagePoolStats();
    y.backward(ones([N]));
    const after = storagePoolStats();
    // 12 VJPs: selu's and mul's gradients, all but the last (x.grad) given back after use
    expect(after.returned - before.returned).toBeGreaterThanOrEqual(10);
    const x64 = tensor(Array.from(x.data), { dtype: 'float64', requiresGrad: true });
    deep(x64).backward(ones([N], { dtype: 'float64' }));
    expectClose(x.grad as Tensor, Array.from((x64.grad as Tensor).data), { atol: 1e-5, rtol: 1e-4 });
    expect(x.grad?.isDisposed).toBe(false);
  });

  it('one gradient feeding several inputs is kept until the last consumer ([g, g] of add, reshape views)', () => {
    const x = randn([N], { rng: new Rng(2), requiresGrad: true });
    const a = selu(x);
    const b = exp(mul(x, 0.5));
    const c = add(a, b); // its VJP hands the same tensor to a's and b's nodes
    const d = add(reshape(c, [2, N / 2]), reshape(c, [2, N / 2])); // two views of one gradient
    d.backward(ones([2, N / 2]));
    const xs = Array.from(x.data);
    const selu1 = (v: number) =>
      v > 0 ? 1.0507009873554805 : 1.0507009873554805 * 1.6732632423543772 * Math.exp(v);
    expectClose(
      x.grad as Tensor,
      xs.map((v) => 2 * (selu1(v) + 0.5 * Math.exp(0.5 * v))),
      { rtol: 1e-5, atol: 1e-6 },
    );
  });

  it('a gradient added into an existing .grad is given back; the .grad and the caller’s seed are not', () => {
    const x = randn([N], { rng: new Rng(3), requiresGrad: true });
    const seed = ones([N]);
    selu(x).backward(seed);
    const first = (x.grad as Tensor).data.slice();
    selu(x).backward(seed);
    expect(x.grad?.isDisposed).toBe(false);
    expect(seed.isDisposed).toBe(false);
    expectClose(
      x.grad as Tensor,
      Array.from(first, (v) => 2 * v),
      { rtol: 1e-6 },
    );
  });

  it('nothing is disposed while recording (createGraph): the second derivative still works', () => {
    const x = tensor([0.3, -0.7, 1.2], f64);
    const [g] = gradients([sum(selu(selu(x)))], [x], { createGraph: true });
    const [h] = gradients([sum(g as Tensor)], [x]);
    expect(g?.isDisposed).toBe(false);
    expect(h?.isDisposed).toBe(false);
    // d²/dx² of selu(selu(x)), by central differences of the first derivative
    const d1 = (v: number) => {
      const xv = tensor([v], f64);
      const [gv] = gradients([sum(selu(selu(xv)))], [xv]);
      return (gv as Tensor).data[0];
    };
    const fd = [0.3, -0.7, 1.2].map((v) => (d1(v + 1e-5) - d1(v - 1e-5)) / 2e-5);
    expectClose(h as Tensor, fd, { atol: 1e-6, rtol: 1e-5 });
  });
});

describe('engine: noGrad, enableGrad and detach', () => {
  it('noGrad records no graph and returns the value', () => {
    const x = tensor([1, 2], f64);
    const y = noGrad(() => mul(x, 3));
    expect(y.requiresGrad).toBe(false);
    expect(y.isLeaf).toBe(true);
    expect(y.toArray()).toEqual([3, 6]);
    expect(() => y.sum().backward()).toThrow(/does not require grad/);
    expect(isGradEnabled()).toBe(true);
  });

  it('noGrad restores the previous mode after a throw, and nests with enableGrad', () => {
    expect(() =>
      noGrad(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
    const x = tensor([2], f64);
    const inner = noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      const r = enableGrad(() => mul(x, x));
      expect(isGradEnabled()).toBe(false);
      return r;
    });
    expect(inner.requiresGrad).toBe(true);
    inner.sum().backward();
    expectClose(x.grad as Tensor, [4]);
  });

  it('noGrad rejects an async function with a clear error and restores the mode', () => {
    expect(() => noGrad(async () => 1)).toThrow(/must be synchronous/);
    expect(isGradEnabled()).toBe(true);
  });

  it('detach shares storage and is cut from the graph', () => {
    const x = tensor([1, 2, 3], f64);
    const y = mul(x, 2);
    const d = y.detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.isLeaf).toBe(true);
    expect(d.data).toBe(y.data);
    d.data[0] = 42;
    expect(y.data[0]).toBe(42);
    // x · detach(x): only the first factor is differentiated → gradient x, not 2x.
    const x2 = tensor([1.5, -2], f64);
    mul(x2, x2.detach()).sum().backward();
    expectClose(x2.grad as Tensor, [1.5, -2]);
  });
});

describe('engine: retainGraph', () => {
  it('a second backward through the same graph works with retainGraph and accumulates', () => {
    const x = tensor([2], f64);
    const y = mul(mul(x, x), x).sum(); // x³ → 3x² = 12
    y.backward(undefined, { retainGraph: true });
    expectClose(x.grad as Tensor, [12]);
    y.backward();
    expectClose(x.grad as Tensor, [24]);
  });

  it('without retainGraph the second backward fails with an "already freed" error naming the op', () => {
    const x = tensor([2], f64);
    const y = tanh(mul(x, x)).sum();
    y.backward();
    expect(() => y.backward()).toThrow(/'sum' was already freed.*retainGraph: true/);
    expect(() => gradients([y], [x])).toThrow(/already freed/);
  });
});

describe('engine: higher-order gradients (createGraph)', () => {
  it('the second derivative of tanh is −2·tanh·(1 − tanh²), via backward({ createGraph })', () => {
    const xs = [-1.3, -0.2, 0, 0.4, 2.1];
    const x = tensor(xs, f64);
    tanh(x).sum().backward(undefined, { createGraph: true });
    const g = x.grad as Tensor;
    expect(g.requiresGrad).toBe(true);
    expectClose(
      g,
      xs.map((v) => 1 - Math.tanh(v) ** 2),
      { rtol: 1e-12 },
    );
    x.grad = null;
    g.sum().backward();
    const t = xs.map(Math.tanh);
    expectClose(
      x.grad as unknown as Tensor, // (TypeScript narrowed x.grad to null at the assignment above)
      t.map((v) => -2 * v * (1 - v * v)),
      { rtol: 1e-12, atol: 1e-15 },
    );
  });

  it('without createGraph the gradient is a constant (no graph)', () => {
    const x = tensor([0.3], f64);
    tanh(x).sum().backward();
    expect(x.grad?.requiresGrad).toBe(false);
  });

  it('a Hessian-vector product of f(x) = Σ cᵢxᵢ³ + xᵀAx matches (diag(6cx) + A + Aᵀ)·v', () => {
    const xs = [0.5, -1.2, 2];
    const c = [1, 0.5, -2];
    const A = [
      [1, 2, 0],
      [-1, 3, 0.5],
      [4, 0, -2],
    ];
    const v = [0.3, -0.7, 1.1];
    const x = tensor(xs, f64);
    const At = tensor(A, { dtype: 'float64' });
    const f = add(sum(mul(mul(mul(x, x), x), tensor(c, { dtype: 'float64' }))), sum(mul(x, matmul(At, x))));
    const [g] = gradients([f], [x], { createGraph: true });
    const H = xs.map((_, i) => xs.map((__, j) => (i === j ? 6 * c[i] * xs[i] : 0) + A[i][j] + A[j][i]));
    // gradient: 3cx² + (A + Aᵀ)x
    expectClose(
      g as Tensor,
      xs.map((_, i) => 3 * c[i] * xs[i] ** 2 + xs.reduce((s, xj, j) => s + (A[i][j] + A[j][i]) * xj, 0)),
      { rtol: 1e-12 },
    );
    const [hv] = gradients([sum(mul(g as Tensor, tensor(v, { dtype: 'float64' })))], [x], {
      retainGraph: true,
    });
    expectClose(
      hv as Tensor,
      H.map((row) => row.reduce((s, h, j) => s + h * v[j], 0)),
      { rtol: 1e-12 },
    );
    // The whole Hessian, row by row, from the same retained first-order graph.
    const rows = xs.map((_, i) => {
      const e = tensor(
        xs.map((__, j) => (i === j ? 1 : 0)),
        { dtype: 'float64' },
      );
      return (gradients([sum(mul(g as Tensor, e))], [x], { retainGraph: true })[0] as Tensor).toArray();
    });
    expectClose(rows, H, { rtol: 1e-12 });
  });
});

describe('engine: deep graphs do not overflow the stack', () => {
  it('a 10,000-op chain of adds', () => {
    const x = tensor([1, 2], f64);
    let y: Tensor = x;
    for (let i = 0; i < 10_000; i++) y = add(y, 1);
    expectClose(y, [10_001, 10_002]);
    y.sum().backward();
    expectClose(x.grad as Tensor, [1, 1]);
  });

  it('a 10,000-deep chain of distinct ops matches the chain rule computed by hand', () => {
    const x0 = 0.3;
    const x = tensor([x0], f64);
    let y: Tensor = x;
    let v = x0;
    let dv = 1;
    for (let i = 0; i < 10_000; i++) {
      switch (i % 5) {
        case 0:
          y = mul(y, 1.0001);
          v *= 1.0001;
          dv *= 1.0001;
          break;
        case 1:
          y = add(y, 0.01);
          v += 0.01;
          break;
        case 2:
          y = exp(y);
          v = Math.exp(v);
          dv *= v;
          break;
        case 3:
          y = log(y);
          dv /= v;
          v = Math.log(v);
          break;
        default:
          y = div(sub(y, 0.01), 1.0002);
          v = (v - 0.01) / 1.0002;
          dv /= 1.0002;
      }
    }
    expectClose(y, [v], { rtol: 1e-9 });
    y.sum().backward();
    expectClose(x.grad as Tensor, [dv], { rtol: 1e-9 });
  });

  it('10,000 stacked diamonds y ← (y + y)/2 (each node used twice) give gradient 1', () => {
    const x = tensor([3], f64);
    let y: Tensor = x;
    for (let i = 0; i < 10_000; i++) y = mul(add(y, y), 0.5);
    y.sum().backward();
    expectClose(x.grad as Tensor, [1]);
  });
});

describe('engine: errors at the call', () => {
  it('backward() from a non-scalar without a gradient says to pass one or reduce', () => {
    const x = tensor([1, 2], f64);
    expect(() => mul(x, 2).backward()).toThrow(/implied only for a scalar.*shape \[2\].*\.sum\(\)/);
  });

  it('backward() with a wrong-shaped or non-tensor gradient names both shapes', () => {
    const y = mul(tensor([1, 2], f64), 2);
    expect(() => y.backward(tensor([1, 2, 3]))).toThrow(
      'gradient has shape [3] but the tensor has shape [2]',
    );
    expect(() => y.backward(3 as unknown as Tensor)).toThrow(/gradient must be a Tensor of shape \[2\]/);
  });

  it('backward() on a tensor without requiresGrad says so', () => {
    expect(() => tensor(1).backward()).toThrow(/does not require grad/);
  });

  it('a VJP returning a gradient of the wrong shape is reported with the op and both shapes', () => {
    const broken = customOp({
      name: 'brokenOp',
      forward: (a) => mul(a, 2),
      backward: () => [tensor([1, 2], { dtype: 'float64' })],
    });
    const x = tensor([1, 2, 3], f64);
    expect(() => broken(x).sum().backward()).toThrow(
      /op 'brokenOp' returned for input 0 has shape \[2\].*input's shape \[3\]/,
    );
  });
});

describe('engine: dtypes (float32 with float64 promotes to float64, like PyTorch)', () => {
  it("a float32 leaf's gradient comes back float32 from float64 ops", () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 0.1], { dtype: 'float64', requiresGrad: true });
    const out = mul(a, b);
    expect(out.dtype).toBe('float64');
    out.sum().backward();
    expect(a.grad?.dtype).toBe('float32');
    expect(b.grad?.dtype).toBe('float64');
    expect(Array.from(a.grad?.data ?? [])).toEqual([3, Math.fround(0.1)]);
    expect(Array.from(b.grad?.data ?? [])).toEqual([1, 2]);
  });

  it('a float64 gradient seed on a float32 output still gives float32 leaf gradients', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    mul(a, a).backward(tensor([1, 1], { dtype: 'float64' }));
    expect(a.grad?.dtype).toBe('float32');
    expect(a.grad?.toArray()).toEqual([2, 4]);
    // Also when the output is the leaf itself, and for gradients() with gradOutputs.
    const leaf = tensor([3], { requiresGrad: true });
    leaf.backward(tensor([0.1], { dtype: 'float64' }));
    expect(leaf.grad?.dtype).toBe('float32');
    expect(leaf.grad?.item()).toBe(Math.fround(0.1));
    const [g] = gradients([leaf], [leaf], { gradOutputs: [tensor([0.1], { dtype: 'float64' })] });
    expect(g?.dtype).toBe('float32');
  });
});
