import {
  AlphaDropout,
  BatchNorm2d,
  Conv2d,
  Dropout,
  FeatureAlphaDropout,
  Flatten,
  heNormal,
  Linear,
  lecunNormal,
  MaxPool2d,
  Module,
  ReLU,
  SELU,
  SelfNormalizationMonitor,
} from '@selfnorm/nn';
import { noGrad, type Rng, reshape, type Tensor } from '@selfnorm/tensor';
import { type ActivationStats, chain, type ModelSpec } from './model.ts';

/**
 * Channels of the two convolutions: 16 and 32, not the 32 and 64 of the SNN tutorials, so that 3 epochs fit in
 * under 5 minutes on 2 cores (a step costs ~4× less; measured in docs/TRAINING.md).
 */
export const CNN_CHANNELS = [16, 32] as const;

/** ω = n·mean(w) and τ = n·mean(w²) per output unit (n = fanIn), averaged over the units. */
function weightMoments(w: Tensor): { omega: number; tau: number } {
  const units = w.shape[0];
  const n = w.size / units;
  const v = w.storage;
  let omega = 0;
  let tau = 0;
  for (let u = 0; u < units; u++) {
    let s = 0;
    let s2 = 0;
    for (let i = u * n; i < (u + 1) * n; i++) {
      s += v[i];
      s2 += v[i] * v[i];
    }
    omega += s;
    tau += s2;
  }
  return { omega: omega / units, tau: tau / units };
}

/**
 * One convolution block: Conv2d 3×3 (padding 1) → (BatchNorm2d for relu-bn) → SELU or ReLU → max-pool 2.
 * The activation's output, before pooling, is what the layer statistics describe (all units and positions).
 */
class ConvBlock extends Module {
  readonly conv: Conv2d;
  readonly norm: BatchNorm2d | null;
  readonly act: Module;
  readonly pool = new MaxPool2d(2);

  constructor(inputs: number, outputs: number, spec: ModelSpec, initRng: Rng) {
    super();
    const selu = spec.activation === 'selu';
    const init = selu ? lecunNormal({ rng: initRng }) : heNormal({ rng: initRng });
    this.conv = new Conv2d(inputs, outputs, 3, { padding: 1, init });
    this.norm = spec.activation === 'relu-bn' ? new BatchNorm2d(outputs) : null;
    this.act = selu ? new SELU() : new ReLU();
  }

  forward(x: Tensor): Tensor {
    return chain(x, [this.conv, this.norm, this.act, this.pool]);
  }
}

/**
 * The self-normalizing CNN of the SNN tutorials, sized for two CPU cores: [Conv2d 3×3 → SELU → max-pool 2]
 * × 2 (1 → 16 → 32 channels, 28 → 14 → 7) → FeatureAlphaDropout → Flatten → Linear(1568, width) → SELU →
 * AlphaDropout → Linear(width, 10), LeCun normal everywhere. The baselines switch as for the MLP: 'relu'
 * uses He normal and (channel-wise for the feature maps) Dropout; 'relu-bn' adds BatchNorm2d after each
 * convolution. Input: [batch, 784] standardized pixels, viewed as [batch, 1, 28, 28].
 * Source: Klambauer et al. 2017; PyTorch's `FeatureAlphaDropout` after convolutions as in their tutorials.
 * @example const model = new Cnn({ depth: 2, width: 128, activation: 'selu', dropout: 0.05 }, rng.split(), rng.split());
 */
export class Cnn extends Module {
  readonly blocks: ConvBlock[];
  readonly featureDrop: Module | null;
  readonly flatten = new Flatten();
  readonly hidden: Linear;
  readonly act: Module;
  readonly drop: Module | null;
  readonly head: Linear;

  constructor(
    readonly spec: ModelSpec,
    initRng: Rng,
    dropoutRng: Rng,
  ) {
    super();
    const selu = spec.activation === 'selu';
    this.blocks = [
      new ConvBlock(1, CNN_CHANNELS[0], spec, initRng),
      new ConvBlock(CNN_CHANNELS[0], CNN_CHANNELS[1], spec, initRng),
    ];
    const rate = spec.dropout;
    this.featureDrop =
      rate === 0
        ? null
        : selu
          ? new FeatureAlphaDropout({ rate, rng: dropoutRng })
          : new Dropout({ rate, rng: dropoutRng });
    const init = selu ? lecunNormal({ rng: initRng }) : heNormal({ rng: initRng });
    this.hidden = new Linear(CNN_CHANNELS[1] * 7 * 7, spec.width, { init });
    this.act = selu ? new SELU() : new ReLU();
    this.drop =
      rate === 0
        ? null
        : selu
          ? new AlphaDropout({ rate, rng: dropoutRng })
          : new Dropout({ rate, rng: dropoutRng });
    this.head = new Linear(spec.width, spec.classes ?? 10, { init: lecunNormal({ rng: initRng }) });
  }

  forward(x: Tensor): Tensor {
    const images = x.ndim === 2 ? reshape(x, [x.shape[0], 1, 28, 28]) : x;
    return chain(images, [
      ...this.blocks,
      this.featureDrop,
      this.flatten,
      this.hidden,
      this.act,
      this.drop,
      this.head,
    ]);
  }

  /**
   * The activation mean and variance of each hidden layer (two conv layers over all channels and positions,
   * then the hidden Linear layer) on `x`, eval mode, no gradients; ω, τ of each layer's weight per output unit.
   */
  activationStats(x: Tensor): ActivationStats[] {
    const names = ['blocks.0.act', 'blocks.1.act', 'act'];
    const monitor = new SelfNormalizationMonitor(this, { layers: names });
    const weights = [this.blocks[0].conv.weight, this.blocks[1].conv.weight, this.hidden.weight];
    const wasTraining = this.training;
    this.eval();
    try {
      noGrad(() => this.forward(x));
      return monitor
        .layers()
        .map(({ mean, variance }, i) => ({ mean, variance, ...weightMoments(weights[i]) }));
    } finally {
      monitor.remove();
      this.train(wasTraining);
    }
  }

  /** Number of trainable numbers. */
  parameterCount(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }
}
