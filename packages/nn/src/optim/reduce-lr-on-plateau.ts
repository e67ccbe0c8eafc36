import { preview } from '../serialize/preview';
import { finite, groupLrs, type SchedulerStateDict, setLrs } from './lr-scheduler';
import type { Optimizer } from './optimizer';

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
      throw new TypeError(`${where}: expected an Optimizer, got ${preview(optimizer)}`);
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
      throw new RangeError(`${where}: mode must be 'min' or 'max', got ${preview(mode)}`);
    if (thresholdMode !== 'rel' && thresholdMode !== 'abs')
      throw new RangeError(`${where}: thresholdMode must be 'rel' or 'abs', got ${preview(thresholdMode)}`);
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
      throw new TypeError(`ReduceLROnPlateau.step: metric must be a number, got ${preview(metric)}`);
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
      throw new RangeError(`${where}: best must be a number, got ${preview(best)}`);
    const next = {
      lastEpoch: count('lastEpoch'),
      numBadEpochs: count('numBadEpochs'),
      cooldownCounter: count('cooldownCounter'),
    };
    Object.assign(this, next, { best });
  }
}
