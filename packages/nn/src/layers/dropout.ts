import { checkTensor, mul, type Rng, type Tensor, tensor } from '@selfnorm/tensor';
import { Module } from '../module';

/** Options of `Dropout`. */
export interface DropoutOptions {
  /** The probability of DROPPING a unit (PyTorch's `p`, not Keras' keep probability), in [0, 1]. Default 0.5. */
  rate?: number;
  /** The seeded generator the masks are drawn from. */
  rng: Rng;
}

/**
 * Standard (inverted) dropout: in training each unit is zeroed with probability `rate` and the survivors are scaled
 * by 1/(1 − rate), so the mean is unchanged; in eval mode it is the identity. For SELU networks use `AlphaDropout`,
 * which keeps mean AND variance. `rate` is the drop probability, as PyTorch's `p`.
 * Source: Srivastava et al., "Dropout", JMLR 2014; PyTorch's `nn.Dropout`.
 * @example const drop = new Dropout({ rate: 0.1, rng }); drop.forward(x);
 */
export class Dropout extends Module {
  /** The drop probability. */
  readonly rate: number;
  readonly #rng: Rng;

  constructor({ rate = 0.5, rng }: DropoutOptions) {
    super();
    if (!(typeof rate === 'number' && rate >= 0 && rate <= 1)) {
      throw new RangeError(`Dropout: rate is the drop probability and must be in [0, 1], got ${rate}`);
    }
    if (rng === undefined) throw new TypeError('Dropout: pass a seeded generator, { rng: new Rng(seed) }');
    this.rate = rate;
    this.#rng = rng;
  }

  forward(x: Tensor): Tensor {
    checkTensor(x, 'Dropout.forward', 'input');
    if (!this.training || this.rate === 0) return x;
    const keep = 1 - this.rate;
    const scale = keep === 0 ? 0 : 1 / keep;
    const mask = x.dtype === 'float64' ? new Float64Array(x.size) : new Float32Array(x.size);
    for (let i = 0; i < mask.length; i++) mask[i] = this.#rng.uniform() < keep ? scale : 0;
    return mul(x, tensor(mask, { shape: [...x.shape], dtype: x.dtype }));
  }

  override extraRepr(): string {
    return `rate=${this.rate}`;
  }
}
