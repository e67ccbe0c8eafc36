import { grad, logSoftmax, Rng, randn, type Tensor, tensor } from '@selfnorm/tensor';
import { expectClose, gradcheck } from '@selfnorm/tensor/testing';
import { describe, expect, it } from 'vitest';
import { binaryCrossEntropyWithLogits, crossEntropy, mseLoss, nllLoss } from './losses';

const f64 = { dtype: 'float64' } as const;
const logits = () =>
  tensor(
    [
      [1, 2, 3],
      [1, 1, 1],
      [-2, 0.5, 4],
    ],
    { ...f64, requiresGrad: true },
  );
const lse = (row: number[]) => Math.log(row.reduce((a, v) => a + Math.exp(v), 0));
// −log softmax at the targets 2, 0, 1, computed by hand
const perRow = [lse([1, 2, 3]) - 3, Math.log(3), lse([-2, 0.5, 4]) - 0.5];

describe('crossEntropy', () => {
  it('matches hand-computed values for every reduction', () => {
    expectClose(crossEntropy(logits(), [2, 0, 1], { reduction: 'none' }), perRow, { atol: 1e-15 });
    expectClose(crossEntropy(logits(), [2, 0, 1], { reduction: 'sum' }), perRow[0] + perRow[1] + perRow[2], {
      atol: 1e-14,
    });
    expect(crossEntropy(logits(), [2, 0, 1]).item()).toBeCloseTo((perRow[0] + perRow[1] + perRow[2]) / 3, 14);
  });

  it('has gradient (softmax − onehot) / N and passes gradcheck', () => {
    const x = logits();
    crossEntropy(x, tensor([2, 0, 1])).backward();
    const rows = [
      [1, 2, 3],
      [1, 1, 1],
      [-2, 0.5, 4],
    ];
    const expected = rows.map((row, i) =>
      row.map((v, j) => (Math.exp(v - lse(row)) - (j === [2, 0, 1][i] ? 1 : 0)) / 3),
    );
    expectClose(x.grad!, expected, { atol: 1e-15 });
    const z = randn([4, 5], { rng: new Rng(1), ...f64, requiresGrad: true });
    expect(gradcheck((a) => crossEntropy(a, [0, 4, 2, 2], { reduction: 'none' }), [z]).ok).toBe(true);
  });

  it('is finite, value and gradient, for logits of ±1e4 (float32 too)', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const x = tensor(
        [
          [1e4, -1e4, 0],
          [-1e4, 1e4, 0],
        ],
        { dtype, requiresGrad: true },
      );
      const loss = crossEntropy(x, [0, 0], { reduction: 'none' });
      expect(Array.from(loss.data, (v) => v + 0)).toEqual([0, 2e4]); // + 0 turns −0 into 0
      loss.sum().backward();
      expect(Array.from(x.grad!.data, (v) => v + 0)).toEqual([0, 0, 0, -1, 1, 0]);
    }
  });

  it('picks the target entry: a −∞ logit elsewhere gives 1.3133, not NaN (value and gradient)', () => {
    const x = tensor([[Number.NEGATIVE_INFINITY, 0, 1]], { ...f64, requiresGrad: true });
    const loss = crossEntropy(x, [1]);
    const exact = Math.log(1 + Math.E); // log(e⁰ + e¹) − 0
    expect(loss.item()).toBeCloseTo(exact, 15);
    expect(exact).toBeCloseTo(1.3133, 4);
    loss.backward();
    const p = [0, 1 / (1 + Math.E), Math.E / (1 + Math.E)];
    expectClose(x.grad!, [[p[0], p[1] - 1, p[2]]], { atol: 1e-15 });
  });

  it('is ln 2 in float32 for two equal logits of 1e4, 1e7 and 1e8', () => {
    for (const L of [1e4, 1e7, 1e8]) {
      const loss = crossEntropy(tensor([[L, L]]), [0]);
      expect(loss.dtype).toBe('float32');
      expect(loss.item()).toBe(Math.fround(Math.LN2));
    }
  });

  it('refuses bad targets and reductions at the call, naming the position', () => {
    const wide = tensor([
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
    ]);
    expect(() => crossEntropy(wide, [0, 1, 2, 0, 3])).toThrow(
      'crossEntropy: target[4] is 3, but there are 3 classes (class indices must be integers in 0..2)',
    );
    expect(() => crossEntropy(logits(), [0, 3, 1])).toThrow(/target\[1\] is 3, but there are 3 classes/);
    expect(() => crossEntropy(logits(), [0, 1.5, 1])).toThrow(/target\[1\] is 1.5/);
    expect(() => crossEntropy(logits(), [0, '1' as never, 1])).toThrow(/target\[1\] is the string "1"/);
    expect(() => nllLoss(logits(), [0, -1, 1])).toThrow(/nllLoss: target\[1\] is -1/);
    expect(() => crossEntropy(logits(), 2 as never)).toThrow(
      /crossEntropy: targets must be a Tensor of shape \[3\] or an array of 3 class indices, got the number 2/,
    );
    const x = tensor([[1, 2]], { requiresGrad: true });
    expect(() => crossEntropy(x, [2])).toThrow(/target\[0\] is 2/);
    expect(() => crossEntropy(x, [0], { reduction: 'avg' as never })).toThrow(
      `crossEntropy: reduction must be 'mean', 'sum' or 'none', got the string "avg"`,
    );
    expect(x.savedBy).toBe(0); // nothing was recorded before the checks
    expect(() => crossEntropy([[1, 2]] as never, [0])).toThrow(
      /crossEntropy: logits must be a Tensor, got an array \[\[1, 2\]\]/,
    );
    expect(() => crossEntropy(logits(), [0, 1])).toThrow(/3 rows of scores but 2 targets/);
    expect(() => crossEntropy(tensor([1, 2]), [0])).toThrow(/expected logits of shape \[N, C\]/);
    expect(() => crossEntropy(logits(), [0, 1, 2], { reduction: 'avg' as never })).toThrow(
      /reduction must be/,
    );
  });
});

describe('nllLoss', () => {
  it('is −logProbs at the targets, the same as crossEntropy on logSoftmax', () => {
    const lp = logSoftmax(logits(), -1);
    expectClose(nllLoss(lp, [2, 0, 1], { reduction: 'none' }), perRow, { atol: 1e-15 });
    expectClose(nllLoss(tensor([[-0.5, -1]], f64), [1]), 1, { atol: 0 });
  });

  it('picks the target entry: −∞ log-probabilities of other classes give no NaN', () => {
    const lp = tensor([[Number.NEGATIVE_INFINITY, -1.3133, -0.3133]], { ...f64, requiresGrad: true });
    const loss = nllLoss(lp, [1]);
    expect(loss.item()).toBe(1.3133);
    loss.backward();
    expect(Array.from(lp.grad!.data, (v) => v + 0)).toEqual([0, -1, 0]);
  });
});

describe('mseLoss', () => {
  it('matches hand-computed values and passes gradcheck', () => {
    const a = tensor([1, 2, 3], f64);
    const b = tensor([1.5, 0, 3], f64);
    expect(mseLoss(a, b).item()).toBeCloseTo((0.25 + 4) / 3, 15);
    expect(mseLoss(a, b, { reduction: 'sum' }).item()).toBe(4.25);
    expect(Array.from(mseLoss(a, b, { reduction: 'none' }).data)).toEqual([0.25, 4, 0]);
    const x = randn([2, 3], { rng: new Rng(2), ...f64, requiresGrad: true });
    const y = randn([2, 3], { rng: new Rng(3), ...f64, requiresGrad: true });
    expect(gradcheck((p, q) => mseLoss(p, q), [x, y]).ok).toBe(true);
  });

  it('refuses shapes that differ (no silent broadcasting)', () => {
    expect(() => mseLoss(tensor([[1, 2]]), tensor([1, 2]))).toThrow(
      /input has shape \[1,2\] but target has shape \[2\]/,
    );
  });
});

describe('binaryCrossEntropyWithLogits', () => {
  const bce = (x: number, y: number) =>
    -(y * Math.log(1 / (1 + Math.exp(-x))) + (1 - y) * Math.log(1 - 1 / (1 + Math.exp(-x))));

  it('matches −[y·log σ(x) + (1 − y)·log(1 − σ(x))]', () => {
    const xs = [0, 2, -3, 0.7, -0.1];
    const ys = [1, 0, 1, 0.3, 0];
    const out = binaryCrossEntropyWithLogits(tensor(xs, f64), tensor(ys, f64), { reduction: 'none' });
    expectClose(
      out,
      xs.map((x, i) => bce(x, ys[i])),
      { atol: 1e-14 },
    );
  });

  it('is finite for logits of ±1e4, with gradient σ(x) − y', () => {
    const x = tensor([1e4, -1e4, 1e4, -1e4], { requiresGrad: true });
    const loss = binaryCrossEntropyWithLogits(x, tensor([1, 0, 0, 1]), { reduction: 'none' });
    expect(Array.from(loss.data, (v) => v + 0)).toEqual([0, 0, 1e4, 1e4]);
    loss.sum().backward();
    expect(Array.from(x.grad!.data, (v) => v + 0)).toEqual([0, 0, 1, -1]);
  });

  it("has gradient σ(x) − y at a logit of exactly 0 (PyTorch: [-0.5, 0.5]), and BCE''(0) = 0.25", () => {
    const x = tensor([0, 0], { ...f64, requiresGrad: true });
    const y = tensor([1, 0], f64);
    binaryCrossEntropyWithLogits(x, y, { reduction: 'sum' }).backward();
    expect(Array.from(x.grad!.data)).toEqual([-0.5, 0.5]);
    const d2 = grad((t: Tensor) =>
      grad((u: Tensor) => binaryCrossEntropyWithLogits(u, y, { reduction: 'sum' }))(t).sum(),
    );
    expect(Array.from(d2(tensor([0, 0], f64)).data)).toEqual([0.25, 0.25]);
  });

  it('refuses a non-tensor argument at the call', () => {
    expect(() => binaryCrossEntropyWithLogits(tensor([0]), [1] as never)).toThrow(
      /binaryCrossEntropyWithLogits: target must be a Tensor, got an array \[1\]/,
    );
  });

  it('passes gradcheck for logits and targets', () => {
    const x = randn([3, 2], { rng: new Rng(4), ...f64, requiresGrad: true });
    const y = tensor(
      [
        [0.1, 0.9],
        [0.5, 0],
        [1, 0.3],
      ],
      { ...f64, requiresGrad: true },
    );
    expect(gradcheck((p: Tensor, q: Tensor) => binaryCrossEntropyWithLogits(p, q), [x, y]).ok).toBe(true);
  });
});
