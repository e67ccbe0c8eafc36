import { Rng } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { loadMnist } from './mnist.ts';
import { splitRngs, Trainer, type TrainerSpec } from './train.ts';

const spec: TrainerSpec = {
  depth: 2,
  width: 16,
  activation: 'selu',
  dropout: 0,
  batchSize: 25,
  lr: 1e-3,
  optimizer: 'sgd',
  momentum: 0,
  schedule: 'cosine',
  epochs: 2,
  statsEvery: 0,
};

describe('Trainer', () => {
  const data = loadMnist({ trainLimit: 100, testLimit: 50 });

  it('decays the rate by a half cosine from lr to 0 over all steps (the library CosineAnnealingLR)', async () => {
    const t = new Trainer(data, spec, splitRngs(new Rng(0)));
    expect(t.optimizer.lr).toBe(1e-3);
    await t.trainEpoch(); // 4 of the 8 steps
    expect(t.step).toBe(4);
    expect(t.optimizer.lr).toBeCloseTo(5e-4, 15);
    await t.trainEpoch();
    expect(t.optimizer.lr).toBeCloseTo(0, 15);
    const constant = new Trainer(data, { ...spec, schedule: 'constant' }, splitRngs(new Rng(0)));
    await constant.trainEpoch();
    expect(constant.scheduler).toBeNull();
    expect(constant.optimizer.lr).toBe(1e-3);
  });

  it('records each hidden layer’s moments and ω, τ at step 0 and after each epoch', async () => {
    const t = new Trainer(data, { ...spec, epochs: 1 }, splitRngs(new Rng(1)));
    const m = await t.trainEpoch();
    expect(m.epoch).toBe(1);
    expect(t.layerStats.map((s) => [s.step, s.layer])).toEqual([
      [0, 1],
      [0, 2],
      [4, 1],
      [4, 2],
    ]);
    for (const s of t.layerStats) {
      expect(Math.abs(s.mean)).toBeLessThan(0.5);
      expect(s.variance).toBeGreaterThan(0.3);
      expect(Number.isFinite(s.omega)).toBe(true);
      expect(s.tau).toBeGreaterThan(0.5);
    }
  });
});
