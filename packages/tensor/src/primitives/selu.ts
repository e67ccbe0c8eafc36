/** SELU as a primitive: one fused kernel pass computes the value and keeps the derivative for backward. */
import { isGradEnabled } from '../autograd/grad-mode';
import { owned, record } from '../autograd/node';
import { allocate } from '../dtype';
import { seluBackwardKernelFast, seluKernelFast } from '../kernels/wasm/selu-fast';
import { SELU_ALPHA, SELU_LAMBDA } from '../selu-constants';
import { Tensor } from '../tensor';
import { mul } from './binary';
import { gt } from './compare';
import { exp } from './unary';
import { where } from './where';

/** dselu/dx written with tensor ops (differentiable again): λ for x > 0, λα·eˣ otherwise. */
function seluSlope(x: Tensor): Tensor {
  const positive = gt(x, 0);
  return where(positive, SELU_LAMBDA, mul(exp(where(positive, 0, x)), SELU_LAMBDA * SELU_ALPHA));
}

/**
 * SELU(x) = λx for x > 0, λα(eˣ − 1) otherwise, with α = SELU_ALPHA, λ = SELU_LAMBDA (Klambauer et al.,
 * NeurIPS 2017, Eq. 2). float32 runs a fused WebAssembly SIMD kernel that also keeps ∂y/∂x, so the backward
 * pass is one multiply. NOTE: the gradient at exactly 0 is λα (the negative branch, as in PyTorch); only the
 * negative branch exponentiates, so neither value nor gradient overflows for inputs up to ±1e30. Under
 * `createGraph` the backward pass is built from tensor ops, so higher derivatives work.
 *
 * @example selu(tensor([1, -1], { dtype: 'float64' })).toArray() // [1.0507009873554805, -1.1113307378125625]
 */
export function selu(x: Tensor): Tensor {
  const y = allocate(x.dtype, x.size);
  const d = allocate(x.dtype, x.size);
  seluKernelFast(x.data, y, d);
  const out = new Tensor(y, x.shape, false);
  return record('selu', out, [x], (g, last) => {
    if (isGradEnabled() || g.dtype !== x.dtype) return [mul(g, seluSlope(x))];
    // On the last call the saved derivative is dead after this: write the input gradient over it.
    const dx = last ? d : allocate(x.dtype, x.size);
    seluBackwardKernelFast(g.data, d, dx);
    return [owned(new Tensor(dx, x.shape, false))];
  });
}
