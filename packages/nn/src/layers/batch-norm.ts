import {
  add,
  assign,
  batchNorm,
  cast,
  checkTensor,
  type DType,
  div,
  mul,
  noGrad,
  ones,
  reshape,
  sqrt,
  sub,
  type Tensor,
  tensor,
  zeros,
} from '@selfnorm/tensor';
import { Module } from '../module';

/** Options of `BatchNorm1d` and `BatchNorm2d`. */
export interface BatchNormOptions {
  /** Added to the variance before the square root. Default 1e-5. */
  eps?: number;
  /** Weight of the new batch in the running statistics; null for a cumulative average. Default 0.1. */
  momentum?: number | null;
  /** Learn a per-feature scale `weight` (init 1) and shift `bias` (init 0). Default true. */
  affine?: boolean;
  /** Keep running statistics for eval mode; if false, eval mode also uses the batch statistics. Default true. */
  trackRunningStats?: boolean;
  /** Default 'float32'. */
  dtype?: DType;
}

/** The input layouts a batch-norm layer accepts: its ranks, and its name and shapes for error messages. */
export interface BatchNormLayout {
  /** The layer's name in messages, e.g. 'BatchNorm1d'. */
  name: string;
  /** The accepted input ranks; every axis but 1 (the channels) is normalized over. */
  ranks: readonly number[];
  /** The accepted shapes in words, with C filled in, e.g. (c) => `[N, ${c}] or [N, ${c}, L]`. */
  shapes: (c: number) => string;
}

/**
 * The batch normalization that `BatchNorm1d` and `BatchNorm2d` share (PyTorch's `_BatchNorm`): per channel (axis 1)
 * y = (x − E[x]) / √(Var[x] + eps) · weight + bias, the statistics taken over every other axis (N, and L or H, W).
 * Training mode normalizes with the batch's mean and biased variance and updates the running statistics as
 * running = (1 − momentum)·running + momentum·batch, with the UNBIASED batch variance (as PyTorch does); eval mode
 * normalizes with the running statistics. Buffers use PyTorch's names: `running_mean`, `running_var`,
 * `num_batches_tracked`, so checkpoints line up with `nn.BatchNorm1d` / `nn.BatchNorm2d`.
 * Source: Ioffe & Szegedy, "Batch Normalization", ICML 2015; PyTorch's `nn.modules.batchnorm._BatchNorm`.
 * @example
 * class BatchNorm3d extends BatchNormBase {
 *   constructor(c: number, options: BatchNormOptions = {}) {
 *     super(c, options, { name: 'BatchNorm3d', ranks: [5], shapes: (c) => `[N, ${c}, D, H, W]` });
 *   }
 * }
 */
export abstract class BatchNormBase extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly trackRunningStats: boolean;
  /** Per-feature scale, shape [C] (absent when affine is false). */
  weight?: Tensor;
  /** Per-feature shift, shape [C] (absent when affine is false). */
  bias?: Tensor;
  readonly #layout: BatchNormLayout;

  protected constructor(
    numFeatures: number,
    {
      eps = 1e-5,
      momentum = 0.1,
      affine = true,
      trackRunningStats = true,
      dtype = 'float32',
    }: BatchNormOptions,
    layout: BatchNormLayout,
  ) {
    super();
    const name = layout.name;
    if (!Number.isInteger(numFeatures) || numFeatures < 1) {
      throw new RangeError(`${name}: numFeatures must be a positive integer, got ${numFeatures}`);
    }
    if (!(eps >= 0)) throw new RangeError(`${name}: eps must be >= 0, got ${eps}`);
    if (momentum !== null && !(momentum >= 0 && momentum <= 1)) {
      throw new RangeError(`${name}: momentum must be in [0, 1] or null, got ${momentum}`);
    }
    this.#layout = layout;
    this.numFeatures = numFeatures;
    this.eps = eps;
    this.momentum = momentum;
    this.trackRunningStats = trackRunningStats;
    if (affine) {
      this.weight = ones([numFeatures], { dtype, requiresGrad: true });
      this.bias = zeros([numFeatures], { dtype, requiresGrad: true });
      this.registerParameter('weight', this.weight); // declared: stays a parameter when frozen
      this.registerParameter('bias', this.bias);
    }
    if (trackRunningStats) {
      this.registerBuffer('running_mean', zeros([numFeatures], { dtype }));
      this.registerBuffer('running_var', ones([numFeatures], { dtype }));
      this.registerBuffer('num_batches_tracked', tensor(0, { dtype: 'float64' }));
    }
  }

  /** The running mean, shape [C]. */
  get runningMean(): Tensor {
    return this.buffer('running_mean');
  }

  /** The running (unbiased) variance, shape [C]. */
  get runningVar(): Tensor {
    return this.buffer('running_var');
  }

  /** How many training batches have updated the running statistics (one read of a 0-d buffer). */
  get numBatchesTracked(): number {
    return this.buffer('num_batches_tracked').item();
  }

  forward(x: Tensor): Tensor {
    const { name, ranks, shapes } = this.#layout;
    checkTensor(x, `${name}(${this.numFeatures}).forward`, 'input');
    const c = this.numFeatures;
    if (!ranks.includes(x.ndim) || x.shape[1] !== c) {
      throw new RangeError(`${name}(${c}): expected input of shape ${shapes(c)}, got [${x.shape}]`);
    }
    const statShape = x.shape.map((_, d) => (d === 1 ? c : 1));
    if (this.training || !this.trackRunningStats) {
      const n = x.size / c;
      if (this.training && n < 2) {
        throw new RangeError(
          `${name}: training needs more than 1 value per feature, got input shape [${x.shape}]`,
        );
      }
      // One primitive: the batch statistics and the normalization in two passes, the backward in two.
      const { output, mean: mu, variance: v } = batchNorm(x, this.weight, this.bias, { eps: this.eps });
      if (this.training && this.trackRunningStats) this.#update(mu, v, n);
      return output;
    }
    const centered = sub(x, reshape(this.runningMean, statShape));
    const std = sqrt(add(reshape(this.runningVar, statShape), this.eps));
    let y = div(centered, std);
    if (this.weight !== undefined && this.bias !== undefined) {
      y = add(mul(y, reshape(this.weight, statShape)), reshape(this.bias, statShape));
    }
    return y;
  }

  /**
   * running = (1 − m)·running + m·batch (the variance unbiased: ·n/(n − 1)), in float64 and rounded once to the
   * buffers' dtype; m = momentum, or 1/numBatchesTracked for the cumulative average. Tensor ops and `assign`,
   * which declares each write (an eval-mode graph that saved the running statistics refuses the new ones).
   */
  #update(batchMean: Tensor, batchVar: Tensor, n: number): void {
    const c = [this.numFeatures];
    noGrad(() => {
      const count = this.buffer('num_batches_tracked');
      assign(count, add(count, 1));
      const m = this.momentum ?? 1 / count.item(); // the one read: the cumulative average needs the count
      const wide = (t: Tensor) => cast(reshape(t, c), 'float64');
      const rm = this.runningMean;
      const rv = this.runningVar;
      assign(rm, add(mul(wide(rm), 1 - m), mul(wide(batchMean), m)));
      assign(rv, add(mul(wide(rv), 1 - m), div(mul(mul(wide(batchVar), m), n), n - 1)));
    });
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, trackRunningStats=${this.trackRunningStats}`;
  }
}

/**
 * Batch normalization over the batch of an input [N, C] or [N, C, L]: y = (x − E[x]) / √(Var[x] + eps) · weight + bias.
 * Training mode normalizes with the batch's mean and biased variance and updates the running statistics as
 * running = (1 − momentum)·running + momentum·batch, with the UNBIASED batch variance (as PyTorch does); eval mode
 * normalizes with the running statistics. Buffers use PyTorch's names: `running_mean`, `running_var`,
 * `num_batches_tracked`, so checkpoints line up with `nn.BatchNorm1d`.
 * Source: Ioffe & Szegedy, "Batch Normalization", ICML 2015; PyTorch's `nn.BatchNorm1d`.
 * @example new Sequential(new Linear(784, 784, { rng }), new BatchNorm1d(784), new ReLU())
 */
export class BatchNorm1d extends BatchNormBase {
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super(numFeatures, options, {
      name: 'BatchNorm1d',
      ranks: [2, 3],
      shapes: (c) => `[N, ${c}] or [N, ${c}, L]`,
    });
  }
}
