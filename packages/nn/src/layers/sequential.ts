import type { Tensor } from '@selfnorm/tensor';
import { Module } from '../module';

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
    for (const m of this.#layers) x = m.forward(x);
    return x;
  }
}
