import { exp, gt, mul, sub, type Tensor, where } from '@selfnorm/tensor';
import { Module } from '../module';
import { SELU_ALPHA, SELU_LAMBDA } from '../selu';

/**
 * The scaled exponential linear unit: λ·x for x > 0, λ·α·(eˣ − 1) for x ≤ 0, with α = SELU_ALPHA, λ = SELU_LAMBDA.
 *
 * NOTE: the gradient at exactly 0 is λα (the negative branch, as in PyTorch). The negative branch evaluates
 * exp(min(x, 0)) — written as exp(where(x > 0, 0, x)) — so a large positive input never computes exp(x) = ∞,
 * and neither the value nor the gradient is NaN or ∞ for inputs up to ±1e30.
 * Source: Klambauer et al., "Self-Normalizing Neural Networks", NeurIPS 2017, Eq. (2).
 * @example selu(tensor([1, -1], { dtype: 'float64' })).toArray(); // [1.0507009873554805, -1.1113307378125625]
 */
export function selu(x: Tensor): Tensor {
  const positive = gt(x, 0);
  const negativePart = where(positive, 0, x);
  return where(positive, mul(x, SELU_LAMBDA), mul(sub(exp(negativePart), 1), SELU_LAMBDA * SELU_ALPHA));
}

/**
 * The SELU activation as a module: `forward(x) = selu(x)`.
 * @example new Sequential(new Linear(784, 512, { rng }), new SELU())
 */
export class SELU extends Module {
  forward(x: Tensor): Tensor {
    return selu(x);
  }
}
