import { checkTensor, type Tensor } from '@selfnorm/tensor';
import { AlphaDropout, type AlphaDropoutOptions } from './alpha-dropout';

/** Options of `FeatureAlphaDropout`: AlphaDropout's, without noiseShape (the mask is one value per channel). */
export type FeatureAlphaDropoutOptions = Omit<AlphaDropoutOptions, 'noiseShape'>;

/**
 * AlphaDropout that drops whole channels: for an input [N, C, ...] (e.g. the [N, C, H, W] output of a convolution)
 * one mask value per (sample, channel), shared by every position of that channel. In training a dropped channel is
 * set to α′ = −λα (NOT +λα), then every value goes through y = a·x + b with AlphaDropout's
 * a = ((1 − rate)(1 + rate·α′²))^(−1/2), b = −a·rate·α′, so inputs of mean 0 and variance 1 keep them. In eval mode,
 * and for rate 0, it is the identity. `rate` is the drop probability (PyTorch's `p`). On an input [N, C] each value
 * is its own channel (AlphaDropout).
 * Source: PyTorch's `nn.FeatureAlphaDropout`; Klambauer et al., "Self-Normalizing Neural Networks", NeurIPS 2017.
 * @example new Sequential(convLayer, new SELU(), new FeatureAlphaDropout({ rate: 0.05, rng }))
 */
export class FeatureAlphaDropout extends AlphaDropout {
  constructor(options: FeatureAlphaDropoutOptions) {
    const { noiseShape, ...rest } = (options ?? {}) as AlphaDropoutOptions;
    if (noiseShape !== undefined) {
      throw new TypeError(
        'FeatureAlphaDropout: takes no noiseShape (its mask is one value per sample and channel); ' +
          'use AlphaDropout({ noiseShape }) for another mask shape',
      );
    }
    const { rate, rng } = rest;
    if (!(typeof rate === 'number' && rate >= 0 && rate < 1)) {
      throw new RangeError(
        `FeatureAlphaDropout: rate is the drop probability and must be in [0, 1), got ${rate}`,
      );
    }
    if (rng === undefined)
      throw new TypeError('FeatureAlphaDropout: pass a seeded generator, { rng: new Rng(seed) }');
    super(rest);
  }

  /** [N, C, 1, …, 1]: one draw per sample and channel. */
  protected override maskShape(shape: readonly number[]): number[] {
    return shape.map((d, i) => (i < 2 ? d : 1));
  }

  override forward(x: Tensor): Tensor {
    checkTensor(x, 'FeatureAlphaDropout.forward', 'input');
    if (x.ndim < 2) {
      throw new RangeError(
        `FeatureAlphaDropout: expected an input [N, C, ...] of rank 2 or more, got shape [${x.shape}]`,
      );
    }
    return super.forward(x);
  }
}
