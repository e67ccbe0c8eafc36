/** Broadcasting binary primitives. Each VJP returns gradients in the broadcast output shape; the engine sums them back. */
import { record } from '../autograd/node';
import type { BinaryOp } from '../device/device';
import { broadcastShapes, broadcastStrides } from '../shape';
import type { Tensor } from '../tensor';
import { eq, ge, gt } from './compare';
import { log } from './unary';
import { empty, operands, type TensorLike } from './util';
import { where } from './where';

/**
 * Forward of a broadcasting binary op: out = f(a, b) over broadcast(a.shape, b.shape), by the device's
 * `binary` kernel. a and b have the result dtype and one device (see `operands`).
 */
export function broadcastBinary(a: Tensor, b: Tensor, dtype: Tensor['dtype'], op: BinaryOp): Tensor {
  const shape = broadcastShapes(a.shape, b.shape, op);
  const out = empty(shape, dtype, a.device, false);
  a.device.kernels.binary(
    op,
    a.buffer,
    broadcastStrides(a.shape, shape),
    b.buffer,
    broadcastStrides(b.shape, shape),
    out.buffer,
    shape,
  );
  return out;
}

/** a + b, broadcast. @example add(x, 1) */
export function add(a: TensorLike, b: TensorLike): Tensor {
  const [x, y, dtype] = operands(a, b, 'add');
  const out = broadcastBinary(x, y, dtype, 'add');
  return record('add', out, [x, y], (g) => [g, g], []);
}

/** a − b, broadcast. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  const [x, y, dtype] = operands(a, b, 'sub');
  const out = broadcastBinary(x, y, dtype, 'sub');
  return record('sub', out, [x, y], (g) => [g, y.requiresGrad ? neg(g) : null], []);
}

/** a · b elementwise, broadcast. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const [x, y, dtype] = operands(a, b, 'mul');
  const out = broadcastBinary(x, y, dtype, 'mul');
  return record('mul', out, [x, y], (g) => [
    x.requiresGrad ? mul(g, y) : null,
    y.requiresGrad ? mul(g, x) : null,
  ]);
}

/** a / b elementwise, broadcast. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const [x, y, dtype] = operands(a, b, 'div');
  const out = broadcastBinary(x, y, dtype, 'div');
  return record('div', out, [x, y], (g) => [
    x.requiresGrad ? div(g, y) : null,
    y.requiresGrad ? neg(div(mul(g, x), mul(y, y))) : null,
  ]);
}

/**
 * a ** b elementwise, broadcast. The gradient with respect to b is out·log(a), taken as 0 where a = 0 and
 * b ≥ 0 (PyTorch's convention), so `pow(0, 2)` has a finite exponent gradient.
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  const [x, y, dtype] = operands(a, b, 'pow');
  const out = broadcastBinary(x, y, dtype, 'pow');
  return record('pow', out, [x, y], (g) => [
    x.requiresGrad ? mul(g, mul(y, pow(x, sub(y, 1)))) : null,
    y.requiresGrad ? mul(g, where(mul(eq(x, 0), ge(y, 0)), 0, mul(out, log(x)))) : null,
  ]);
}

/**
 * Elementwise maximum, broadcast. NOTE: at ties the gradient is split evenly (½ to each input), as in
 * PyTorch's `maximum`. NaN propagates.
 */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return extreme(a, b, 'maximum', 1);
}

/** Elementwise minimum, broadcast; ties split the gradient evenly, as in PyTorch. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return extreme(a, b, 'minimum', -1);
}

function extreme(a: TensorLike, b: TensorLike, op: 'maximum' | 'minimum', sign: 1 | -1): Tensor {
  const [x, y, dtype] = operands(a, b, op);
  const out = broadcastBinary(x, y, dtype, op); // NaN propagates, as in PyTorch
  return record(op, out, [x, y], (g) => {
    const wins = sign === 1 ? gt(x, y) : gt(y, x);
    const wx = add(wins, mul(eq(x, y), 0.5));
    return [x.requiresGrad ? mul(g, wx) : null, y.requiresGrad ? mul(g, sub(1, wx)) : null];
  });
}

/** −x. */
export function neg(x: Tensor): Tensor {
  return mul(x, -1);
}
