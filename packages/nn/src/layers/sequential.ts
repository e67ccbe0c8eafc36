import type { Tensor } from '@selfnorm/tensor';
import { Module } from '../module';
import { ELU, Identity, ReLU, Tanh } from './activations';
import { AlphaDropout } from './alpha-dropout';
import { BatchNorm1d } from './batch-norm';
import { BatchNorm2d } from './batch-norm-2d';
import { Conv1d, Conv2d } from './conv';
import { Dropout } from './dropout';
import { Embedding } from './embedding';
import { FeatureAlphaDropout } from './feature-alpha-dropout';
import { Flatten } from './flatten';
import { LayerNorm } from './layer-norm';
import { Linear } from './linear';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from './pooling';
import { SELU } from './selu';

/**
 * The layers of this package whose forward keeps no reference to its input or output (exact classes: a
 * subclass may keep one). Sequential disposes a tensor that passes only between such layers (without
 * forward hooks) once the next layer has used it.
 */
const KEEPS_NOTHING: ReadonlySet<unknown> = new Set([
  Linear,
  SELU,
  ReLU,
  ELU,
  Tanh,
  Identity,
  AlphaDropout,
  FeatureAlphaDropout,
  Dropout,
  BatchNorm1d,
  BatchNorm2d,
  Conv1d,
  Conv2d,
  Embedding,
  Flatten,
  LayerNorm,
  MaxPool2d,
  AvgPool2d,
  AdaptiveAvgPool2d,
]);

/**
 * A chain of modules, each fed the previous one's output. Its layers are named `0`, `1`, … as in PyTorch, so
 * parameter names (`0.weight`) match a PyTorch `nn.Sequential` checkpoint.
 * @example const net = new Sequential(new Linear(784, 512, { rng }), new SELU(), new Linear(512, 10, { rng }));
 */
export class Sequential extends Module {
  readonly #layers: Module[];

  constructor(...layers: Module[]) {
    super();
    layers.forEach((m, i) => {
      if (!(m instanceof Module)) throw new TypeError(`Sequential: argument ${i} is not a Module`);
    });
    this.#layers = layers;
  }

  /** The layers, in order (a copy of the list; the modules themselves are shared). */
  get layers(): Module[] {
    return [...this.#layers];
  }

  /** The number of layers. */
  get length(): number {
    return this.#layers.length;
  }

  /** The layer at `index` (negative counts from the end). */
  at(index: number): Module {
    const m = this.#layers.at(index);
    if (m === undefined)
      throw new RangeError(`Sequential.at(${index}): there are ${this.#layers.length} layers`);
    return m;
  }

  protected override members(): Iterable<[string, unknown]> {
    return this.#layers.map((m, i): [string, unknown] => [String(i), m]);
  }

  forward(x: Tensor): Tensor {
    // `internal`: x was made in this loop and only layers of KEEPS_NOTHING without hooks have seen it, so
    // once the next such layer has used it nothing outside the graph can read it: disposing it gives its
    // storage back to the pool when backward() frees the graph (at once without a graph), instead of to
    // the garbage collector. The caller's input and the returned output are never disposed.
    let internal = false;
    for (const m of this.#layers) {
      // (Not a nested Sequential: a hook on one of its layers sees its input and output.)
      const trusted = KEEPS_NOTHING.has(m.constructor) && !Object.hasOwn(m, 'forward');
      const h = m.forward(x);
      if (h !== x) {
        if (internal && trusted) x.dispose();
        internal = trusted;
      } else internal &&= trusted;
      x = h;
    }
    return x;
  }
}
