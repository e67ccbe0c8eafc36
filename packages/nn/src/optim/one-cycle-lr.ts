import { preview } from '../serialize/preview';
import { finite, LRScheduler, positiveInt } from './lr-scheduler';
import type { Optimizer } from './optimizer';

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
        `${where}: annealStrategy must be 'cos' or 'linear', got ${preview(annealStrategy)}`,
      );
    if (typeof threePhase !== 'boolean')
      throw new TypeError(`${where}: threePhase must be a boolean, got ${preview(threePhase)}`);
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
