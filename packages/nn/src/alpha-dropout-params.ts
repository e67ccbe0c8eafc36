/**
 * The affine correction of alpha dropout, which keeps a chosen mean and variance fixed under dropout.
 */
import { SELU_ALPHA, SELU_LAMBDA } from './selu';

/** Options of alphaDropoutParams. */
export interface AlphaDropoutParamsOptions {
  /** The probability of DROPPING a unit (PyTorch's `p`, not Keras's keep probability), in [0, 1). */
  rate: number;
  /** μ, the mean of the inputs to keep fixed. Default 0. */
  mean?: number;
  /** ν > 0, the variance of the inputs to keep fixed. Default 1. */
  variance?: number;
  /** SELU's α. Default SELU_ALPHA. */
  alpha?: number;
  /** SELU's λ. Default SELU_LAMBDA. */
  lambda?: number;
}

/** The dropped value α′ and the affine map y = a·(x·d + α′·(1 − d)) + b of alpha dropout. */
export interface AlphaDropoutParams {
  a: number;
  b: number;
  /** α′ = −λα, the value a dropped unit takes before the affine map (SELU's negative saturation). */
  alphaPrime: number;
}

/**
 * The a, b and α′ of alpha dropout: y = a·(x·d + α′·(1 − d)) + b with d ~ Bernoulli(1 − rate), α′ = −λα.
 *
 * With q = 1 − rate, keeping mean μ and variance ν fixed needs a = √(ν / (q·((1 − q)(α′ − μ)² + ν))) and
 * b = μ − a·(q·μ + (1 − q)·α′); at (0, 1) these are a = ((1 − rate)(1 + rate·α′²))^(−1/2), b = −a·rate·α′.
 * Source: Klambauer et al. 2017, Sec. "New Dropout Technique". NOTE: α′ is −λα ≈ −1.758, not +λα
 * (TensorFlow.js's sign error shifts the output mean). rate = 0 gives a = 1, b = 0 exactly.
 *
 * @example alphaDropoutParams({ rate: 0.05 }) // { a: 0.95484447600503088, b: 0.083935572193810187, alphaPrime: -1.758… }
 */
export function alphaDropoutParams(options: AlphaDropoutParamsOptions): AlphaDropoutParams {
  const { rate, mean = 0, variance = 1, alpha = SELU_ALPHA, lambda = SELU_LAMBDA } = options;
  if (!(rate >= 0 && rate < 1)) {
    throw new RangeError(
      `alphaDropoutParams: rate is the probability of dropping a unit and must be in [0, 1), got ${rate}`,
    );
  }
  if (!Number.isFinite(mean))
    throw new RangeError(`alphaDropoutParams: mean must be a finite number, got ${mean}`);
  if (!(Number.isFinite(variance) && variance > 0)) {
    throw new RangeError(`alphaDropoutParams: variance must be a finite number > 0, got ${variance}`);
  }
  if (!Number.isFinite(alpha))
    throw new RangeError(`alphaDropoutParams: alpha must be a finite number, got ${alpha}`);
  if (!Number.isFinite(lambda)) {
    throw new RangeError(`alphaDropoutParams: lambda must be a finite number, got ${lambda}`);
  }
  const alphaPrime = -lambda * alpha;
  const q = 1 - rate;
  const a = Math.sqrt(variance / (q * ((1 - q) * (alphaPrime - mean) ** 2 + variance)));
  const b = mean - a * (q * mean + (1 - q) * alphaPrime);
  return { a, b, alphaPrime };
}
