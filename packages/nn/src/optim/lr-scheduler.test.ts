import { Rng, tensor } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { Linear } from '../layers/linear';
import {
  CosineAnnealingLR,
  ExponentialLR,
  LinearLR,
  type LRScheduler,
  MultiStepLR,
  StepLR,
} from './lr-scheduler';
import { OneCycleLR } from './one-cycle-lr';
import { ReduceLROnPlateau } from './reduce-lr-on-plateau';
import { SequentialLR } from './sequential-lr';
import { SGD } from './sgd';

/**
 * Expected rates from an independent Python transcription of PyTorch's own update rules: the recursive
 * ("chainable") get_lr of each scheduler, which multiplies the previous rate, where the code under test
 * evaluates the closed form. Regenerate with `python3 packages/nn/scripts/scheduler-reference.py`.
 */
const PYTORCH = {
  step: [
    0.05, 0.05, 0.05, 0.005000000000000001, 0.005000000000000001, 0.005000000000000001, 0.0005000000000000001,
    0.0005000000000000001, 0.0005000000000000001, 5.0000000000000016e-5,
  ],
  multistep: [
    0.05, 0.05, 0.005000000000000001, 0.005000000000000001, 0.005000000000000001, 0.0005000000000000001,
    0.0005000000000000001, 0.0005000000000000001,
  ],
  expo: [
    0.1, 0.09000000000000001, 0.08100000000000002, 0.07290000000000002, 0.06561000000000002,
    0.05904900000000002,
  ],
  cosine: [
    0.1, 0.0855017856687341, 0.0505, 0.0154982143312659, 0.001, 0.015498214331265896, 0.05050000000000001,
    0.08550178566873413, 0.10000000000000003, 0.08550178566873413, 0.05050000000000003,
  ],
  linear: [
    0.025, 0.043750000000000004, 0.06250000000000001, 0.08125000000000002, 0.10000000000000002,
    0.10000000000000002, 0.10000000000000002,
  ],
  onecycle: [
    0.0040000000000000036, 0.052000000000000005, 0.1, 0.09504846320134738, 0.0811745653949763,
    0.06112620219362893, 0.03887419780637107, 0.0188258346050237, 0.004951936798652629, 4e-7,
  ],
  onecycle3: [
    0.0040000000000000036, 0.0349789654219583, 0.08792851591221287, 0.09450188923135408, 0.04621423934774446,
    0.005394792763549499, 0.003815169324257979, 0.003122461893311692, 0.0021084669893891173,
    0.0010634768002885592, 0.0002866570191000554, 4e-7,
  ],
  onecycleLin: [
    0.004, 0.052000000000000005, 0.1, 0.08571434285714286, 0.07142868571428572, 0.05714302857142858,
    0.042857371428571434, 0.028571714285714284, 0.014286057142857148, 3.999999999976245e-7,
  ],
  plateau: [
    1.0, 1.0, 1.0, 1.0, 0.1, 0.1, 0.1, 0.1, 0.010000000000000002, 0.010000000000000002, 0.010000000000000002,
  ],
  seq: [
    0.010000000000000002, 0.04, 0.07, 0.1, 0.09045084971874738, 0.06545084971874737, 0.03454915028125263,
    0.009549150281252633, 0.0,
  ],
} as const;

function optimizer(lr: number): SGD {
  const p = tensor([1, 2], { requiresGrad: true });
  return new SGD([p], { lr });
}

/** The rate after construction, then after each of n − 1 steps. */
function rates(s: { step(): void; getLastLr(): number[] }, n: number): number[] {
  const out = [s.getLastLr()[0]];
  for (let i = 1; i < n; i++) {
    s.step();
    out.push(s.getLastLr()[0]);
  }
  return out;
}

function expectRates(actual: readonly number[], expected: readonly number[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => {
    expect(Math.abs(v - expected[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected[i])));
  });
}

describe('learning-rate schedulers against PyTorch step by step', () => {
  it('StepLR', () => {
    const opt = optimizer(0.05);
    const s = new StepLR(opt, { stepSize: 3, gamma: 0.1 });
    expectRates(rates(s, 10), PYTORCH.step);
    expect(s.getLastLr()).toEqual([opt.lr]);
  });
  it('MultiStepLR', () => {
    expectRates(
      rates(new MultiStepLR(optimizer(0.05), { milestones: [2, 5], gamma: 0.1 }), 8),
      PYTORCH.multistep,
    );
  });
  it('ExponentialLR', () => {
    expectRates(rates(new ExponentialLR(optimizer(0.1), { gamma: 0.9 }), 6), PYTORCH.expo);
  });
  it('CosineAnnealingLR, past tMax too', () => {
    expectRates(rates(new CosineAnnealingLR(optimizer(0.1), { tMax: 4, etaMin: 0.001 }), 11), PYTORCH.cosine);
  });
  it('LinearLR warm-up', () => {
    expectRates(rates(new LinearLR(optimizer(0.1), { startFactor: 0.25, totalIters: 4 }), 7), PYTORCH.linear);
  });
  it('OneCycleLR: two phases (cos and linear) and three', () => {
    expectRates(rates(new OneCycleLR(optimizer(1), { maxLr: 0.1, totalSteps: 10 }), 10), PYTORCH.onecycle);
    expectRates(
      rates(new OneCycleLR(optimizer(1), { maxLr: 0.1, totalSteps: 10, annealStrategy: 'linear' }), 10),
      PYTORCH.onecycleLin,
    );
    expectRates(
      rates(new OneCycleLR(optimizer(1), { maxLr: 0.1, totalSteps: 12, threePhase: true }), 12),
      PYTORCH.onecycle3,
    );
  });
  it('OneCycleLR refuses to step past totalSteps, as PyTorch', () => {
    const s = new OneCycleLR(optimizer(1), { maxLr: 0.1, totalSteps: 3 });
    s.step();
    s.step();
    s.step(); // PyTorch allows last_epoch == total_steps
    expect(() => s.step()).toThrow(/tried to step 4 times, but totalSteps is 3/);
  });
  it('ReduceLROnPlateau with patience, threshold and cool-down', () => {
    const opt = optimizer(1);
    const s = new ReduceLROnPlateau(opt, { patience: 2, cooldown: 1 });
    const got = [5, 4, 4, 4, 4, 4, 3.9999, 4, 4, 4, 4].map((m) => {
      s.step(m);
      return opt.lr;
    });
    expectRates(got, PYTORCH.plateau);
  });
  it('SequentialLR: linear warm-up, then cosine from its own step 0', () => {
    const opt = optimizer(0.1);
    const warm = new LinearLR(opt, { startFactor: 0.1, totalIters: 3 });
    const decay = new CosineAnnealingLR(opt, { tMax: 5 });
    expect(decay.baseLrs).toEqual([0.1]); // the optimizer's first rate, not what warm-up set
    expectRates(rates(new SequentialLR(opt, { schedulers: [warm, decay], milestones: [3] }), 9), PYTORCH.seq);
  });
});

describe('scheduler state resumes the schedule exactly', () => {
  it('for an LRScheduler, ReduceLROnPlateau and SequentialLR', () => {
    const make = (opt: SGD): LRScheduler => new CosineAnnealingLR(opt, { tMax: 7 });
    const a = make(optimizer(0.1));
    for (let i = 0; i < 4; i++) a.step();
    const optB = optimizer(0.1);
    const b = make(optB);
    b.loadStateDict(structuredClone(a.stateDict()));
    expect(optB.lr).toBe(a.optimizer.lr);
    a.step();
    b.step();
    expect(optB.lr).toBe(a.optimizer.lr);

    const p1 = new ReduceLROnPlateau(optimizer(1), { patience: 0 });
    p1.step(3);
    p1.step(4);
    const p2 = new ReduceLROnPlateau(optimizer(1), { patience: 0 });
    p2.loadStateDict(p1.stateDict());
    expect(p2.stateDict()).toEqual(p1.stateDict());

    const seq = (opt: SGD) =>
      new SequentialLR(opt, {
        schedulers: [new LinearLR(opt, { totalIters: 2 }), new ExponentialLR(opt, { gamma: 0.5 })],
        milestones: [2],
      });
    const s1 = seq(optimizer(1));
    for (let i = 0; i < 4; i++) s1.step();
    const o2 = optimizer(1);
    const s2 = seq(o2);
    s2.loadStateDict(structuredClone(s1.stateDict()));
    expect([o2.lr]).toEqual(s1.getLastLr());
    s1.step();
    s2.step();
    expect([o2.lr]).toEqual(s1.getLastLr());
    expect(o2.lr).toBeCloseTo(0.125, 15);
  });
  it('refuses a bad state', () => {
    const s = new StepLR(optimizer(0.1), { stepSize: 2 });
    expect(() => s.loadStateDict({ lastEpoch: -3 })).toThrow(/lastEpoch must be an integer >= 0, got -3/);
    const p = new ReduceLROnPlateau(optimizer(0.1));
    expect(() => p.loadStateDict({ lastEpoch: 1, best: 2, numBadEpochs: 0.5, cooldownCounter: 0 })).toThrow(
      /numBadEpochs must be an integer >= 0, got 0.5/,
    );
  });
});

describe('schedulers with parameter groups', () => {
  it('scale each group from its own starting rate, as PyTorch', () => {
    const a = tensor([1], { requiresGrad: true });
    const b = tensor([1], { requiresGrad: true });
    const opt = new SGD([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1 });
    const s = new StepLR(opt, { stepSize: 1, gamma: 0.5 });
    expect(s.baseLrs).toEqual([0.1, 0.5]);
    s.step();
    expect(s.getLastLr()).toEqual([0.05, 0.25]);
    expect(opt.paramGroups.map((g) => g.options.lr)).toEqual([0.05, 0.25]);
    const plateau = new ReduceLROnPlateau(opt, { patience: 0 });
    plateau.step(1);
    plateau.step(2);
    expect(plateau.getLastLr().map((v) => Number(v.toPrecision(12)))).toEqual([0.005, 0.025]);
  });
});

describe('scheduler arguments', () => {
  it('are checked at construction, naming the scheduler and the option', () => {
    const opt = optimizer(0.1);
    expect(() => new StepLR(opt, { stepSize: 0 })).toThrow(
      /StepLR: stepSize must be a positive integer, got 0/,
    );
    expect(() => new StepLR(opt, { stepSize: '3' as unknown as number })).toThrow(/got "3"/);
    expect(() => new MultiStepLR(opt, { milestones: [5, 2] })).toThrow(/milestones must be increasing/);
    expect(() => new ExponentialLR(opt, { gamma: Number.NaN })).toThrow(/gamma must be a finite number > 0/);
    expect(() => new LinearLR(opt, { startFactor: 0 })).toThrow(/startFactor must be in \(0, 1\]/);
    expect(() => new OneCycleLR(opt, { maxLr: 0.1, totalSteps: 10, annealStrategy: 'x' as 'cos' })).toThrow(
      /annealStrategy must be 'cos' or 'linear'/,
    );
    expect(() => new ReduceLROnPlateau(opt, { factor: 1 })).toThrow(/factor must be in \(0, 1\)/);
    expect(() => new ReduceLROnPlateau(opt).step(Number.NaN)).toThrow(/metric must be a number/);
    expect(() => new StepLR({} as SGD, { stepSize: 1 })).toThrow(/expected an Optimizer/);
    const other = optimizer(0.1);
    expect(
      () =>
        new SequentialLR(opt, {
          schedulers: [new StepLR(opt, { stepSize: 1 }), new StepLR(other, { stepSize: 1 })],
          milestones: [2],
        }),
    ).toThrow(/schedulers\[1\] is built on another optimizer/);
    expect(
      () => new SequentialLR(opt, { schedulers: [new StepLR(opt, { stepSize: 1 })], milestones: [2] }),
    ).toThrow(/1 schedulers need 0 milestones, got 1/);
  });
  it('drive a real optimizer: the rate each step uses is the scheduled one', () => {
    const layer = new Linear(3, 1, { rng: new Rng(0) });
    const opt = new SGD(layer.parameters(), { lr: 1 });
    const s = new StepLR(opt, { stepSize: 1, gamma: 0.5 });
    const w0 = Array.from(layer.weight.data);
    layer.weight.grad = tensor([[1, 1, 1]]);
    opt.step();
    s.step();
    layer.weight.grad = tensor([[1, 1, 1]]);
    opt.step();
    layer.weight.data.forEach((w, i) => {
      expect(w).toBeCloseTo(w0[i] - 1 - 0.5, 6);
    });
  });
});
