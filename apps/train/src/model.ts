import {
  AlphaDropout,
  BatchNorm1d,
  Dropout,
  heNormal,
  Linear,
  lecunNormal,
  Module,
  ReLU,
  SELU,
  SelfNormalizationMonitor,
} from '@selfnorm/nn';
import { noGrad, type Rng, type Tensor } from '@selfnorm/tensor';
import type { Activation, ModelKind } from './options.ts';

/** The shape of a network: `depth` hidden layers of `width` units with one recipe. */
export interface ModelSpec {
  /** Default 'mlp'. */
  model?: ModelKind;
  depth: number;
  width: number;
  activation: Activation;
  /** Drop probability after each hidden layer (AlphaDropout for selu, Dropout otherwise); 0 = none. */
  dropout: number;
  inputs?: number;
  classes?: number;
}

/**
 * One hidden layer's statistics on a batch: its activation moments (all units and examples together) and
 * its Linear layer's weight moments, as the SNN paper's theory describes a layer.
 */
export interface ActivationStats {
  mean: number;
  /** Population variance (divides by N). */
  variance: number;
  /** ω = n·mean(w) per unit, averaged over the layer's units (fixed point 0). */
  omega: number;
  /** τ = n·mean(w²) per unit, averaged over the layer's units (fixed point 1). */
  tau: number;
}

/**
 * One hidden layer: Linear → (BatchNorm1d for relu-bn) → SELU or ReLU → (dropout). The activation's
 * output, before dropout, is what the layer statistics describe.
 */
/**
 * `x` through `layers` in turn (null: skipped). Each intermediate activation is the model's own and nothing
 * else reads it (the monitor's hooks read theirs as they run), so it is disposed once the next layer has used
 * it: its storage returns to the pool when backward() frees the graph (at once under noGrad), instead of to
 * the garbage collector. `x` and the result are never disposed.
 */
export function chain(x: Tensor, layers: readonly (Module | null)[]): Tensor {
  let h = x;
  for (const layer of layers) {
    if (layer === null) continue;
    const next = layer.forward(h);
    if (h !== x && next !== h) h.dispose();
    h = next;
  }
  return h;
}

class HiddenBlock extends Module {
  readonly linear: Linear;
  readonly norm: BatchNorm1d | null;
  readonly act: Module;
  readonly drop: Module | null;

  constructor(inputs: number, spec: ModelSpec, initRng: Rng, dropoutRng: Rng) {
    super();
    const selu = spec.activation === 'selu';
    const init = selu ? lecunNormal({ rng: initRng }) : heNormal({ rng: initRng });
    this.linear = new Linear(inputs, spec.width, { rng: initRng, init });
    this.norm = spec.activation === 'relu-bn' ? new BatchNorm1d(spec.width) : null;
    this.act = selu ? new SELU() : new ReLU();
    this.drop =
      spec.dropout === 0
        ? null
        : selu
          ? new AlphaDropout({ rate: spec.dropout, rng: dropoutRng })
          : new Dropout({ rate: spec.dropout, rng: dropoutRng });
  }

  forward(x: Tensor): Tensor {
    return chain(x, [this.linear, this.norm, this.act, this.drop]);
  }
}

/**
 * The multilayer perceptron of the paper's MNIST experiments: `depth` × [Linear → activation →
 * dropout], then Linear → 10 logits. With `activation: 'selu'` it is a self-normalizing network (LeCun
 * normal weights N(0, 1/fanIn), SELU, AlphaDropout); 'relu' uses He normal N(0, 2/fanIn) and plain
 * dropout; 'relu-bn' puts BatchNorm1d between Linear and ReLU. The output layer is LeCun normal.
 * Source: Klambauer et al., "Self-Normalizing Neural Networks", NeurIPS 2017.
 *
 * @example
 * const model = new Mlp({ depth: 8, width: 256, activation: 'selu', dropout: 0.05 }, rng.split(), rng.split());
 * const logits = model.forward(x); // [batch, 10]
 */
export class Mlp extends Module {
  readonly blocks: HiddenBlock[];
  readonly head: Linear;

  constructor(
    readonly spec: ModelSpec,
    initRng: Rng,
    dropoutRng: Rng,
  ) {
    super();
    const inputs = spec.inputs ?? 784;
    this.blocks = [];
    for (let i = 0; i < spec.depth; i++) {
      this.blocks.push(new HiddenBlock(i === 0 ? inputs : spec.width, spec, initRng, dropoutRng));
    }
    this.head = new Linear(spec.width, spec.classes ?? 10, {
      rng: initRng,
      init: lecunNormal({ rng: initRng }),
    });
  }

  forward(x: Tensor): Tensor {
    return chain(x, [...this.blocks, this.head]);
  }

  /**
   * Each hidden layer's activation mean and variance on `x`, and its Linear layer's ω and τ, measured by
   * @selfnorm/nn's SelfNormalizationMonitor in eval mode and without gradients (the model's mode is
   * restored afterwards). For an SNN these stay near (0, 1) at every depth at initialization.
   */
  activationStats(x: Tensor): ActivationStats[] {
    const monitor = new SelfNormalizationMonitor(this, {
      layers: this.blocks.map((_, i) => `blocks.${i}.act`),
    });
    const wasTraining = this.training;
    this.eval();
    try {
      noGrad(() => this.forward(x));
      const weights = new Map(monitor.weights().map((w) => [w.name, w]));
      return monitor.layers().map(({ mean, variance }, i) => {
        const w = weights.get(`blocks.${i}.linear`);
        return { mean, variance, omega: w?.omega.mean ?? Number.NaN, tau: w?.tau.mean ?? Number.NaN };
      });
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
