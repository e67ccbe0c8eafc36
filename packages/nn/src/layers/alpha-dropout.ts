import {
  add,
  checkTensor,
  customOp,
  type DType,
  isGradEnabled,
  mul,
  type Rng,
  Tensor,
  type TypedArray,
  tensor,
} from '@selfnorm/tensor';
import { alphaDropoutParams } from '../alpha-dropout-params';
import { Module } from '../module';

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
 * rate 0, it is the identity. `rate` is the drop probability (PyTorch's `p`).
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
    const kept = this.#drawMask(shape.reduce((p, d) => p * d, 1));
    if (kept.length === x.size) return this.#masked(x, kept);
    // A mask broadcast along some dimensions (noiseShape): y = x·scale + shift, with tensor ops.
    const scale = perEntry(kept, x.dtype, this.a, 0); // a·d
    const shift = perEntry(kept, x.dtype, this.b, this.a * this.alphaPrime + this.b); // a·α′·(1 − d) + b
    const opts = { shape, dtype: x.dtype };
    return add(mul(x, tensor(scale, opts)), tensor(shift, opts));
  }

  /** One 32-bit draw per mask entry: 1 (kept) with probability 1 − rate, to within 2⁻³². */
  #drawMask(size: number): Uint8Array {
    const threshold = (1 - this.rate) * 2 ** 32;
    const bits = this.#rng.fillUint32(new Uint32Array(size));
    const kept = new Uint8Array(size);
    for (let i = 0; i < size; i++) kept[i] = bits[i] < threshold ? 1 : 0;
    return kept;
  }

  /**
   * A mask of the input's own shape: one pass each way. y = a·x + b where kept, x·0 + a·α′ + b where
   * dropped (so NaN and ±∞ still propagate, as in the composed form); ∂y/∂x = a or 0.
   */
  #masked(x: Tensor, kept: Uint8Array): Tensor {
    const { a, b } = this;
    const dropped = a * this.alphaPrime + b;
    return customOp({
      name: 'alphaDropout',
      forward: (input) => new Tensor(affine(input, kept, a, b, dropped), input.shape),
      backward: (g) =>
        // Under createGraph, tensor ops, so that the gradient differentiates again.
        isGradEnabled()
          ? [mul(g, new Tensor(perEntry(kept, g.dtype, a, 0), g.shape))]
          : [new Tensor(affine(g, kept, a, 0, 0), g.shape)],
    })(x);
  }

  override extraRepr(): string {
    return `rate=${this.rate}`;
  }
}

/** Fresh storage of `dtype`, one value per mask entry: `ifKept` where kept, `ifDropped` elsewhere. */
function perEntry(kept: Uint8Array, dtype: DType, ifKept: number, ifDropped: number): TypedArray {
  const out = dtype === 'float64' ? new Float64Array(kept.length) : new Float32Array(kept.length);
  for (let i = 0; i < out.length; i++) out[i] = kept[i] ? ifKept : ifDropped;
  return out;
}

/** a·x + b where kept, x·0 + dropped elsewhere (x·0 keeps NaN and ±∞ propagating), in x's dtype. */
function affine(x: Tensor, kept: Uint8Array, a: number, b: number, dropped: number): TypedArray {
  const src = x.storage; // a read by library code: not watched for in-place edits (see Tensor.data)
  const out = x.dtype === 'float64' ? new Float64Array(src.length) : new Float32Array(src.length);
  for (let i = 0; i < out.length; i++) out[i] = kept[i] ? src[i] * a + b : src[i] * 0 + dropped;
  return out;
}
