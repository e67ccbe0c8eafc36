import { Rng, type Tensor, tensor } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { BatchNorm1d } from '../layers/batch-norm';
import { Linear } from '../layers/linear';
import { mseLoss } from '../losses';
import { Adam } from './adam';
import type { Optimizer } from './optimizer';
import { SGD } from './sgd';

const x = tensor([
  [1, 2, 3],
  [-1, 0.5, 2],
]);
const target = tensor([
  [0, 1],
  [1, 0],
]);

/** One full step, so that every parameter has a gradient (step() skips parameters without one). */
function warmUp(layer: Linear, opt: Optimizer): void {
  opt.zeroGrad();
  mseLoss(layer.forward(x), target).backward();
  opt.step();
}

describe('optimizer.step() between forward and backward (issue 11)', () => {
  const optimizers: Array<[string, (p: Tensor[]) => Optimizer]> = [
    ['SGD', (p) => new SGD(p, { lr: 0.1 })],
    ['SGD with momentum', (p) => new SGD(p, { lr: 0.1, momentum: 0.9 })],
    ['Adam', (p) => new Adam(p, { lr: 0.01 })],
  ];
  for (const [name, make] of optimizers) {
    it(`${name}: backward() throws, naming the op and the weight`, () => {
      const layer = new Linear(3, 2, { rng: new Rng(0) });
      const opt = make(layer.parameters());
      warmUp(layer, opt);
      const versionBefore = layer.weight.version;
      const loss = mseLoss(layer.forward(x), target);
      opt.step(); // updates the weight that linear's matmul saved
      expect(layer.weight.version).toBe(versionBefore + 1);
      // Before: backward() silently used the updated weight for the input's gradient path.
      expect(() => loss.backward()).toThrow(
        /^backward: input 1 of 'matmul' \(a float32 tensor of shape \[2, 3\]\) was modified in place after 'matmul' saved it for the backward pass \(a declared write: its version is now \d+\), so its gradient would be wrong; clone\(\) the tensor before editing it, or edit it after backward\(\)$/,
      );
    });

    it(`${name}: the usual order (forward, backward, step) is no error and changes the weight`, () => {
      const layer = new Linear(3, 2, { rng: new Rng(0) });
      const opt = make(layer.parameters());
      const before = Array.from(layer.weight.data);
      for (let i = 0; i < 3; i++) warmUp(layer, opt);
      expect(Array.from(layer.weight.data)).not.toEqual(before);
      expect(layer.weight.version).toBe(3);
    });
  }

  it('loadStateDict between forward and backward: backward() throws', () => {
    const layer = new Linear(3, 2, { rng: new Rng(0) });
    const other = new Linear(3, 2, { rng: new Rng(1) });
    const loss = mseLoss(layer.forward(x), target);
    layer.loadStateDict(other.stateDict());
    expect(() => loss.backward()).toThrow("backward: input 1 of 'matmul' (a float32 tensor of shape [2, 3])");
  });

  it("BatchNorm1d's running statistics: each training step declares its write; no VJP reads them", () => {
    const bn = new BatchNorm1d(3);
    const xs = tensor(
      [
        [1, 2, 3],
        [4, 5, 7],
      ],
      { requiresGrad: true },
    );
    bn.eval();
    const evalLoss = bn
      .forward(xs)
      .mul(tensor([1, 2, 3]))
      .sum();
    bn.train();
    bn.forward(xs).sum().backward();
    bn.forward(xs).sum().backward();
    expect(bn.runningMean.version).toBe(2);
    expect(bn.runningVar.version).toBe(2);
    // The eval graph kept 1/√(var + eps) as its own tensor, so its gradient is still the eval one.
    xs.grad = null;
    evalLoss.backward();
    const g = xs.grad as Tensor | null;
    expect(Array.from(g?.data ?? [])).toEqual(
      [1, 2, 3, 1, 2, 3].map((w) => Math.fround(w / Math.fround(Math.sqrt(Math.fround(1 + 1e-5))))),
    );
  });
});
