import { checkTensor, exp, gt, mul, selu, sub, type Tensor, where } from '@selfnorm/tensor';
import { Module } from '../module';
import { SELU_ALPHA, SELU_LAMBDA } from '../selu';

const LAMBDA_ALPHA = SELU_LAMBDA * SELU_ALPHA;

/**
 * SELU written with tensor ops only: where(x > 0, λ·x, λα·(exp(where(x > 0, 0, x)) − 1)). It is the reference the
 * fused `selu` is tested against.
 * @example seluComposed(tensor([1, -1], { dtype: 'float64' }))
 */
export function seluComposed(x: Tensor): Tensor {
  const positive = gt(x, 0);
  const negativePart = where(positive, 0, x);
  return where(positive, mul(x, SELU_LAMBDA), mul(sub(exp(negativePart), 1), LAMBDA_ALPHA));
}

/** SELU, `@selfnorm/tensor`'s fused primitive (see its documentation), re-exported beside the module. */
export { selu };

/**
 * The SELU activation as a module: `forward(x) = selu(x)`.
 * @example new Sequential(new Linear(784, 512, { rng }), new SELU())
 */
export class SELU extends Module {
  forward(x: Tensor): Tensor {
    checkTensor(x, 'SELU.forward', 'input');
    return selu(x);
  }
}
