import { checkTensor, type DType, linear, type Rng, type Tensor, zeros } from '@selfnorm/tensor';
import { type Initializer, lecunNormal } from '../init';
import { Module } from '../module';

/** Options of `Linear`. */
export interface LinearOptions {
  /** Learn an additive bias (initialized to zeros). Default true. */
  bias?: boolean;
  /** The seeded generator of the default initializer; required unless `init` is given. */
  rng?: Rng;
  /** The weight initializer, called as init([out, in], { fanIn: in, fanOut: out, dtype }). Default LeCun normal. */
  init?: Initializer;
  /** Default 'float32'. */
  dtype?: DType;
}

/**
 * A fully connected layer, y = x·Wᵀ + b, with the weight W of shape [outFeatures, inFeatures] (PyTorch's layout,
 * so checkpoints interchange) and the bias b of shape [outFeatures].
 *
 * NOTE: the default weight initialization is LeCun normal, N(0, 1/inFeatures) — what self-normalizing networks
 * need — not PyTorch's Kaiming-uniform default. Pass `init` for another (e.g. `heNormal({ rng })` for ReLU).
 * Source: PyTorch's `nn.Linear`; Klambauer et al. 2017 for the initialization.
 * @example const layer = new Linear(784, 512, { rng: new Rng(0) }); layer.forward(x); // [N, 784] → [N, 512]
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** Shape [outFeatures, inFeatures]. */
  weight: Tensor;
  /** Shape [outFeatures], or null without a bias. */
  bias: Tensor | null;

  constructor(
    inFeatures: number,
    outFeatures: number,
    { bias = true, rng, init, dtype = 'float32' }: LinearOptions = {},
  ) {
    super();
    for (const [name, n] of [
      ['inFeatures', inFeatures],
      ['outFeatures', outFeatures],
    ] as const) {
      if (!(Number.isSafeInteger(n) && n > 0))
        throw new RangeError(`Linear: ${name} must be a positive integer, got ${n}`);
    }
    if (init === undefined && rng === undefined) {
      throw new TypeError(
        'Linear: pass { rng } for the default LeCun-normal initialization, or an explicit { init }',
      );
    }
    const initializer = init ?? lecunNormal({ rng: rng! });
    const weight = initializer([outFeatures, inFeatures], { fanIn: inFeatures, fanOut: outFeatures, dtype });
    if (weight.ndim !== 2 || weight.shape[0] !== outFeatures || weight.shape[1] !== inFeatures) {
      throw new RangeError(
        `Linear: init returned shape [${weight.shape}], expected [${outFeatures}, ${inFeatures}]`,
      );
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = weight.isLeaf ? weight.requireGrad() : weight.detach().requireGrad();
    this.bias = bias ? zeros([outFeatures], { dtype: weight.dtype, requiresGrad: true }) : null;
    this.registerParameter('weight', this.weight); // declared: stays a parameter when frozen
    this.registerParameter('bias', this.bias);
  }

  forward(x: Tensor): Tensor {
    checkTensor(x, `Linear(${this.inFeatures}, ${this.outFeatures}).forward`, 'input');
    if (x.ndim < 1 || x.shape[x.ndim - 1] !== this.inFeatures) {
      throw new RangeError(
        `Linear(${this.inFeatures}, ${this.outFeatures}): expected input [..., ${this.inFeatures}], got [${x.shape}]`,
      );
    }
    return linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
