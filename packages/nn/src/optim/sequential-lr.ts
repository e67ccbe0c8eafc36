import {
  countAtMost,
  finite,
  groupLrs,
  increasing,
  LRScheduler,
  type SchedulerStateDict,
  setLrs,
} from './lr-scheduler';
import type { Optimizer } from './optimizer';

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
