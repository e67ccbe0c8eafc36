import {
  Adam,
  accuracy,
  CosineAnnealingLR,
  crossEntropy,
  DataLoader,
  type Optimizer,
  SGD,
} from '@selfnorm/nn';
import { noGrad, type Rng, type Tensor } from '@selfnorm/tensor';
import type { EpochMetrics, LayerStats, StepMetrics } from './metrics.ts';
import { type Mnist, MnistDataset, type MnistSplit, standardizeTable } from './mnist.ts';
import { Mlp, type ModelSpec } from './model.ts';
import { Cnn } from './model-cnn.ts';
import type { OptimizerName, Schedule } from './options.ts';
import type { ProgressBar } from './progress.ts';

/** What a {@link Trainer} trains: the model's shape plus the optimization settings. */
export interface TrainerSpec extends ModelSpec {
  batchSize: number;
  lr: number;
  optimizer: OptimizerName;
  momentum: number;
  /** The learning-rate schedule over `epochs` epochs. */
  schedule: Schedule;
  epochs: number;
  /** Record layer statistics every N steps (0: only at each epoch's end). */
  statsEvery: number;
}

/** The random streams of a run, each advanced only by its own consumer (so a resume can restore them). */
export interface RunRngs {
  /** Weight initialization (used once, at construction). */
  init: Rng;
  /** The shuffling of each epoch. */
  data: Rng;
  /** Dropout masks. */
  dropout: Rng;
}

/**
 * Thrown by {@link Trainer.trainEpoch} when a loss is not finite (NaN or ±Infinity): the run has
 * diverged. A training loss is checked at every step, before the optimizer step, so the weights and the
 * optimizer state are still those of the last finite step (the epoch must not be saved all the same).
 *
 * @example
 * try { await trainer.trainEpoch(); } catch (e) { if (e instanceof DivergedError) console.log(e.step); }
 */
export class DivergedError extends Error {
  override name = 'DivergedError';
  constructor(
    /** The 1-based epoch in progress. */
    readonly epoch: number,
    /** The 1-based optimizer step whose loss was not finite (for a test loss: the last step taken). */
    readonly step: number,
    /** The loss: NaN, Infinity or -Infinity. */
    readonly loss: number,
    /** Which loss: the training loss of one step, or the test loss after the epoch. */
    readonly split: 'train' | 'test' = 'train',
  ) {
    super(
      split === 'train'
        ? `the training loss is ${loss} at step ${step} (epoch ${epoch}): the run diverged`
        : `the test loss after epoch ${epoch} is ${loss}: the run diverged`,
    );
  }
}

/** Examples whose hidden activations are measured: the first ones of the test split, fixed for the run. */
export const STATS_BATCH = 512;

/**
 * Trains one {@link Mlp} (or {@link Cnn}) on MNIST epoch by epoch: seeded shuffling, mini-batch steps with
 * cross-entropy, evaluation, and the per-layer activation statistics on a fixed batch.
 *
 * @example
 * const t = new Trainer(loadMnist(), spec, splitRngs(new Rng(1)));
 * const epoch = await t.trainEpoch(); // { trainLoss, testLoss, testAccuracy, … }
 */
export class Trainer {
  readonly model: Mlp | Cnn;
  readonly optimizer: Optimizer;
  /**
   * The cosine decay of `schedule: 'cosine'` (null for a constant rate): lr·(1 + cos(π·step/total))/2 from lr
   * to 0 over `epochs × stepsPerEpoch` optimizer steps, stepped after each one.
   */
  readonly scheduler: CosineAnnealingLR | null;
  /** The shuffled training batches; its shuffles draw from `rngs.data`. */
  readonly loader: DataLoader;
  /** Epochs finished. */
  epoch = 0;
  /** Optimizer steps taken. */
  step = 0;
  readonly steps: StepMetrics[] = [];
  readonly layerStats: LayerStats[] = [];
  private readonly lut: Float32Array;
  private readonly statsInput: Tensor;
  private readonly stepsPerEpoch: number;

  constructor(
    readonly data: Mnist,
    readonly spec: TrainerSpec,
    readonly rngs: RunRngs,
  ) {
    this.model =
      spec.model === 'cnn' ? new Cnn(spec, rngs.init, rngs.dropout) : new Mlp(spec, rngs.init, rngs.dropout);
    const params = this.model.parameters();
    this.optimizer =
      spec.optimizer === 'adam'
        ? new Adam(params, { lr: spec.lr })
        : new SGD(params, { lr: spec.lr, momentum: spec.momentum });
    this.lut = standardizeTable(data.stats);
    const n = Math.min(STATS_BATCH, data.test.count);
    [this.statsInput] = new MnistDataset(data.test, this.lut).batch(Array.from({ length: n }, (_, i) => i));
    this.loader = new DataLoader(new MnistDataset(data.train, this.lut), {
      batchSize: spec.batchSize,
      shuffle: true,
      rng: rngs.data,
    });
    this.stepsPerEpoch = this.loader.length;
    this.scheduler =
      spec.schedule === 'cosine'
        ? new CosineAnnealingLR(this.optimizer, { tMax: spec.epochs * this.stepsPerEpoch })
        : null;
  }

  /**
   * Trains one epoch and evaluates on the test split; `bar` (optional) shows progress. It yields to the
   * event loop after every step, so signals (Ctrl-C) and tsx's IPC are handled during an epoch.
   */
  async trainEpoch(bar?: ProgressBar): Promise<EpochMetrics> {
    if (this.step === 0 && this.layerStats.length === 0) this.recordLayerStatsAt(0);
    const { model, optimizer, spec } = this;
    const logEvery = Math.max(1, Math.floor(this.stepsPerEpoch / 20));
    const t0 = performance.now();
    let lossSum = 0;
    let seen = 0;
    let windowSum = 0;
    let windowSteps = 0;
    let stepInEpoch = 0;
    model.train();
    for (const [x, labels] of this.loader) {
      const size = x.shape[0];
      const loss = crossEntropy(model.forward(x), labels);
      const value = loss.item();
      // Checked before the step, so a non-finite loss never reaches the weights or the optimizer state.
      if (!Number.isFinite(value)) throw new DivergedError(this.epoch + 1, this.step + 1, value);
      model.zeroGrad();
      loss.backward();
      optimizer.step();
      this.scheduler?.step();
      this.step++;
      stepInEpoch++;
      lossSum += value * size;
      seen += size;
      windowSum += value;
      windowSteps++;
      if (stepInEpoch % logEvery === 0 || seen === this.data.train.count) {
        this.steps.push({
          step: this.step,
          epoch: this.epoch + seen / this.data.train.count,
          loss: windowSum / windowSteps,
        });
        windowSum = 0;
        windowSteps = 0;
      }
      if (spec.statsEvery > 0 && this.step % spec.statsEvery === 0 && seen < this.data.train.count) {
        this.recordLayerStatsAt(this.epoch + seen / this.data.train.count);
      }
      bar?.update(seen, lossSum / seen);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const seconds = (performance.now() - t0) / 1000;
    this.epoch++;
    this.recordLayerStatsAt(this.epoch);
    const test = this.evaluate(this.data.test);
    if (!Number.isFinite(test.loss)) throw new DivergedError(this.epoch, this.step, test.loss, 'test');
    return {
      epoch: this.epoch,
      trainLoss: lossSum / seen,
      testLoss: test.loss,
      testAccuracy: test.accuracy,
      seconds,
      samplesPerSecond: seen / seconds,
    };
  }

  /** Mean cross-entropy and accuracy on a split, in eval mode, without gradients. */
  evaluate(split: MnistSplit): { loss: number; accuracy: number } {
    const { model } = this;
    model.eval();
    try {
      return noGrad(() => {
        let loss = 0;
        let correct = 0;
        for (const [x, labels] of new DataLoader(new MnistDataset(split, this.lut), { batchSize: 1000 })) {
          const logits = model.forward(x);
          loss += crossEntropy(logits, labels, { reduction: 'sum' }).item();
          correct += Math.round(accuracy(logits, labels) * x.shape[0]);
        }
        return { loss: loss / split.count, accuracy: correct / split.count };
      });
    } finally {
      model.train();
    }
  }

  /** Records every hidden layer's activation mean and variance now (eval mode, the fixed batch). */
  private recordLayerStatsAt(epoch: number): void {
    this.model.activationStats(this.statsInput).forEach((s, i) => {
      this.layerStats.push({ step: this.step, epoch, layer: i + 1, ...s });
    });
  }
}

/**
 * The run's random streams, split from one seeded generator in a fixed order (init, data, dropout), so
 * the same seed gives the same weights, batches and masks.
 *
 * @example
 * const rngs = splitRngs(new Rng(options.seed));
 */
export function splitRngs(root: Rng): RunRngs {
  return { init: root.split(), data: root.split(), dropout: root.split() };
}
