import { exp, gt, mul, selu as seluPrimitive, sub, type Tensor, where } from '@selfnorm/tensor';
import { Module } from '../module';
import { SELU_ALPHA, SELU_LAMBDA } from '../selu';

const LAMBDA_ALPHA = SELU_LAMBDA * SELU_ALPHA;

/**
 * SELU written with tensor ops only: where(x > 0, λ·x, λα·(exp(where(x > 0, 0, x)) − 1)). It is the reference the
 * fused `selu` is tested against, and its graph is what `selu`'s backward builds when a gradient of the gradient is
 * requested (createGraph).
 * @example seluComposed(tensor([1, -1], { dtype: 'float64' }))
 */
export function seluComposed(x: Tensor): Tensor {
  const positive = gt(x, 0);
  const negativePart = where(positive, 0, x);
  return where(positive, mul(x, SELU_LAMBDA), mul(sub(exp(negativePart), 1), LAMBDA_ALPHA));
}

/**
 * The scaled exponential linear unit: λ·x for x > 0, λ·α·(eˣ − 1) for x ≤ 0, with α = SELU_ALPHA, λ = SELU_LAMBDA.
 * `@selfnorm/tensor`'s fused primitive (a WebAssembly SIMD kernel for float32 that keeps ∂y/∂x for the backward
 * pass), whose value and gradient are tested against `seluComposed`.
 *
 * NOTE: the gradient at exactly 0 is λα (the negative branch, as in PyTorch). Only the negative branch ever
 * exponentiates (eˣ − 1 via expm1, accurate near 0), so large positive inputs never compute exp(x) = ∞, and
 * neither the value nor the gradient is NaN or ∞ for inputs up to ±1e30.
 * Source: Klambauer et al., "Self-Normalizing Neural Networks", NeurIPS 2017, Eq. (2).
 * @example selu(tensor([1, -1], { dtype: 'float64' })).toArray(); // [1.0507009873554805, -1.1113307378125625]
 */
export function selu(x: Tensor): Tensor {
  return seluPrimitive(x);
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
