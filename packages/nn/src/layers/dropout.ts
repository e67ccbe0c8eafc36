import { checkTensor, mul, type Rng, type Tensor } from '@selfnorm/tensor';
import { Module } from '../module';
import { keepMask } from './dropout-mask';

/** Options of `Dropout`. */
export interface DropoutOptions {
  /** The probability of DROPPING a unit (PyTorch's `p`, not Keras' keep probability), in [0, 1]. Default 0.5. */
  rate?: number;
  /** The seeded generator the masks are drawn from. */
  rng: Rng;
}

/**
 * Standard (inverted) dropout: in training each unit is zeroed with probability `rate` and the survivors are scaled
 * by 1/(1 − rate), so the mean is unchanged: y = x · keep / (1 − rate), keep = lt(rand(x.shape), 1 − rate) (the
 * mask protocol all dropout layers share, drawn from `rng`); in eval mode it is the identity. For SELU networks use `AlphaDropout`,
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
    // y = x · keep / (1 − rate), the mask scaled first (one multiplication on x); rate 1 drops everything.
    const keep = keepMask(x.shape, this.rate, this.#rng, x);
    const mask = mul(keep, this.rate === 1 ? 0 : 1 / (1 - this.rate));
    keep.dispose();
    return mul(x, mask);
  }

  override extraRepr(): string {
    return `rate=${this.rate}`;
  }
}
