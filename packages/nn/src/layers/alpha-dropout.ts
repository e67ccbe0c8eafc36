import { add, checkTensor, maskedAffine, mul, type Rng, type Tensor, tensor, where } from '@selfnorm/tensor';
import { alphaDropoutParams } from '../alpha-dropout-params';
import { Module } from '../module';
import { keepMask, maskDraws } from './dropout-mask';

/** Options of `AlphaDropout`. */
export interface AlphaDropoutOptions {
  /** The probability of DROPPING a unit (PyTorch's `p`), in [0, 1). 0 makes the layer the identity. */
  rate: number;
  /** The seeded generator the masks are drawn from. */
  rng: Rng;
  /**
   * The shape of the mask, broadcast against the input as in Keras: one entry per input dimension, each 1 (one
   * draw shared along that dimension), the input's size, or null (the input's size). `[1, null]` on an input of
   * shape [batch, features] drops the same features for every example. Default: the input's shape.
   */
  noiseShape?: readonly (number | null)[];
  /** The mean of the fixed point the layer preserves. Default 0. */
  mean?: number;
  /** The variance of the fixed point the layer preserves. Default 1. */
  variance?: number;
  /** SELU's α, for a SELU with other parameters (see `seluParameters`). Default SELU_ALPHA. */
  alpha?: number;
  /** SELU's λ. Default SELU_LAMBDA. */
  lambda?: number;
}

/**
 * Alpha dropout, the dropout of self-normalizing networks: in training a dropped unit is set to α′ = −λα (SELU's
 * negative saturation value, NOT +λα), then every unit goes through y = a·x + b, with a, b chosen so that inputs of
 * mean 0 and variance 1 keep them: a = ((1 − rate)(1 + rate·α′²))^(−1/2), b = −a·rate·α′. In eval mode, and for
 * rate 0, it is the identity. `rate` is the drop probability (PyTorch's `p`). The mask is the protocol every
 * dropout layer shares, keep = lt(rand(noiseShape), 1 − rate) drawn from `rng`, and y = x·(a·keep) + shift, so
 * ∂y/∂x = a·keep, differentiable to any order.
 *
 * NOTE: TensorFlow.js sets dropped units to +λα, which shifts the output mean to +0.17 at rate 0.1.
 * Source: Klambauer et al., "Self-Normalizing Neural Networks", NeurIPS 2017, section "New Dropout Technique".
 * @example new Sequential(new Linear(784, 512, { rng }), new SELU(), new AlphaDropout({ rate: 0.05, rng }))
 */
export class AlphaDropout extends Module {
  /** The drop probability. */
  readonly rate: number;
  /** The affine correction y = a·x + b and the value α′ a dropped unit takes before it. */
  readonly a: number;
  readonly b: number;
  readonly alphaPrime: number;
  readonly noiseShape: readonly (number | null)[] | undefined;
  readonly #rng: Rng;

  constructor({ rate, rng, noiseShape, mean = 0, variance = 1, alpha, lambda }: AlphaDropoutOptions) {
    super();
    if (!(typeof rate === 'number' && rate >= 0 && rate < 1)) {
      throw new RangeError(`AlphaDropout: rate is the drop probability and must be in [0, 1), got ${rate}`);
    }
    if (rng === undefined)
      throw new TypeError('AlphaDropout: pass a seeded generator, { rng: new Rng(seed) }');
    if (noiseShape !== undefined && !noiseShape.every((d) => d === null || (Number.isInteger(d) && d >= 1))) {
      throw new TypeError(
        `AlphaDropout: noiseShape entries must be positive integers or null, got [${noiseShape}]`,
      );
    }
    const { a, b, alphaPrime } = alphaDropoutParams({ rate, mean, variance, alpha, lambda });
    this.rate = rate;
    this.a = a;
    this.b = b;
    this.alphaPrime = alphaPrime;
    this.noiseShape = noiseShape === undefined ? undefined : [...noiseShape];
    this.#rng = rng;
  }

  /** The shape of the mask for an input of `shape` (from noiseShape); subclasses choose their own. */
  protected maskShape(shape: readonly number[]): number[] {
    const ns = this.noiseShape;
    if (ns === undefined) return [...shape];
    const bad = () =>
      new RangeError(
        `AlphaDropout: noiseShape [${ns.map(String)}] does not fit an input of shape [${shape}]; ` +
          'give one entry per input dimension, each 1, null or the input size',
      );
    if (ns.length !== shape.length) throw bad();
    return ns.map((d, i) => {
      if (d === null) return shape[i];
      if (d !== 1 && d !== shape[i]) throw bad();
      return d;
    });
  }

  forward(x: Tensor): Tensor {
    checkTensor(x, 'AlphaDropout.forward', 'input');
    if (!this.training || this.rate === 0) return x;
    const shape = this.maskShape(x.shape);
    const shift = this.a * this.alphaPrime + this.b;
    if (shape.every((s, i) => s === x.shape[i])) {
      // A mask of x's own shape: the same draws, mask and arithmetic as below in one kernel pass.
      const u = maskDraws(shape, this.#rng, x);
      const y = maskedAffine(x, u, 1 - this.rate, this.a, this.b, shift);
      u.dispose();
      return y;
    }
    // The mask protocol of every dropout layer, in x's dtype, of the mask's shape (broadcast against x).
    const keep = keepMask(shape, this.rate, this.#rng, x);
    // y = a·x + b where kept, x·0 + (a·α′ + b) where dropped: x·scale + shift with scale = a·keep (the
    // derivative ∂y/∂x) and shift = b or a·α′ + b, in x's dtype. x·0 keeps NaN and ±∞ propagating; every op
    // is differentiable, so the gradient differentiates again.
    const scale = mul(keep, this.a);
    const offset = where(keep, constant(this.b, x), constant(shift, x));
    keep.dispose();
    // NOTE: in float32 the product and the sum are each rounded (as PyTorch's input·noise + b): y is
    // fround(fround(x·fround(a)) + fround(b)).
    return add(mul(x, scale), offset);
  }

  override extraRepr(): string {
    return `rate=${this.rate}`;
  }
}

/** A 0-d constant of x's dtype (so that where() of two constants keeps it). */
function constant(value: number, x: Tensor): Tensor {
  return tensor(value, { dtype: x.dtype, device: x.device });
}
