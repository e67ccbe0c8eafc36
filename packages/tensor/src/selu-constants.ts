/**
 * SELU's α01 = 1.6732632423543772848170429916717…, the α for which mean 0, variance 1 is the fixed point of a
 * SELU layer with LeCun-normal weights. Source: Klambauer, Unterthiner, Mayr, Hochreiter, "Self-Normalizing
 * Neural Networks", NeurIPS 2017, Eq. (14), recomputed to 40 digits; the float64 value is 1.6732632423543772.
 * @example selu(x) = SELU_LAMBDA * SELU_ALPHA * (Math.exp(x) - 1) for x ≤ 0
 */
// biome-ignore lint/correctness/noPrecisionLoss: the paper's full-precision constant, kept for the reader; float64 rounds it.
export const SELU_ALPHA = 1.6732632423543772848170429916717;

/**
 * SELU's λ01 = 1.0507009873554804934193349852946…, the scale that makes (0, 1) the fixed point with α01.
 * Source: Klambauer et al. 2017, Eq. (14), recomputed to 40 digits; the float64 value is 1.0507009873554805.
 * @example selu(x) = SELU_LAMBDA * x for x > 0
 */
// biome-ignore lint/correctness/noPrecisionLoss: the paper's full-precision constant, kept for the reader; float64 rounds it.
export const SELU_LAMBDA = 1.0507009873554804934193349852946;
