import type { Activation, CompareOptions, TrainOptions } from './options.ts';

/** One finished epoch. */
export interface EpochMetrics {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean training loss over the epoch's batches (train mode, so with dropout). */
  trainLoss: number;
  testLoss: number;
  /** Fraction of test images classified correctly, in [0, 1]. */
  testAccuracy: number;
  /** Wall time of the epoch's training steps (evaluation excluded). */
  seconds: number;
  samplesPerSecond: number;
}

/** The running training loss, sampled during an epoch. */
export interface StepMetrics {
  /** Optimizer steps taken so far. */
  step: number;
  /** Epochs done, fractional (1.5 = halfway through the second epoch). */
  epoch: number;
  /** Mean loss of the batches since the previous record. */
  loss: number;
}

/** One hidden layer's activation statistics on the fixed evaluation batch, in eval mode. */
export interface LayerStats {
  step: number;
  epoch: number;
  /** 1-based hidden layer index (the output of its activation, before dropout). */
  layer: number;
  mean: number;
  variance: number;
  /** The layer's ω = n·mean(w) per unit, averaged over its units (absent in runs saved before it existed). */
  omega?: number;
  /** The layer's τ = n·mean(w²) per unit, averaged over its units (absent in older runs). */
  tau?: number;
}

/** Where a run diverged (a loss that is NaN or ±Infinity); that epoch is not in `epochs` and not saved. */
export interface Divergence {
  /** The 1-based epoch that diverged. */
  epoch: number;
  /** The optimizer step whose loss was not finite (for a test loss: the epoch's last step). */
  step: number;
  /** The loss as text ('NaN', 'Infinity', '-Infinity': JSON has no such numbers). */
  loss: string;
  /** The training loss of a step, or the test loss after the epoch. */
  split: 'train' | 'test';
}

/** Everything one run records; written to metrics.json and drawn by the report. */
export interface RunMetrics {
  options: Omit<TrainOptions, 'out'>;
  parameters: number;
  /** The finished (and saved) epochs. */
  epochs: EpochMetrics[];
  /** Set when the run stopped because a loss was not finite. */
  diverged?: Divergence;
  steps: StepMetrics[];
  layerStats: LayerStats[];
  /** Total wall time of all sessions (a resumed run adds up). */
  totalSeconds: number;
  /** How inputs were standardized: (pixel − mean) / std for raw pixels in 0..255 (absent in older runs). */
  input?: { mean: number; std: number };
}

/** One network of the comparison. */
export interface CompareRun {
  depth: number;
  activation: Extract<Activation, 'selu' | 'relu-bn'>;
  /** Per epoch; `trainLoss` (the mean loss of the epoch's batches) is what Figure 1 plots. */
  epochs: EpochMetrics[];
  /** Wall time of this network's training and evaluation. */
  seconds: number;
  /** Set when this network's loss stopped being finite (its curve ends before). */
  diverged?: Divergence;
}

/** What --compare records. */
export interface CompareMetrics {
  options: Omit<CompareOptions, 'out'>;
  runs: CompareRun[];
  totalSeconds: number;
}
