import type { Optimizer } from './optimizer';

/** A scheduler's state, enough to continue its schedule after a resume: the step count and its own fields. */
export type SchedulerStateDict = Record<string, number | number[]>;

/**
 * The learning rate each parameter group of an optimizer started from (PyTorch's `initial_lr`): recorded by
 * the first scheduler built on it, so that every later scheduler on the same optimizer (and `SequentialLR`)
 * starts from the same base.
 */
const initialLrs = new WeakMap<Optimizer, readonly number[]>();

/** Sets each parameter group's learning rate. */
function setLrs(optimizer: Optimizer, lrs: readonly number[]): void {
  optimizer.paramGroups.forEach((g, i) => {
    (g.options as Record<string, unknown>).lr = lrs[i];
  });
}

function groupLrs(optimizer: Optimizer): number[] {
  return optimizer.paramGroups.map((g) => g.options.lr as number);
}

function positiveInt(value: unknown, where: string, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0)
    throw new RangeError(`${where}: ${name} must be a positive integer, got ${describe(value)}`);
  return value;
}

function finite(
  value: unknown,
  where: string,
  name: string,
  ok: (v: number) => boolean,
  rule: string,
): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value))
    throw new RangeError(`${where}: ${name} must be ${rule}, got ${describe(value)}`);
  return value;
}

function describe(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
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
      throw new TypeError(`${where}: expected an Optimizer, got ${describe(optimizer)}`);
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
        `${this.constructor.name}.loadStateDict: lastEpoch must be an integer >= 0, got ${describe(epoch)}`,
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

function increasing(values: unknown, where: string, name: string): readonly number[] {
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
function countAtMost(milestones: readonly number[], epoch: number): number {
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

/** Options of `OneCycleLR`. */
export interface OneCycleLROptions {
  /** The peak learning rate. */
  maxLr: number;
  /** The number of `step()` calls of the whole cycle (the optimizer's steps). */
  totalSteps: number;
  /** Fraction of the cycle spent rising. Default 0.3. */
  pctStart?: number;
  /** 'cos' (default) or 'linear' annealing between the phase ends. */
  annealStrategy?: 'cos' | 'linear';
  /** Initial rate = maxLr / divFactor. Default 25. */
  divFactor?: number;
  /** Final rate = initial rate / finalDivFactor. Default 1e4. */
  finalDivFactor?: number;
  /** Three phases (up, back down to the initial rate, then to the final rate) instead of two. Default false. */
  threePhase?: boolean;
}

interface Phase {
  endStep: number;
  startLr: number;
  endLr: number;
}

/**
 * The 1cycle policy (Smith & Topor, 2017), PyTorch's `OneCycleLR` for the learning rate: from maxLr/divFactor
 * up to maxLr over pctStart of the steps, then down to maxLr/(divFactor·finalDivFactor). Call `step()` after
 * every optimizer step; stepping more than `totalSteps` times is an error, as in PyTorch. This sets the learning rate
 * only: PyTorch's default also cycles the momentum (`cycle_momentum`), which is not done here.
 * @example const s = new OneCycleLR(opt, { maxLr: 0.1, totalSteps: epochs * stepsPerEpoch });
 */
export class OneCycleLR extends LRScheduler {
  readonly totalSteps: number;
  private readonly phases: readonly Phase[];
  private readonly anneal: (start: number, end: number, pct: number) => number;

  constructor(optimizer: Optimizer, options: OneCycleLROptions) {
    super(optimizer, 'OneCycleLR');
    const where = 'OneCycleLR';
    const {
      maxLr,
      totalSteps,
      pctStart = 0.3,
      annealStrategy = 'cos',
      divFactor = 25,
      finalDivFactor = 1e4,
      threePhase = false,
    } = options ?? ({} as OneCycleLROptions);
    finite(maxLr, where, 'maxLr', (v) => v > 0, 'a finite number > 0');
    this.totalSteps = positiveInt(totalSteps, where, 'totalSteps');
    finite(pctStart, where, 'pctStart', (v) => v >= 0 && v <= 1, 'in [0, 1]');
    finite(divFactor, where, 'divFactor', (v) => v > 0, 'a finite number > 0');
    finite(finalDivFactor, where, 'finalDivFactor', (v) => v > 0, 'a finite number > 0');
    if (annealStrategy !== 'cos' && annealStrategy !== 'linear')
      throw new RangeError(
        `${where}: annealStrategy must be 'cos' or 'linear', got ${describe(annealStrategy)}`,
      );
    if (typeof threePhase !== 'boolean')
      throw new TypeError(`${where}: threePhase must be a boolean, got ${describe(threePhase)}`);
    const initial = maxLr / divFactor;
    const min = initial / finalDivFactor;
    const up = pctStart * this.totalSteps - 1;
    this.phases = threePhase
      ? [
          { endStep: up, startLr: initial, endLr: maxLr },
          { endStep: 2 * pctStart * this.totalSteps - 2, startLr: maxLr, endLr: initial },
          { endStep: this.totalSteps - 1, startLr: initial, endLr: min },
        ]
      : [
          { endStep: up, startLr: initial, endLr: maxLr },
          { endStep: this.totalSteps - 1, startLr: maxLr, endLr: min },
        ];
    this.anneal =
      annealStrategy === 'cos'
        ? (start, end, pct) => end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1)
        : (start, end, pct) => (end - start) * pct + start;
    this.start();
  }

  override step(): void {
    if (this.lastEpoch + 1 > this.totalSteps)
      throw new RangeError(
        `OneCycleLR: tried to step ${this.lastEpoch + 1} times, but totalSteps is ${this.totalSteps}; ` +
          'build it with totalSteps = epochs × steps per epoch',
      );
    super.step();
  }

  protected lrAt(epoch: number, _base: number): number {
    let startStep = 0;
    for (let i = 0; i < this.phases.length; i++) {
      const { endStep, startLr, endLr } = this.phases[i];
      if (epoch <= endStep || i === this.phases.length - 1) {
        return this.anneal(startLr, endLr, (epoch - startStep) / (endStep - startStep));
      }
      startStep = endStep;
    }
    return Number.NaN; // unreachable: the last phase always answers
  }
}

/** Options of `ReduceLROnPlateau`. */
export interface ReduceLROnPlateauOptions {
  /** 'min' (default): a lower metric is better, as a loss; 'max': higher is better, as an accuracy. */
  mode?: 'min' | 'max';
  /** Factor the rate is multiplied by. Default 0.1. */
  factor?: number;
  /** Steps without improvement tolerated before a reduction. Default 10. */
  patience?: number;
  /** How much better counts as better. Default 1e-4. */
  threshold?: number;
  /** 'rel' (default): better by the fraction `threshold`; 'abs': by `threshold` itself. */
  thresholdMode?: 'rel' | 'abs';
  /** Steps to wait after a reduction before counting again. Default 0. */
  cooldown?: number;
  /** The rate never goes below this. Default 0. */
  minLr?: number;
  /** A reduction smaller than this is skipped. Default 1e-8. */
  eps?: number;
}

/**
 * Reduces the learning rate by `factor` once a metric has stopped improving for `patience` steps, PyTorch's
 * `ReduceLROnPlateau`. `step(metric)` takes the epoch's metric (for example the validation loss).
 * @example const s = new ReduceLROnPlateau(opt, { patience: 3 }); // each epoch: s.step(validationLoss);
 */
export class ReduceLROnPlateau {
  readonly optimizer: Optimizer;
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLr: number;
  readonly eps: number;
  /** The best metric seen so far. */
  best: number;
  /** Steps since the metric last improved. */
  numBadEpochs = 0;
  /** Steps left in the cool-down after a reduction. */
  cooldownCounter = 0;
  /** The number of `step()` calls so far. */
  lastEpoch = 0;

  constructor(optimizer: Optimizer, options: ReduceLROnPlateauOptions = {}) {
    const where = 'ReduceLROnPlateau';
    if (optimizer === null || typeof optimizer !== 'object' || typeof optimizer.step !== 'function')
      throw new TypeError(`${where}: expected an Optimizer, got ${describe(optimizer)}`);
    const {
      mode = 'min',
      factor = 0.1,
      patience = 10,
      threshold = 1e-4,
      thresholdMode = 'rel',
      cooldown = 0,
      minLr = 0,
      eps = 1e-8,
    } = options;
    if (mode !== 'min' && mode !== 'max')
      throw new RangeError(`${where}: mode must be 'min' or 'max', got ${describe(mode)}`);
    if (thresholdMode !== 'rel' && thresholdMode !== 'abs')
      throw new RangeError(`${where}: thresholdMode must be 'rel' or 'abs', got ${describe(thresholdMode)}`);
    this.optimizer = optimizer;
    this.mode = mode;
    this.thresholdMode = thresholdMode;
    this.factor = finite(factor, where, 'factor', (f) => f > 0 && f < 1, 'in (0, 1)');
    this.patience = finite(
      patience,
      where,
      'patience',
      (p) => Number.isInteger(p) && p >= 0,
      'an integer >= 0',
    );
    this.threshold = finite(threshold, where, 'threshold', (t) => t >= 0, 'a finite number >= 0');
    this.cooldown = finite(
      cooldown,
      where,
      'cooldown',
      (c) => Number.isInteger(c) && c >= 0,
      'an integer >= 0',
    );
    this.minLr = finite(minLr, where, 'minLr', (m) => m >= 0, 'a finite number >= 0');
    this.eps = finite(eps, where, 'eps', (e) => e >= 0, 'a finite number >= 0');
    this.best = mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }

  /** Records this step's metric and reduces the learning rate when it has stopped improving. */
  step(metric: number): void {
    if (typeof metric !== 'number' || Number.isNaN(metric))
      throw new TypeError(`ReduceLROnPlateau.step: metric must be a number, got ${describe(metric)}`);
    this.lastEpoch += 1;
    if (this.isBetter(metric)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      setLrs(
        this.optimizer,
        groupLrs(this.optimizer).map((old) => {
          const next = Math.max(old * this.factor, this.minLr);
          return old - next > this.eps ? next : old;
        }),
      );
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
  }

  private isBetter(a: number): boolean {
    const { best, threshold } = this;
    if (this.mode === 'min')
      return this.thresholdMode === 'rel' ? a < best * (1 - threshold) : a < best - threshold;
    return this.thresholdMode === 'rel' ? a > best * (threshold + 1) : a > best + threshold;
  }

  /** The learning rate of each parameter group now. */
  getLastLr(): number[] {
    return groupLrs(this.optimizer);
  }

  /** The counters and the best metric, for checkpoints (the rate itself is saved with the optimizer). */
  stateDict(): SchedulerStateDict {
    return {
      lastEpoch: this.lastEpoch,
      best: this.best,
      numBadEpochs: this.numBadEpochs,
      cooldownCounter: this.cooldownCounter,
    };
  }

  /** Continues from a `stateDict()`. */
  loadStateDict(sd: SchedulerStateDict): void {
    const where = 'ReduceLROnPlateau.loadStateDict';
    const count = (k: string) =>
      finite(sd?.[k], where, k, (v) => Number.isInteger(v) && v >= 0, 'an integer >= 0');
    const best = sd?.best;
    if (typeof best !== 'number' || Number.isNaN(best))
      throw new RangeError(`${where}: best must be a number, got ${describe(best)}`);
    const next = {
      lastEpoch: count('lastEpoch'),
      numBadEpochs: count('numBadEpochs'),
      cooldownCounter: count('cooldownCounter'),
    };
    Object.assign(this, next, { best });
  }
}

/** Options of `SequentialLR`. */
export interface SequentialLROptions {
  /** The schedulers, in the order they run; all on the same optimizer. */
  schedulers: readonly LRScheduler[];
  /** The steps at which the next scheduler takes over (one fewer than schedulers), increasing. */
  milestones: readonly number[];
}

/**
 * Runs schedulers one after another, PyTorch's `SequentialLR`: before milestone 0 the first, then the second
 * from its own step 0, and so on. A warm-up then a cosine decay:
 * @example
 * const warmUp = new LinearLR(opt, { startFactor: 0.01, totalIters: 100 });
 * const decay = new CosineAnnealingLR(opt, { tMax: 900 });
 * const s = new SequentialLR(opt, { schedulers: [warmUp, decay], milestones: [100] });
 */
export class SequentialLR {
  readonly optimizer: Optimizer;
  readonly schedulers: readonly LRScheduler[];
  readonly milestones: readonly number[];
  /** The number of `step()` calls so far. */
  lastEpoch = 0;

  constructor(optimizer: Optimizer, { schedulers, milestones }: SequentialLROptions) {
    const where = 'SequentialLR';
    if (!Array.isArray(schedulers) || schedulers.length === 0)
      throw new TypeError(`${where}: schedulers must be a non-empty array of schedulers`);
    schedulers.forEach((s, i) => {
      if (!(s instanceof LRScheduler))
        throw new TypeError(
          `${where}: schedulers[${i}] is not an LRScheduler (ReduceLROnPlateau cannot be chained)`,
        );
      if (s.optimizer !== optimizer)
        throw new RangeError(`${where}: schedulers[${i}] is built on another optimizer than the one given`);
    });
    this.milestones = increasing(milestones, where, 'milestones');
    if (this.milestones.length !== schedulers.length - 1)
      throw new RangeError(
        `${where}: ${schedulers.length} schedulers need ${schedulers.length - 1} milestones, got ${this.milestones.length}`,
      );
    this.optimizer = optimizer;
    this.schedulers = Object.freeze(schedulers.slice());
    // Building each scheduler stepped it once; start over at the first one's step 0, as PyTorch does.
    for (const s of this.schedulers) s.lastEpoch = -1;
    this.schedulers[0].step();
  }

  /** Advances one step: the scheduler whose span this step is in sets the rate. */
  step(): void {
    this.lastEpoch += 1;
    const i = countAtMost(this.milestones, this.lastEpoch);
    const s = this.schedulers[i];
    if (i > 0 && this.milestones[i - 1] === this.lastEpoch) s.lastEpoch = -1; // restart at its step 0
    s.step();
  }

  /** The learning rate of each parameter group now. */
  getLastLr(): number[] {
    return groupLrs(this.optimizer);
  }

  /** This scheduler's step count and each inner scheduler's state. */
  stateDict(): SchedulerStateDict {
    return { lastEpoch: this.lastEpoch, inner: this.schedulers.map((s) => s.lastEpoch) };
  }

  /** Continues from a `stateDict()`. */
  loadStateDict(sd: SchedulerStateDict): void {
    const where = 'SequentialLR.loadStateDict';
    const inner = sd?.inner;
    if (!Array.isArray(inner) || inner.length !== this.schedulers.length)
      throw new RangeError(`${where}: inner must hold ${this.schedulers.length} step counts`);
    const lastEpoch = finite(
      sd.lastEpoch,
      where,
      'lastEpoch',
      (v) => Number.isInteger(v) && v >= 0,
      'an integer >= 0',
    );
    inner.forEach((e, i) => {
      finite(e, where, `inner[${i}]`, (v) => Number.isInteger(v) && v >= -1, 'an integer >= -1');
    });
    this.lastEpoch = lastEpoch;
    inner.forEach((e, i) => {
      this.schedulers[i].lastEpoch = e;
    });
    const active = this.schedulers[countAtMost(this.milestones, lastEpoch)];
    setLrs(this.optimizer, active.getLastLr());
  }
}
