import { noGrad, Rng, randn, storagePoolStats, type Tensor } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { AlphaDropout } from './layers/alpha-dropout';
import { BatchNorm1d } from './layers/batch-norm';
import { Linear } from './layers/linear';
import { SELU } from './layers/selu';
import { Sequential } from './layers/sequential';
import { crossEntropy } from './losses';
import { Module } from './module';
import { Adam } from './optim/adam';
import type { Optimizer } from './optim/optimizer';
import { SGD } from './optim/sgd';

/** 64 × 256 logits: large enough for the storage pool (≥ 16,384 elements). */
const BATCH = 64;
const CLASSES = 256;

describe('a whole training step leaves nothing saved (issue 11)', () => {
  const optimizers: Array<[string, (m: Module) => Optimizer]> = [
    ['SGD', (m) => new SGD(m.parameters(), { lr: 0.01, momentum: 0.9 })],
    ['Adam', (m) => new Adam(m.parameters(), { lr: 1e-3 })],
  ];
  for (const [name, make] of optimizers) {
    it(`${name}: every saved count is back to 0 after backward(), and dispose() of the logits frees them`, () => {
      const rng = new Rng(11);
      const model = new Sequential(
        new Linear(32, 48, { rng }),
        new SELU(),
        new AlphaDropout({ rate: 0.1, rng }),
        new BatchNorm1d(48),
        new Linear(48, CLASSES, { rng }),
      );
      const opt = make(model);
      const x = randn([BATCH, 32], { rng });
      const targets = Array.from({ length: BATCH }, (_, i) => (i * 7) % CLASSES);
      for (let step = 0; step < 2; step++) {
        opt.zeroGrad();
        // The layers one by one, to see every activation.
        const activations: Tensor[] = [x];
        for (const layer of model.children()) activations.push(layer.forward(activations.at(-1) as Tensor));
        const logits = activations.at(-1) as Tensor;
        const loss = crossEntropy(logits, targets);
        expect(logits.savedBy).toBeGreaterThan(0);
        loss.backward();
        opt.step();
        const tensors = [
          ...activations,
          loss,
          ...model.parameters(),
          ...model.namedBuffers().map(([, b]) => b),
        ];
        // Before the fix: the logits stayed saved by logSumExp's detached max node (1).
        expect(tensors.map((t) => t.savedBy)).toEqual(tensors.map(() => 0));
        const returned = storagePoolStats().returned;
        logits.dispose();
        expect(storagePoolStats().returned).toBe(returned + 1);
        expect(Number.isFinite(loss.item())).toBe(true);
      }
    });
  }
});

describe('Sequential gives its intermediate activations back to the pool', () => {
  const N = 128;
  const W = 256; // [128, 256] activations: pooled (≥ 16,384 elements)
  const build = (rng: Rng) =>
    new Sequential(
      new Linear(64, W, { rng }),
      new SELU(),
      new Linear(W, W, { rng }),
      new SELU(),
      new Linear(W, 10, { rng }),
    );

  it('after backward() its activations are reused, with gradients equal to the same layers called one by one', () => {
    const a = build(new Rng(3));
    const b = build(new Rng(3));
    const x = randn([N, 64], { rng: new Rng(4) });
    const labels = Array.from({ length: N }, (_, i) => i % 10);
    const before = storagePoolStats().returned;
    crossEntropy(a.forward(x), labels).backward();
    const returned = storagePoolStats().returned - before;
    let h = x;
    for (const layer of b.children()) h = layer.forward(h);
    crossEntropy(h, labels).backward();
    // Linear's product, the two SELU outputs and the second Linear's output: disposed, then released by backward()
    expect(returned).toBeGreaterThanOrEqual(4);
    const ga = a.parameters().map((p) => Array.from(p.grad?.data ?? []));
    const gb = b.parameters().map((p) => Array.from(p.grad?.data ?? []));
    expect(ga).toEqual(gb);
    expect(x.isDisposed).toBe(false);
  });

  it('never disposes what a forward hook, a layer of its own or the caller can still read', () => {
    const rng = new Rng(5);
    const kept: Tensor[] = [];
    class Keeper extends Module {
      forward(t: Tensor): Tensor {
        kept.push(t);
        return t;
      }
    }
    const hooked = new SELU();
    let model = new Sequential(
      new Linear(64, W, { rng }),
      hooked,
      new Linear(W, W, { rng }),
      new Keeper(),
      new SELU(),
      new Linear(W, 10, { rng }),
    );
    hooked.registerForwardHook((_m, _inputs, out) => kept.push(out));
    // A hook inside a nested Sequential sees that Sequential's output, which the outer one passes on.
    const innerSelu = new SELU();
    innerSelu.registerForwardHook((_m, _inputs, out) => kept.push(out));
    model = new Sequential(
      model,
      new Sequential(new Linear(10, W, { rng }), innerSelu),
      new Linear(W, 10, { rng }),
    );
    const x = randn([N, 64], { rng });
    const out = model.forward(x);
    crossEntropy(
      out,
      Array.from({ length: N }, (_, i) => i % 10),
    ).backward();
    expect(kept.map((t) => t.isDisposed)).toEqual([false, false, false]);
    expect(kept.every((t) => Number.isFinite(t.data[0]))).toBe(true);
    expect(out.isDisposed).toBe(false);
    expect(x.isDisposed).toBe(false);
  });

  it('without a graph (eval, noGrad) an activation is reused at once and the output is right', () => {
    const model = build(new Rng(6)).eval();
    const x = randn([N, 64], { rng: new Rng(7) });
    let h = x;
    for (const layer of model.children()) h = layer.forward(h);
    const expected = Array.from(h.data);
    const before = storagePoolStats();
    const y = noGrad(() => model.forward(x));
    expect(storagePoolStats().returned - before.returned).toBeGreaterThanOrEqual(3);
    expect(Array.from(y.data)).toEqual(expected);
  });
});
