/** Elementwise unary primitives; each VJP is written with tensor ops, so it is itself differentiable. */
import { record } from '../autograd/node';
import { mapUnary, type UnaryFn } from '../kernels/elementwise';
import type { Tensor } from '../tensor';
import { div, mul, sub } from './binary';
import { empty } from './util';

function unary(x: Tensor, f: UnaryFn): Tensor {
  const out = empty(x.shape, x.dtype);
  mapUnary(x.storage, out.storage, f);
  return out;
}

/** eˣ. */
export function exp(x: Tensor): Tensor {
  const out = unary(x, Math.exp);
  return record('exp', out, [x], (g) => [mul(g, out)], [out]);
}

/** Natural logarithm. */
export function log(x: Tensor): Tensor {
  const out = unary(x, Math.log);
  return record('log', out, [x], (g) => [div(g, x)], [x]);
}

/** √x. */
export function sqrt(x: Tensor): Tensor {
  const out = unary(x, Math.sqrt);
  return record('sqrt', out, [x], (g) => [div(g, mul(out, 2))], [out]);
}

/** sign(x): −1, 0 or 1 (NaN stays NaN). Not differentiable (its gradient is 0 almost everywhere). */
export function sign(x: Tensor): Tensor {
  return unary(x, Math.sign);
}

/** |x|. NOTE: the gradient at 0 is 0 (sign(0)), as in PyTorch. */
export function abs(x: Tensor): Tensor {
  const out = unary(x, Math.abs);
  return record('abs', out, [x], (g) => [mul(g, sign(x))], [x]);
}

/** Hyperbolic tangent; gradient 1 − tanh². */
export function tanh(x: Tensor): Tensor {
  const out = unary(x, Math.tanh);
  return record('tanh', out, [x], (g) => [mul(g, sub(1, mul(out, out)))], [out]);
}

/** Logistic sigmoid 1/(1 + e⁻ˣ), evaluated without overflow for large |x|; gradient σ(1 − σ). */
export function sigmoid(x: Tensor): Tensor {
  const out = unary(x, (v) => {
    if (v >= 0) return 1 / (1 + Math.exp(-v));
    const e = Math.exp(v);
    return e / (1 + e);
  });
  return record('sigmoid', out, [x], (g) => [mul(g, mul(out, sub(1, out)))], [out]);
}
