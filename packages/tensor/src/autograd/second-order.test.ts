/**
 * Every VJP is written with tensor ops, so it is differentiable again: for each op f, the function
 * x ↦ ∂(v·f(x))/∂x (built with createGraph) must itself pass gradcheck. This is PyTorch's gradgradcheck.
 */
import { describe, expect, it } from 'vitest';
import * as T from '../index';
import { gradcheck } from '../testing';

type Fn = (...inputs: T.Tensor[]) => T.Tensor;

const rng = new T.Rng(5);
/** A float64 leaf with uniform values in [lo, hi). */
const leaf = (shape: number[], lo = -1, hi = 1) =>
  T.tensor(
    T.rand(shape, { rng, dtype: 'float64' }).data.map((u) => lo + (hi - lo) * u),
    { shape, dtype: 'float64', requiresGrad: true },
  );
const pos = (shape: number[]) => leaf(shape, 0.5, 2);

/** x ↦ concat of ∂(v·f(x))/∂xᵢ over all inputs, differentiable (createGraph). */
function firstDerivative(f: Fn, inputs: readonly T.Tensor[]): Fn {
  const v = T.randn(f(...inputs).shape, { rng: new T.Rng(1), dtype: 'float64' });
  return (...xs) =>
    T.enableGrad(() => {
      const gs = T.gradients([T.sum(T.mul(f(...xs), v))], xs, { createGraph: true, allowUnused: true });
      return T.concat(
        gs.map((g, i) => T.reshape(g ?? T.zerosLike(xs[i]), [-1])),
        0,
      );
    });
}

const cases: Array<[string, Fn, T.Tensor[]]> = [
  ['exp', T.exp, [leaf([3])]],
  ['log', T.log, [pos([3])]],
  ['sqrt', T.sqrt, [pos([3])]],
  ['tanh', T.tanh, [leaf([3])]],
  ['sigmoid', T.sigmoid, [leaf([3])]],
  ['elu', (x) => T.elu(x), [leaf([4])]],
  ['softplus', T.softplus, [leaf([3])]],
  ['softplus (at 0 and ±8)', T.softplus, [T.tensor([0, 8, -8], { dtype: 'float64', requiresGrad: true })]],
  ['pow (both inputs, broadcast)', T.pow, [pos([2, 3]), leaf([3])]],
  ['div (broadcast)', T.div, [leaf([2, 3]), pos([3])]],
  ['mul (broadcast)', T.mul, [leaf([2, 3]), leaf([2, 1])]],
  ['maximum', T.maximum, [leaf([4]), leaf([4])]],
  ['matmul', T.matmul, [leaf([2, 3]), leaf([3, 2])]],
  ['matmul (batched · vector)', T.matmul, [leaf([2, 2, 3]), leaf([3])]],
  ['matmulT (both transposed)', (a, b) => T.matmulT(a, b, true, true), [leaf([3, 2]), leaf([2, 3])]],
  ['linear', (x, w, b) => T.linear(x, w, b), [leaf([2, 3]), leaf([4, 3]), leaf([4])]],
  ['max of squares', (x) => T.max(T.square(x), 1), [leaf([2, 3])]],
  ['variance', (x) => T.variance(x, 1), [leaf([2, 4])]],
  ['std', (x) => T.std(x), [leaf([5])]],
  ['softmax', (x) => T.softmax(x), [leaf([2, 3])]],
  ['logSoftmax', (x) => T.logSoftmax(x, 0), [leaf([2, 3])]],
  ['slice · slice', (x) => T.mul(T.slice(x, [null, [1, 3]]), T.slice(x, [null, [0, 2]])), [leaf([2, 3])]],
  [
    'gather',
    (x) =>
      T.square(
        T.gather(
          x,
          1,
          T.tensor([
            [0, 2],
            [1, 1],
          ]),
        ),
      ),
    [leaf([2, 3])],
  ],
  ['concat', (a, b) => T.square(T.concat([a, b], 1)), [leaf([2, 1]), leaf([2, 2])]],
  ['permute', (x) => T.square(T.permute(x, [2, 0, 1])), [leaf([2, 3, 2])]],
  ['expand', (x) => T.square(T.expand(x, [3, 2])), [leaf([1, 2])]],
  ['where', (a, b) => T.square(T.where(T.gt(a, 0), a, b)), [leaf([4]), leaf([4])]],
  ['batchNorm (weight, bias)', (x, w, b) => T.batchNorm(x, w, b).output, [leaf([5, 3]), pos([3]), leaf([3])]],
  ['batchNorm [N, C, L]', (x) => T.batchNorm(x).output, [leaf([3, 2, 4])]],
];

describe('second-order gradients of every kind of op (gradgradcheck)', () => {
  it.each(cases)('%s', (_, f, inputs) => {
    expect(gradcheck(f, inputs).ok).toBe(true);
    const r = gradcheck(firstDerivative(f, inputs), inputs, { atol: 1e-4 });
    expect(r.ok).toBe(true);
  });
});

describe('the second-order check has teeth', () => {
  it('fails for a custom tanh whose VJP is correct but computed from detached values', () => {
    const detachedTanh = T.customOp({
      name: 'detachedTanh',
      forward: (x) => T.tanh(x),
      backward: (g, { inputs: [x] }) => [T.mul(g, T.sub(1, T.square(T.tanh(x.detach()))))],
    });
    const x = leaf([3]);
    expect(gradcheck(detachedTanh, [x]).ok).toBe(true);
    const r = gradcheck(firstDerivative(detachedTanh, [x]), [x], { raise: false });
    expect(r.ok).toBe(false);
    expect(r.worst?.analytic).toBe(0); // the detached VJP has no second derivative at all
  });
});
