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
} from '@selfnorm/nn';
import { noGrad, type Rng, type Tensor } from '@selfnorm/tensor';
import type { Activation } from './options.ts';

/** The shape of a network: `depth` hidden layers of `width` units with one recipe. */
export interface ModelSpec {
  depth: number;
  width: number;
  activation: Activation;
  /** Drop probability after each hidden layer (AlphaDropout for selu, Dropout otherwise); 0 = none. */
  dropout: number;
  inputs?: number;
  classes?: number;
}

/** The activation statistics of one hidden layer over a batch (all units and examples together). */
export interface ActivationStats {
  mean: number;
  /** Population variance (divides by N). */
  variance: number;
}

/**
 * One hidden layer: Linear → (BatchNorm1d for relu-bn) → SELU or ReLU → (dropout). The activation's
 * output, before dropout, is what the layer statistics describe.
 */
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

  /** The activation's output (before dropout). */
  activation(x: Tensor): Tensor {
    const z = this.linear.forward(x);
    return this.act.forward(this.norm ? this.norm.forward(z) : z);
  }

  forward(x: Tensor): Tensor {
    const a = this.activation(x);
    return this.drop ? this.drop.forward(a) : a;
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
    let h = x;
    for (const block of this.blocks) h = block.forward(h);
    return this.head.forward(h);
  }

  /**
   * Each hidden layer's activation mean and variance on `x`, in eval mode and without gradients (the
   * model's mode is restored afterwards). For an SNN these stay near (0, 1) at every depth.
   */
  activationStats(x: Tensor): ActivationStats[] {
    const wasTraining = this.training;
    this.eval();
    try {
      return noGrad(() => {
        const out: ActivationStats[] = [];
        let h = x;
        for (const block of this.blocks) {
          const a = block.activation(h);
          out.push(moments(a.data));
          h = a; // eval mode: dropout is the identity
        }
        return out;
      });
    } finally {
      this.train(wasTraining);
    }
  }

  /** Number of trainable numbers. */
  parameterCount(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }
}

/** Mean and population variance of an array, accumulated in doubles (two passes). */
export function moments(data: ArrayLike<number>): ActivationStats {
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += data[i];
  const mean = sum / data.length;
  let sq = 0;
  for (let i = 0; i < data.length; i++) sq += (data[i] - mean) ** 2;
  return { mean, variance: sq / data.length };
}
