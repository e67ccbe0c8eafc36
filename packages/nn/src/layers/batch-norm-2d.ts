import { BatchNormBase, type BatchNormOptions } from './batch-norm';

/**
 * Batch normalization of images [N, C, H, W], per channel over (N, H, W):
 * y = (x − E[x]) / √(Var[x] + eps) · weight + bias. Training mode normalizes with the batch's mean and biased
 * variance and updates the running statistics with the UNBIASED one, running = (1 − momentum)·running +
 * momentum·batch; eval mode normalizes with the running statistics. Parameters `weight`, `bias` and buffers
 * `running_mean`, `running_var`, `num_batches_tracked`, shape [C], as PyTorch's `nn.BatchNorm2d`. It is
 * `BatchNorm1d`'s implementation (BatchNormBase) on 4-D inputs.
 * Source: Ioffe & Szegedy, "Batch Normalization", ICML 2015; PyTorch's `nn.BatchNorm2d`.
 * @example const bn = new BatchNorm2d(32); bn.forward(x); // x: [N, 32, 28, 28] → [N, 32, 28, 28]
 */
export class BatchNorm2d extends BatchNormBase {
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super(numFeatures, options, {
      name: 'BatchNorm2d',
      ranks: [4],
      shapes: (c) => `[N, ${c}, H, W]`,
    });
  }
}
