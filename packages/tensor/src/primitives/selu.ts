/** SELU as a primitive: one fused kernel pass forward; the backward pass reads the output only. */
import { checkTensor } from '../arg-checks';
import { isGradEnabled } from '../autograd/grad-mode';
import { record } from '../autograd/node';
import { owned } from '../memory';
import { SELU_ALPHA, SELU_LAMBDA } from '../selu-constants';
import type { Tensor } from '../tensor';
import { mul } from './binary';
import { gt } from './compare';
import { exp } from './unary';
import { empty } from './util';
import { where } from './where';

/** dselu/dx written with tensor ops (differentiable again): λ for x > 0, λα·eˣ otherwise. */
function seluSlope(x: Tensor): Tensor {
  const positive = gt(x, 0);
  return where(positive, SELU_LAMBDA, mul(exp(where(positive, 0, x)), SELU_LAMBDA * SELU_ALPHA));
}

/**
 * SELU(x) = λx for x > 0, λα(eˣ − 1) otherwise, with α = SELU_ALPHA, λ = SELU_LAMBDA (Klambauer et al.,
 * NeurIPS 2017, Eq. 2). One fused device kernel forward; in float32 its backward pass computes ∂y/∂x
 * from the output as TensorFlow's SeluGrad does (λ where y > 0, else y + λα = λα·eˣ), keeping nothing but y.
 * NOTE: the gradient at exactly 0 is λα (the negative branch, as in PyTorch); only the negative branch
 * exponentiates, so neither value nor gradient overflows for inputs up to ±1e30. In float32, y + λα is
 * accurate to a few ulp of λα in absolute terms, so for x ≪ 0 (∂y/∂x → 0) its relative error grows;
 * float64 takes the exact λα·eˣ from x. Under `createGraph` the backward pass is built from tensor ops on
 * x, so higher derivatives work.
 *
 * @example selu(tensor([1, -1], { dtype: 'float64' })).toArray() // [1.0507009873554805, -1.1113307378125625]
 */
export function selu(x: Tensor): Tensor {
  checkTensor(x, 'selu', 'x');
  const device = x.device;
  const out = empty(x.shape, x.dtype, device, false);
  device.kernels.selu(x.buffer, out.buffer);
  return record('selu', out, [x], (g) => {
    // float64 (and createGraph) take the exact slope from x; float32 the fast one from y.
    if (isGradEnabled() || x.dtype !== 'float32' || g.dtype !== 'float32') return [mul(g, seluSlope(x))];
    const dx = empty(x.shape, x.dtype, device, false);
    device.kernels.seluGrad(g.buffer, out.buffer, dx.buffer);
    return [owned(dx)];
  });
}
