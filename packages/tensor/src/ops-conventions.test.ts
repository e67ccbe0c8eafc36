/**
 * Kinks, ties and errors: the conventions gradcheck cannot see (it avoids kinks), pinned exactly,
 * following PyTorch. And each error an op raises, with the information a user needs to fix the call.
 */
import { describe, expect, it } from 'vitest';
import * as T from './index';
import { expectClose } from './testing';

const leaf = (v: number[] | number, dtype: T.DType = 'float64') => T.tensor(v, { dtype, requiresGrad: true });
function gradOf(f: (x: T.Tensor) => T.Tensor, v: number[] | number): number[] {
  const x = leaf(v);
  f(x).sum().backward();
  return Array.from(x.grad!.data);
}

describe('kink conventions (PyTorch)', () => {
  it('relu: gradient 0 at 0', () => expect(gradOf(T.relu, [-1, 0, 2])).toEqual([0, 0, 1]));
  it('relu: NaN stays NaN (as PyTorch), −0 and −∞ give 0; float32 values and gradients equal the composed form', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      expect(
        Array.from(T.relu(T.tensor([Number.NaN, -0, Number.NEGATIVE_INFINITY, 3], { dtype })).data),
      ).toEqual([Number.NaN, 0, 0, 3]);
    }
    const x = T.randn([1000], { rng: new T.Rng(4), requiresGrad: true });
    const g = T.randn([1000], { rng: new T.Rng(5) });
    const y = T.relu(x);
    y.backward(g);
    const x2 = T.tensor(x.data, { requiresGrad: true });
    const y2 = T.where(T.gt(x2, 0), x2, 0);
    y2.backward(g);
    expect(Array.from(y.data)).toEqual(Array.from(y2.data));
    expect(Array.from(x.grad!.data)).toEqual(Array.from(x2.grad!.data));
  });
  it('abs: gradient 0 at 0', () => expect(gradOf(T.abs, [-1, 0, 2])).toEqual([-1, 0, 1]));
  it('selu: golden values, gradient λα at 0, finite at ±1e30 in value and gradient', () => {
    expect(T.selu(T.tensor([1, -1], { dtype: 'float64' })).toArray()).toEqual([
      1.0507009873554805, -1.1113307378125625,
    ]);
    expect(gradOf(T.selu, [0])).toEqual([T.SELU_LAMBDA * T.SELU_ALPHA]);
    for (const dtype of ['float32', 'float64'] as const) {
      const x = leaf([-1e30, 1e30, 0], dtype);
      const y = T.selu(x);
      y.sum().backward();
      expect([...y.data, ...x.grad!.data].every(Number.isFinite)).toBe(true);
    }
  });
  it('selu: second derivative through createGraph (λα·eˣ for x < 0, 0 for x > 0)', () => {
    const d2 = T.grad((t) => T.grad((u) => T.selu(u).sum())(t).sum());
    const x = T.tensor([-0.5, 0.7], { dtype: 'float64' });
    expectClose(d2(x), [T.SELU_LAMBDA * T.SELU_ALPHA * Math.exp(-0.5), 0], { atol: 1e-12 });
  });
  it('elu: gradient α at 0 (negative branch)', () =>
    expect(gradOf((x) => T.elu(x, 1.5), [0])).toEqual([1.5]));
  it('clamp: gradient 1 on the bounds, 0 outside', () =>
    expect(gradOf((x) => T.clamp(x, -1, 1), [-2, -1, 0, 1, 2])).toEqual([0, 1, 1, 1, 0]));
  it('maximum/minimum: ties split the gradient evenly', () => {
    const a = leaf([1, 2, 3]);
    const b = leaf([1, 5, 0]);
    T.maximum(a, b).sum().backward();
    expect(Array.from(a.grad!.data)).toEqual([0.5, 0, 1]);
    expect(Array.from(b.grad!.data)).toEqual([0.5, 1, 0]);
  });
  it('max/min reductions: ties share the gradient evenly (amax)', () => {
    expect(gradOf((x) => T.max(x), [1, 3, 3, 2])).toEqual([0, 0.5, 0.5, 0]);
    expect(gradOf((x) => T.min(x, 0), [1, 1])).toEqual([0.5, 0.5]);
  });
  it('argmax/argmin: first occurrence of a tie', () => {
    expect(T.argmax(T.tensor([1, 3, 3])).item()).toBe(1);
    expect(T.argmin(T.tensor([[2, 0, 0]]), 1).toArray()).toEqual([1]);
  });
  it('pow: the exponent gradient at base 0 is 0, not NaN', () => {
    const b = leaf([2]);
    T.pow(T.tensor([0], { dtype: 'float64' }), b)
      .sum()
      .backward();
    expect(Array.from(b.grad!.data)).toEqual([0]);
  });
  it('softplus, sigmoid, logSoftmax, logSumExp stay finite for huge inputs', () => {
    const x = leaf([-1e4, 0, 1e4]);
    const y = T.add(T.add(T.softplus(x).sum(), T.sigmoid(x).sum()), T.logSoftmax(x).sum());
    y.backward();
    expect(Array.from(y.data).every(Number.isFinite)).toBe(true);
    expect(Array.from(x.grad!.data).every(Number.isFinite)).toBe(true);
    expect(T.logSumExp(T.tensor([1e4, 1e4])).item()).toBeCloseTo(1e4 + Math.LN2, 3);
    expect(T.logSumExp(T.tensor([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY])).item()).toBe(
      Number.NEGATIVE_INFINITY,
    );
  });
  it("softplus: gradient σ(0) = 0.5 and second derivative σ'(0) = 0.25 at 0, as PyTorch", () => {
    expect(gradOf(T.softplus, [0])).toEqual([0.5]);
    const d2 = T.grad((t) => T.grad((u) => T.softplus(u).sum())(t).sum());
    expectClose(
      d2(T.tensor([0, 1, -2], { dtype: 'float64' })),
      [0.25, 0.19661193324148185, 0.10499358540350662],
      {
        atol: 1e-15,
      },
    );
    const d3 = T.grad((t) => d2(t).sum());
    expectClose(d3(T.tensor([0], { dtype: 'float64' })), [0], { atol: 1e-15 });
  });
  it('softplus: the primitive matches its composed form max(x, 0) + log(1 + e^(−|x|)) away from 0', () => {
    const v = [-3, -0.5, 0.7, 4];
    const composed = (x: T.Tensor) => T.add(T.maximum(x, 0), T.log(T.add(T.exp(T.neg(T.abs(x))), 1)));
    expectClose(T.softplus(T.tensor(v, { dtype: 'float64' })), composed(T.tensor(v, { dtype: 'float64' })), {
      atol: 1e-15,
    });
    expectClose(T.tensor(gradOf(T.softplus, v), { dtype: 'float64' }), gradOf(composed, v), { atol: 1e-15 });
  });
  it('softplus: full precision for large negative inputs, exact for large positive ones', () => {
    const y = T.softplus(T.tensor([-40, -800, 40, 1e4], { dtype: 'float64' }));
    expect(y.data[0] / Math.exp(-40)).toBeCloseTo(1, 14);
    expect(Array.from(y.data.slice(1))).toEqual([0, 40, 1e4]);
  });
  it('logSoftmax: exact in float32 for huge equal logits (ln 2 at ±1e4, 1e7, 1e8)', () => {
    for (const L of [1e4, 1e7, 1e8, -1e8]) {
      const y = T.logSoftmax(T.tensor([[L, L]]));
      expect(y.dtype).toBe('float32');
      expect(Array.from(y.data)).toEqual([Math.fround(-Math.LN2), Math.fround(-Math.LN2)]);
    }
  });
  it('logSoftmax: a −∞ logit gives −∞ there, finite values and gradients elsewhere', () => {
    const x = T.tensor([[Number.NEGATIVE_INFINITY, 0, 1]], { dtype: 'float64', requiresGrad: true });
    const y = T.logSoftmax(x);
    const lse = Math.log(Math.exp(0) + Math.exp(1));
    expect(y.data[0]).toBe(Number.NEGATIVE_INFINITY);
    expectClose(T.slice(y, [null, [1]]), [[-lse, 1 - lse]], { atol: 1e-15 });
    T.slice(y, [null, [1]])
      .sum()
      .backward();
    const p = [0, Math.exp(-lse), Math.exp(1 - lse)];
    expectClose(x.grad!, [[-2 * p[0], 1 - 2 * p[1], 1 - 2 * p[2]]], { atol: 1e-15 });
  });
  it('NaN propagates through maximum and max', () => {
    expect(Number.isNaN(T.maximum(T.tensor([Number.NaN]), 1).item())).toBe(true);
    expect(Number.isNaN(T.max(T.tensor([1, Number.NaN, 2])).item())).toBe(true);
  });
});

describe('dtype promotion (PyTorch rules)', () => {
  it('float32 with float64 gives float64; a number keeps the tensor dtype', () => {
    expect(T.add(T.ones([2]), T.ones([2], { dtype: 'float64' })).dtype).toBe('float64');
    expect(T.mul(T.ones([2]), 2.5).dtype).toBe('float32');
    expect(T.matmul(T.ones([2, 2]), T.ones([2, 2], { dtype: 'float64' })).dtype).toBe('float64');
  });
  it('a 0-d tensor does not promote a dimensioned one: float32 ⊕ float64 scalar is float32', () => {
    const s64 = T.tensor(0.1, { dtype: 'float64' });
    const y = T.add(T.ones([3]), s64);
    expect(y.dtype).toBe('float32');
    // The scalar is rounded to float32 first, as PyTorch computes in the result dtype.
    expect(Array.from(y.data)).toEqual(new Array(3).fill(Math.fround(1 + Math.fround(0.1))));
    expect(T.mul(s64, T.ones([2, 2])).dtype).toBe('float32');
    expect(T.where(T.ones([2]), T.ones([2]), s64).dtype).toBe('float32');
    expect(T.maximum(T.ones([2], { dtype: 'float64' }), T.tensor(3)).dtype).toBe('float64');
    // Two 0-d tensors, or two dimensioned ones, still promote.
    expect(T.add(T.tensor(1), s64).dtype).toBe('float64');
    expect(T.add(T.ones([1]), T.ones([1], { dtype: 'float64' })).dtype).toBe('float64');
  });
  it('the float64 scalar still gets its gradient (in float64) through the float32 op', () => {
    const s = T.tensor(0.5, { dtype: 'float64', requiresGrad: true });
    const x = leaf([1, 2, 3], 'float32');
    T.mul(x, s).sum().backward();
    expect(s.grad!.dtype).toBe('float64');
    expect(s.grad!.item()).toBe(6);
    expect(Array.from(x.grad!.data)).toEqual([0.5, 0.5, 0.5]);
  });
  it('the gradient of a float32 leaf is float32 even through float64 ops', () => {
    const x = leaf([1, 2], 'float32');
    T.mul(x, T.tensor([3, 4], { dtype: 'float64' }))
      .sum()
      .backward();
    expect(x.grad!.dtype).toBe('float32');
    expect(Array.from(x.grad!.data)).toEqual([3, 4]);
  });
});

describe('errors name the op, the shapes and the fix', () => {
  const x = T.zeros([2, 3]);
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['add broadcast', () => T.add(x, T.zeros([4])), /add: shapes \[2, 3\] and \[4\] cannot be broadcast/],
    ['where broadcast', () => T.where(T.zeros([5]), x, 0), /where: shapes \[5\] and \[2, 3\]/],
    ['matmul inner', () => T.matmul(x, T.zeros([2, 3])), /matmul: inner dimensions differ.*3 vs 2/],
    ['matmul scalar', () => T.matmul(T.tensor(1), x), /matmul: both operands need at least 1 dimension/],
    ['linear', () => T.linear(x, T.zeros([4, 5])), /linear: input \[2, 3\] and weight \[4, 5\]/],
    [
      'sum axis',
      () => T.sum(x, 2),
      /sum: axis 2 is out of range for a tensor of rank 2; valid axes: \[-2, 1\]/,
    ],
    ['mean axis', () => T.mean(x, -3), /mean: axis -3 is out of range for a tensor of rank 2/],
    ['softmax axis', () => T.softmax(x, 5), /logSoftmax: axis 5 is out of range/],
    ['repeated axes', () => T.sum(x, [1, -1]), /repeats an axis/],
    ['max of empty', () => T.max(T.zeros([0])), /max: cannot reduce over axis 0 of size 0/],
    [
      'reshape',
      () => T.reshape(x, [4, -1]),
      /reshape: cannot reshape \[2, 3\] \(6 elements\) into \[4, -1\]/,
    ],
    ['reshape two -1', () => T.reshape(x, [-1, -1]), /at most one -1/],
    ['permute', () => T.permute(x, [0, 0]), /permute: dims \[0,0\] repeat an axis/],
    ['expand', () => T.expand(x, [3, 3]), /expand: shapes \[2, 3\] and \[3, 3\] cannot be broadcast/],
    ['squeeze', () => T.squeeze(x, 0), /squeeze: axis 0 has size 2, not 1/],
    ['slice index', () => T.slice(x, [2]), /slice: index 2 is out of range for axis 0 of size 2/],
    ['slice step', () => T.slice(x, [[0, 2, -1]]), /slice: step must be a positive integer/],
    [
      'gather index value',
      () => T.gather(x, 1, T.tensor([[0], [3]])),
      /gather: index value 3 is not an integer in \[0, 3\)/,
    ],
    [
      'gather index shape',
      () => T.gather(x, 1, T.zeros([3, 1])),
      /gather: index shape \[3, 1\] must equal the input shape \[2, 3\] except along axis 1/,
    ],
    [
      'concat',
      () => T.concat([x, T.zeros([2, 4])], 0),
      /concat: tensor 1 has shape \[2, 4\].*outside axis 0/,
    ],
    [
      'stack',
      () => T.stack([x, T.zeros([3, 2])]),
      /stack: tensor 1 has shape \[3, 2\] but tensor 0 has \[2, 3\]/,
    ],
    ['split', () => T.split(x, 2, 1), /split: axis 1 of size 3 cannot be split into 2 equal pieces/],
    [
      'oneHot',
      () => T.oneHot(T.tensor([0, 3]), 3),
      /oneHot: index 3 \(element 1\) is not an integer in \[0, 3\)/,
    ],
    ['ragged', () => T.tensor([[1, 2], [3]]), /ragged nested array/],
    [
      'bad dtype',
      () => T.zeros([2], { dtype: 'int32' as T.DType }),
      /dtype must be 'float32' or 'float64', got "int32"/,
    ],
    [
      'randn without rng',
      () => T.randn([2], undefined as unknown as { rng: T.Rng }),
      /pass an explicit generator/,
    ],
    ['item', () => x.item(), /only a one-element tensor converts to a number; shape is \[2, 3\]/],
    ['clamp without bounds', () => T.clamp(x), /give at least one of min and max/],
  ];
  for (const [name, fn, message] of cases) it(name, () => expect(fn).toThrow(message));
});
