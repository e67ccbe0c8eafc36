import { preview } from '../serialize/preview';
import type { Optimizer } from './optimizer';

/** A scheduler's state, enough to continue its schedule after a resume: the step count and its own fields. */
export type SchedulerStateDict = Record<string, number | number[]>;

/**
 * The learning rate each parameter group of an optimizer started from (PyTorch's `initial_lr`): recorded by
 * the first scheduler built on it, so that every later scheduler on the same optimizer (and `SequentialLR`)
 * starts from the same base.
 */
const initialLrs = new WeakMap<Optimizer, readonly number[]>();

/** Sets each parameter group's learning rate (internal to the schedulers, like the checks below). */
export function setLrs(optimizer: Optimizer, lrs: readonly number[]): void {
  optimizer.paramGroups.forEach((g, i) => {
    (g.options as Record<string, unknown>).lr = lrs[i];
  });
}

export function groupLrs(optimizer: Optimizer): number[] {
  return optimizer.paramGroups.map((g) => g.options.lr as number);
}

export function positiveInt(value: unknown, where: string, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0)
    throw new RangeError(`${where}: ${name} must be a positive integer, got ${preview(value)}`);
  return value;
}

export function finite(
  value: unknown,
  where: string,
  name: string,
  ok: (v: number) => boolean,
  rule: string,
): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value))
    throw new RangeError(`${where}: ${name} must be ${rule}, got ${preview(value)}`);
  return value;
}

/**
 * The base of the epoch-indexed schedulers, as PyTorch's `LRScheduler`: building one sets the optimizer's
 * learning rate to the schedule's value at step 0, and each `step()` advances one step (call it after
 * `optimizer.step()`, once per epoch or once per batch, as the schedule is meant). The rate is the closed
 * form of step `lastEpoch` from the base rate, so `loadStateDict` resumes a schedule exactly. With several
 * parameter groups, each group follows the schedule from its own starting rate.
 *
 * NOTE: PyTorch also lets two schedulers multiply onto one optimizer (its "chainable" form); here each
 * scheduler sets the rate from the base rate, so chain schedules with `SequentialLR` instead.
 */
export abstract class LRScheduler {
  /** The optimizer whose `lr` this sets. */
  readonly optimizer: Optimizer;
  /** Per parameter group, the rate the schedule starts from: the group's rate when the optimizer's first scheduler was built. */
  readonly baseLrs: readonly number[];
  /** The number of `step()` calls so far (PyTorch's `last_epoch`); 0 right after construction. */
  lastEpoch = -1;

  constructor(optimizer: Optimizer, where: string) {
    if (optimizer === null || typeof optimizer !== 'object' || typeof optimizer.step !== 'function')
      throw new TypeError(`${where}: expected an Optimizer, got ${preview(optimizer)}`);
    this.optimizer = optimizer;
    if (!initialLrs.has(optimizer)) initialLrs.set(optimizer, Object.freeze(groupLrs(optimizer)));
    this.baseLrs = initialLrs.get(optimizer) as readonly number[];
  }

  /** The learning rate of step `epoch` (0-based) from the base rate `base`. */
  protected abstract lrAt(epoch: number, base: number): number;

  /** Every group's rate at step `epoch`. */
  lrsAt(epoch: number): number[] {
    return this.baseLrs.map((base) => this.lrAt(epoch, base));
  }

  /** Sets the learning rate of step 0; each subclass calls this at the end of its constructor. */
  protected start(): void {
    this.step();
  }

  /** Advances one step and sets the optimizer's learning rate to the schedule's value there. */
  step(): void {
    this.lastEpoch += 1;
    setLrs(this.optimizer, this.lrsAt(this.lastEpoch));
  }

  /** The learning rates the last `step()` set, one per parameter group (PyTorch's `get_last_lr()`). */
  getLastLr(): number[] {
    return this.lrsAt(this.lastEpoch);
  }

  /** The step count (and any state of its own), for checkpoints. */
  stateDict(): SchedulerStateDict {
    return { lastEpoch: this.lastEpoch };
  }

  /** Continues from a `stateDict()`: restores the step count and sets the learning rate of that step. */
  loadStateDict(sd: SchedulerStateDict): void {
    const epoch = sd?.lastEpoch;
    if (typeof epoch !== 'number' || !Number.isSafeInteger(epoch) || epoch < 0)
      throw new RangeError(
        `${this.constructor.name}.loadStateDict: lastEpoch must be an integer >= 0, got ${preview(epoch)}`,
      );
    this.lastEpoch = epoch;
    setLrs(this.optimizer, this.lrsAt(epoch));
  }
}

/** Options of `StepLR`. */
export interface StepLROptions {
  /** Steps between decays (PyTorch's `step_size`). */
  stepSize: number;
  /** Factor of each decay. Default 0.1. */
  gamma?: number;
}

/**
 * lr = base · γ^⌊epoch / stepSize⌋, PyTorch's `StepLR`.
 * @example const s = new StepLR(opt, { stepSize: 30, gamma: 0.1 }); // per epoch: opt.step(); s.step();
 */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;
  constructor(optimizer: Optimizer, { stepSize, gamma = 0.1 }: StepLROptions) {
    super(optimizer, 'StepLR');
    this.stepSize = positiveInt(stepSize, 'StepLR', 'stepSize');
    this.gamma = finite(gamma, 'StepLR', 'gamma', (g) => g > 0, 'a finite number > 0');
    this.start();
  }
  protected lrAt(epoch: number, base: number): number {
    return base * this.gamma ** Math.floor(epoch / this.stepSize);
  }
}

/** Options of `MultiStepLR`. */
export interface MultiStepLROptions {
  /** The steps at which the rate is multiplied by γ, increasing. */
  milestones: readonly number[];
  /** Factor of each decay. Default 0.1. */
  gamma?: number;
}

/**
 * lr = base · γ^(number of milestones ≤ epoch), PyTorch's `MultiStepLR`.
 * @example const s = new MultiStepLR(opt, { milestones: [30, 80], gamma: 0.1 });
 */
export class MultiStepLR extends LRScheduler {
  readonly milestones: readonly number[];
  readonly gamma: number;
  constructor(optimizer: Optimizer, { milestones, gamma = 0.1 }: MultiStepLROptions) {
    super(optimizer, 'MultiStepLR');
    this.milestones = increasing(milestones, 'MultiStepLR', 'milestones');
    this.gamma = finite(gamma, 'MultiStepLR', 'gamma', (g) => g > 0, 'a finite number > 0');
    this.start();
  }
  protected lrAt(epoch: number, base: number): number {
    return base * this.gamma ** countAtMost(this.milestones, epoch);
  }
}

export function increasing(values: unknown, where: string, name: string): readonly number[] {
  if (!Array.isArray(values))
    throw new TypeError(`${where}: ${name} must be an array of increasing positive integers`);
  values.forEach((v, i) => {
    positiveInt(v, where, `${name}[${i}]`);
    if (i > 0 && v <= values[i - 1])
      throw new RangeError(`${where}: ${name} must be increasing, got [${values.join(', ')}]`);
  });
  return Object.freeze(values.slice());
}

/** How many of the sorted `milestones` are ≤ `epoch` (Python's `bisect_right`). */
export function countAtMost(milestones: readonly number[], epoch: number): number {
  let n = 0;
  while (n < milestones.length && milestones[n] <= epoch) n++;
  return n;
}

/** Options of `ExponentialLR`. */
export interface ExponentialLROptions {
  /** Factor of each step's decay. */
  gamma: number;
}

/**
 * lr = base · γ^epoch, PyTorch's `ExponentialLR`.
 * @example const s = new ExponentialLR(opt, { gamma: 0.95 });
 */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;
  constructor(optimizer: Optimizer, { gamma }: ExponentialLROptions) {
    super(optimizer, 'ExponentialLR');
    this.gamma = finite(gamma, 'ExponentialLR', 'gamma', (g) => g > 0, 'a finite number > 0');
    this.start();
  }
  protected lrAt(epoch: number, base: number): number {
    return base * this.gamma ** epoch;
  }
}

/** Options of `CosineAnnealingLR`. */
export interface CosineAnnealingLROptions {
  /** Steps of one half cosine, from the base rate down to `etaMin` (PyTorch's `T_max`). */
  tMax: number;
  /** The lowest rate. Default 0. */
  etaMin?: number;
}

/**
 * lr = ηmin + (base − ηmin)·(1 + cos(π·epoch/Tmax))/2, PyTorch's `CosineAnnealingLR` (SGDR without
 * restarts: past Tmax the cosine rises again, as PyTorch's does).
 * @example const s = new CosineAnnealingLR(opt, { tMax: epochs * stepsPerEpoch }); // step() per batch
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;
  constructor(optimizer: Optimizer, { tMax, etaMin = 0 }: CosineAnnealingLROptions) {
    super(optimizer, 'CosineAnnealingLR');
    this.tMax = positiveInt(tMax, 'CosineAnnealingLR', 'tMax');
    this.etaMin = finite(etaMin, 'CosineAnnealingLR', 'etaMin', (e) => e >= 0, 'a finite number >= 0');
    this.start();
  }
  protected lrAt(epoch: number, base: number): number {
    return this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * epoch) / this.tMax))) / 2;
  }
}

/** Options of `LinearLR`. */
export interface LinearLROptions {
  /** The factor of the base rate at step 0. Default 1/3. */
  startFactor?: number;
  /** The factor reached at `totalIters` and kept after. Default 1. */
  endFactor?: number;
  /** Steps of the ramp. Default 5. */
  totalIters?: number;
}

/**
 * lr = base · (start + (end − start)·min(epoch, totalIters)/totalIters), PyTorch's `LinearLR`: a
 * learning-rate warm-up when startFactor < endFactor.
 * @example const warmUp = new LinearLR(opt, { startFactor: 0.01, totalIters: 500 });
 */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;
  constructor(
    optimizer: Optimizer,
    { startFactor = 1 / 3, endFactor = 1, totalIters = 5 }: LinearLROptions = {},
  ) {
    super(optimizer, 'LinearLR');
    this.startFactor = finite(startFactor, 'LinearLR', 'startFactor', (f) => f > 0 && f <= 1, 'in (0, 1]');
    this.endFactor = finite(endFactor, 'LinearLR', 'endFactor', (f) => f >= 0 && f <= 1, 'in [0, 1]');
    this.totalIters = positiveInt(totalIters, 'LinearLR', 'totalIters');
    this.start();
  }
  protected lrAt(epoch: number, base: number): number {
    const t = Math.min(epoch, this.totalIters) / this.totalIters;
    return base * (this.startFactor + (this.endFactor - this.startFactor) * t);
  }
}
