import { Adam, loadCheckpoint, saveCheckpoint } from '@selfnorm/nn';
import { noGrad, Rng, tensor } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { Mlp as TrainMlp } from '../../train/src/model.ts';
import { Arena, makeBatch, standardizeTable } from './arena.ts';
import { DEFAULT_CONFIG, type TrainConfig } from './config.ts';
import { BatchSampler } from './sampler.ts';
import { mnistSlice } from './test-data.ts';

const lut = standardizeTable(33.318421449829934, 78.56748998339798);
const train = mnistSlice('train', 2000);
const test = mnistSlice('t10k', 500);
const small: TrainConfig = { ...DEFAULT_CONFIG, depth: 4, width: 32 };

describe('Arena', () => {
  it('keeps every SELU layer of the SNN in the band around (0, 1) at step 0, on real MNIST', () => {
    const arena = new Arena({ ...small, depth: 16, width: 128, nets: ['selu'] });
    const [layers] = arena.probe(
      makeBatch(
        test,
        Array.from({ length: 500 }, (_, i) => i),
        lut,
      ),
    );
    expect(layers).toHaveLength(16);
    for (const l of layers) {
      expect(Math.abs(l.mean)).toBeLessThan(0.25);
      expect(l.variance).toBeGreaterThan(0.6);
      expect(l.variance).toBeLessThan(1.4);
    }
  });

  it('trains the three networks on the same batches and lowers their loss', () => {
    const arena = new Arena(small);
    const sampler = new BatchSampler(new Rng(3));
    sampler.available = train.count;
    const first = arena.trainStep(makeBatch(train, sampler.next(64), lut));
    for (let i = 0; i < 40; i++) arena.trainStep(makeBatch(train, sampler.next(64), lut));
    const last = arena.trainStep(makeBatch(train, sampler.next(64), lut));
    expect(arena.step).toBe(42);
    expect(last).toHaveLength(3);
    for (const [k, l] of last.entries()) expect(l).toBeLessThan(first[k] * 0.8);
    const acc = arena.evaluate(test, lut);
    for (const a of acc) expect(a).toBeGreaterThan(0.3); // chance is 0.1; 42 steps of 64 images
    const moments = arena.takeTrainingMoments();
    expect(moments[0]).toHaveLength(4);
    expect(moments[0][0].saturated).toBeGreaterThanOrEqual(0);
    expect(moments[1][0].saturated).toBeNull();
  });

  it('gives the same predictions after its weights are saved and loaded into a fresh arena', () => {
    const a = new Arena(small);
    for (let i = 0; i < 5; i++) a.trainStep(makeBatch(train, [i, i + 1, i + 2, i + 3], lut));
    const x = makeBatch(test, [7], lut).x;
    const before = a.predict(x);
    const b = new Arena({ ...small, seed: 99, depth: 2, width: 16 });
    expect(b.predict(x)[0]).not.toEqual(before[0]);
    for (const k of a.contenders.keys()) b.loadWeights(k, a.saveWeights(k));
    expect(b.predict(x)).toEqual(before);
    expect(b.contenders[0].model.spec).toMatchObject({ depth: 4, width: 32 });
  });

  it('refuses a ReLU + BatchNorm file for the SNN, naming both, and leaves the SNN unchanged', () => {
    const a = new Arena(small);
    const snn = a.contenders[0].model;
    expect(() => a.loadWeights(0, a.saveWeights(2))).toThrow(/relu-bn network; it cannot load into the selu/);
    expect(a.contenders[0].model).toBe(snn);
  });

  it('loads checkpoints apps/train writes, and apps/train loads the ones it writes', () => {
    for (const activation of ['selu', 'relu-bn'] as const) {
      const rng = new Rng(5);
      const theirs = new TrainMlp({ depth: 3, width: 24, activation, dropout: 0 }, rng.split(), rng.split());
      const optimizer = new Adam(theirs.parameters());
      const bytes = saveCheckpoint({ model: theirs, optimizer, metadata: { epoch: '1', step: '10' } });
      const arena = new Arena({ ...small, nets: [activation] });
      expect(arena.loadWeights(0, bytes)).toEqual({ depth: 3, width: 24 });
      const x = makeBatch(test, [0, 1, 2], lut);
      theirs.eval();
      const want = noGrad(() => theirs.forward(tensor(x.x, { shape: [3, 784] })).data);
      const got = noGrad(() => {
        arena.contenders[0].model.eval();
        return arena.contenders[0].model.forward(tensor(x.x, { shape: [3, 784] })).data;
      });
      expect(Array.from(got)).toEqual(Array.from(want));

      const back = new TrainMlp({ depth: 4, width: 32, activation, dropout: 0 }, rng.split(), rng.split());
      const mine = arena.saveWeights(0);
      const fresh = new Arena({ ...small, nets: [activation] });
      loadCheckpoint(fresh.saveWeights(0), { model: back, optimizer: new Adam(back.parameters()) });
      back.eval();
      fresh.contenders[0].model.eval();
      const input = tensor(x.x, { shape: [3, 784] });
      expect(Array.from(noGrad(() => back.forward(input).data))).toEqual(
        Array.from(noGrad(() => fresh.contenders[0].model.forward(input).data)),
      );
      expect(mine.length).toBeGreaterThan(0);
    }
  });
});
