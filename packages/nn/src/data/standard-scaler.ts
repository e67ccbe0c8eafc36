import { mean, noGrad, sqrt, type Tensor, variance, where } from '@selfnorm/tensor';

/**
 * Standardizes features to mean 0 and variance 1 with statistics fitted on one split (the training set) and
 * applied to others, as scikit-learn's `StandardScaler` and as the SNN paper prepares its inputs: x′ = (x − μ)/σ
 * per feature, with μ and σ over the first dimension (the samples) and σ the population standard deviation.
 * A feature that is constant in the fitted split gets σ = 1 (it is centred, not divided by 0), as scikit-learn.
 * @example
 * const scaler = StandardScaler.fit(trainX);
 * const x = scaler.transform(trainX), xVal = scaler.transform(valX);
 */
export class StandardScaler {
  /** Per-feature mean, shape [1, …features]. */
  readonly mean: Tensor;
  /** Per-feature scale σ (1 where the feature was constant), shape [1, …features]. */
  readonly scale: Tensor;

  private constructor(m: Tensor, s: Tensor) {
    this.mean = m;
    this.scale = s;
  }

  /** Fits the per-feature mean and standard deviation of `x` (samples along its first dimension). */
  static fit(x: Tensor): StandardScaler {
    if (typeof x?.ndim !== 'number' || x.ndim === 0 || x.shape[0] === 0)
      throw new TypeError(
        'StandardScaler.fit: x must be a tensor with at least one sample along its first dimension',
      );
    return noGrad(() => {
      const m = mean(x, 0, { keepDims: true });
      const sd = sqrt(variance(x, 0, { keepDims: true, correction: 0 }));
      return new StandardScaler(m.detach(), where(sd.gt(0), sd, 1).detach());
    });
  }

  /** (x − mean) / scale, with the fitted statistics; x has the fitted features (any number of samples). */
  transform(x: Tensor): Tensor {
    this.check(x, 'transform');
    return noGrad(() => x.sub(this.mean).div(this.scale));
  }

  /** x · scale + mean: undoes `transform`. */
  inverseTransform(x: Tensor): Tensor {
    this.check(x, 'inverseTransform');
    return noGrad(() => x.mul(this.scale).add(this.mean));
  }

  private check(x: Tensor, fn: string): void {
    const features = this.mean.shape.slice(1);
    if (
      typeof x?.ndim !== 'number' ||
      x.ndim !== features.length + 1 ||
      features.some((d, i) => x.shape[i + 1] !== d)
    )
      throw new RangeError(
        `StandardScaler.${fn}: expected [N, ${features.join(', ')}] (the fitted features), got ${x?.shape ? `[${x.shape}]` : String(x)}`,
      );
  }
}
