import { describe, expect, it } from 'vitest';
import { add, customOp, matmul, mul, Rng, randn, sum, type Tensor, tanh, tensor } from '../index';
import { expectClose, gradcheck } from './index';

const leaf = (values: number[]) => tensor(values, { dtype: 'float64', requiresGrad: true });

/** a·b with a VJP for b that is wrong at exactly one element (element 2 gets an extra 0.5). */
const mulWrongAt2 = customOp({
  name: 'mulWrongAt2',
  forward: (a, b) => mul(a, b),
  backward: (g, { inputs: [a, b] }) => [
    mul(g, b),
    add(mul(g, a), tensor([0, 0, 0.5, 0], { dtype: 'float64' })),
  ],
});

/** a·b whose VJP for b is 1% too large everywhere. */
const mulOnePercentOff = customOp({
  name: 'mulOnePercentOff',
  forward: (a, b) => mul(a, b),
  backward: (g, { inputs: [a, b] }) => [mul(g, b), mul(mul(g, a), 1.01)],
});

describe('gradcheck', () => {
  it('passes for correct ops, including broadcasting and matmul', () => {
    const rng = new Rng(1);
    const a = randn([3, 4], { rng, dtype: 'float64', requiresGrad: true });
    const b = randn([4], { rng, dtype: 'float64', requiresGrad: true });
    const w = randn([4, 2], { rng, dtype: 'float64', requiresGrad: true });
    const r = gradcheck((x, y, z) => tanh(matmul(mul(x, y), z)), [a, b, w]);
    expect(r.ok).toBe(true);
    expect(r.worst).not.toBeNull();
    expect(r.worst?.error).toBeLessThan(1);
    // The analytic value it compared is a real gradient entry, not zero.
    expect(Math.abs(r.worst?.analytic ?? 0)).toBeGreaterThan(0);
  });

  it('fails for a wrong VJP, naming the input and the element', () => {
    const a = leaf([1, 2, 3, 4]);
    const b = leaf([0.5, -1, 2, 1.5]);
    expect(() => gradcheck(mulWrongAt2, [a, b])).toThrow(
      /gradcheck: the gradient of input 1 at element 2 is .* analytically but .* by central differences/,
    );
    const r = gradcheck(mulWrongAt2, [a, b], { raise: false });
    expect(r.ok).toBe(false);
    expect(r.worst?.input).toBe(1);
    expect(r.worst?.index).toBe(2);
    // The analytic value is off by 0.5 times the upstream gradient's element; the numeric one is v₂·a₂.
    expect(Math.abs((r.worst?.analytic ?? 0) - (r.worst?.numeric ?? 0))).toBeGreaterThan(0.01);
  });

  it('catches a 1% error at the default rtol (1e-3) and lets it pass at rtol 5e-2', () => {
    const a = leaf([1, 2, 3]);
    const b = leaf([-1, 0.5, 2]);
    expect(gradcheck(mulOnePercentOff, [a, b], { raise: false }).ok).toBe(false);
    expect(gradcheck(mulOnePercentOff, [a, b], { rtol: 5e-2 }).ok).toBe(true);
  });

  it('checks only inputs that require grad (a wrong gradient for a constant input is not looked at)', () => {
    const a = leaf([1, 2, 3, 4]);
    const b = tensor([0.5, -1, 2, 1.5], { dtype: 'float64' });
    expect(gradcheck(mulWrongAt2, [a, b]).ok).toBe(true);
  });

  it('fails when a VJP drops a gradient the output depends on', () => {
    const dropsB = customOp({
      name: 'dropsB',
      forward: (a, b) => mul(a, b),
      backward: (g, { inputs: [, b] }) => [mul(g, b), null],
    });
    expect(() => gradcheck(dropsB, [leaf([1, 2]), leaf([3, 4])])).toThrow(/input 1 at element/);
  });

  it('requires float64 for inputs that require grad; float32 constants are fine', () => {
    const f32 = tensor([1, 2], { requiresGrad: true });
    expect(() => gradcheck((x) => mul(x, x), [f32])).toThrow(
      'gradcheck: input 0 is float32; finite differences need float64 inputs',
    );
    const c32 = tensor([3, 4]);
    expect(gradcheck((x, c) => mul(x, c), [leaf([1, 2]), c32]).ok).toBe(true);
  });

  it('rejects calls with nothing to check or a non-tensor input', () => {
    expect(() => gradcheck((x) => mul(x, 2), [tensor([1], { dtype: 'float64' })])).toThrow(
      /no input has requiresGrad/,
    );
    expect(() => gradcheck((x) => x, [[1, 2] as unknown as Tensor])).toThrow(
      'gradcheck: input 0 is not a Tensor',
    );
  });

  it("leaves the caller's inputs unchanged (values restored, no .grad written)", () => {
    const a = leaf([0.25, -0.75]);
    gradcheck((x) => sum(tanh(x)), [a]);
    expect(a.toArray()).toEqual([0.25, -0.75]);
    expect(a.grad).toBeNull();
  });
});

describe('expectClose', () => {
  it('passes for equal or close values, across tensors, nested arrays, typed arrays and numbers', () => {
    expectClose(tensor([[1, 2]]), [[1, 2]]);
    expectClose([1, 2, 3], Float64Array.of(1, 2 + 5e-7, 3));
    expectClose(tensor(2.5), 2.5);
    expectClose([1000], [1000.009]); // within rtol 1e-5 · 1000
    expectClose([0.5], [0.6], { atol: 0.1 + 1e-12 });
    expectClose([Number.NaN, 1], [Number.NaN, 1]);
    expectClose([Number.POSITIVE_INFINITY], [Number.POSITIVE_INFINITY]);
  });

  it('fails naming the worst element with both values and the tolerance', () => {
    expect(() => expectClose([1, 2, 3], [1.1, 2, 3.5])).toThrow(
      'expectClose: element 2 differs: actual 3, expected 3.5 (|diff| 0.5, allowed 0.000001 + 0.00001·|expected|)',
    );
    expect(() => expectClose([1000], [1000.02])).toThrow(/element 0 differs/);
    expect(() => expectClose([0.5], [0.6], { atol: 0.05 })).toThrow(/allowed 0.05 \+/);
  });

  it('fails on different shapes or sizes, naming both', () => {
    expect(() => expectClose(tensor([1, 2]), [[1, 2]])).toThrow(
      'expectClose: shapes differ: actual [2], expected [1, 2]',
    );
    expect(() => expectClose([1, 2], [1, 2, 3])).toThrow('shapes differ: actual [2], expected [3]');
  });

  it('NaN equals NaN only with equalNan (the default); an infinity equals only the same infinity', () => {
    expect(() => expectClose([Number.NaN], [Number.NaN], { equalNan: false })).toThrow(/element 0 differs/);
    expect(() => expectClose([Number.NaN], [0])).toThrow('element 0 differs: actual NaN, expected 0');
    expect(() => expectClose([1], [Number.NaN])).toThrow(/actual 1, expected NaN/);
    expect(() => expectClose([Number.POSITIVE_INFINITY], [Number.NEGATIVE_INFINITY])).toThrow(/element 0/);
    expect(() => expectClose([1], [Number.POSITIVE_INFINITY])).toThrow('actual 1, expected Infinity');
    expect(() => expectClose([-1e300], [Number.NEGATIVE_INFINITY], { rtol: 1 })).toThrow(/element 0/);
  });
});
