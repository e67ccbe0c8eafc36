import { Rng, randn, storagePoolStats, type Tensor } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { AlphaDropout } from './layers/alpha-dropout';
import { BatchNorm1d } from './layers/batch-norm';
import { Linear } from './layers/linear';
import { SELU } from './layers/selu';
import { Sequential } from './layers/sequential';
import { crossEntropy } from './losses';
import type { Module } from './module';
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
