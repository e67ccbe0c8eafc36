/** Elementwise unary primitives; each VJP is written with tensor ops, so it is itself differentiable. */
import { checkTensor } from '../arg-checks';
import { record } from '../autograd/node';
import type { UnaryOp } from '../device/device';
import type { Tensor } from '../tensor';
import { div, mul, sub } from './binary';
import { empty } from './util';
import { where } from './where';

/** out = f(x) by the device's `unary` kernel. */
function unary(x: Tensor, op: UnaryOp): Tensor {
  const out = empty(x.shape, x.dtype, x.device, false);
  x.device.kernels.unary(op, x.buffer, out.buffer);
  return out;
}

/** eˣ. */
export function exp(x: Tensor): Tensor {
  checkTensor(x, 'exp', 'x');
  const out = unary(x, 'exp');
  return record('exp', out, [x], (g) => [mul(g, out)], [out]);
}

/** Natural logarithm. */
export function log(x: Tensor): Tensor {
  checkTensor(x, 'log', 'x');
  const out = unary(x, 'log');
  return record('log', out, [x], (g) => [div(g, x)], [x]);
}

/** √x. */
export function sqrt(x: Tensor): Tensor {
  checkTensor(x, 'sqrt', 'x');
  const out = unary(x, 'sqrt');
  return record('sqrt', out, [x], (g) => [div(g, mul(out, 2))], [out]);
}

/** sign(x): −1, 0 or 1 (NaN stays NaN). Not differentiable (its gradient is 0 almost everywhere). */
export function sign(x: Tensor): Tensor {
  checkTensor(x, 'sign', 'x');
  return unary(x, 'sign');
}

/** |x|. NOTE: the gradient at 0 is 0 (sign(0)), as in PyTorch. */
export function abs(x: Tensor): Tensor {
  checkTensor(x, 'abs', 'x');
  const out = unary(x, 'abs');
  return record('abs', out, [x], (g) => [mul(g, sign(x))], [x]);
}

/**
 * max(x, 0), NaN kept (as PyTorch's relu): one kernel pass forward, and one backward, where(y, g, 0), which
 * reads the output as the condition (y ≠ 0 exactly where x > 0). NOTE: the gradient at 0 is 0, as in PyTorch.
 * @example relu(tensor([-1, 0, 2])).toArray() // [0, 0, 2]
 */
export function relu(x: Tensor): Tensor {
  checkTensor(x, 'relu', 'x');
  const out = unary(x, 'relu');
  return record('relu', out, [x], (g) => [where(out, g, 0)], [out]);
}

/** Hyperbolic tangent; gradient 1 − tanh². */
export function tanh(x: Tensor): Tensor {
  checkTensor(x, 'tanh', 'x');
  const out = unary(x, 'tanh');
  return record('tanh', out, [x], (g) => [mul(g, sub(1, mul(out, out)))], [out]);
}

/** Logistic sigmoid 1/(1 + e⁻ˣ), evaluated without overflow for large |x|; gradient σ(1 − σ). */
export function sigmoid(x: Tensor): Tensor {
  checkTensor(x, 'sigmoid', 'x');
  const out = unary(x, 'sigmoid');
  return record('sigmoid', out, [x], (g) => [mul(g, mul(out, sub(1, out)))], [out]);
}

/**
 * softplus(x) = log(1 + eˣ), evaluated as max(x, 0) + log1p(e^(−|x|)), which never overflows and keeps full
 * precision for large negative x. Gradient: sigmoid(x), a primitive itself, so softplus is smooth at every
 * order (softplus''(0) = sigmoid'(0) = 0.25; a composite through max(x, 0) would give 0 there).
 * Source: PyTorch's `nn.functional.softplus` (beta 1, no threshold). @example softplus(tensor([0])) // [0.6931]
 */
export function softplus(x: Tensor): Tensor {
  checkTensor(x, 'softplus', 'x');
  const out = unary(x, 'softplus');
  return record('softplus', out, [x], (g) => [mul(g, sigmoid(x))], [x]);
}
