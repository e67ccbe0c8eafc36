/** Broadcasting binary primitives. Each VJP returns gradients in the broadcast output shape; the engine sums them back. */
import { record } from '../autograd/node';
import { type BinaryFn, mapBinary } from '../kernels/elementwise';
import { binaryKernelFast, type FastBinaryOp } from '../kernels/wasm/elementwise-fast';
import { broadcastShapes, broadcastStrides } from '../shape';
import type { Tensor } from '../tensor';
import { eq, ge, gt } from './compare';
import { log } from './unary';
import { empty, operands, type TensorLike } from './util';
import { where } from './where';

/**
 * Forward of a broadcasting binary op: out = f(a, b) over broadcast(a.shape, b.shape). For add/sub/mul/div
 * (`fast`), float32 operands of equal size, or a row broadcast over the last axis (a bias), run on the
 * WebAssembly SIMD kernel (bit-identical to the loop); everything else takes the strided loop.
 */
export function broadcastBinary(
  a: Tensor,
  b: Tensor,
  dtype: Tensor['dtype'],
  op: string,
  f: BinaryFn,
  fast?: FastBinaryOp,
): Tensor {
  const shape = broadcastShapes(a.shape, b.shape, op);
  const out = empty(shape, dtype);
  if (fast && fastBinary(fast, a, b, out)) return out;
  mapBinary(
    a.storage,
    broadcastStrides(a.shape, shape),
    b.storage,
    broadcastStrides(b.shape, shape),
    out.storage,
    shape,
    f,
  );
  return out;
}

function fastBinary(op: FastBinaryOp, a: Tensor, b: Tensor, out: Tensor): boolean {
  if (a.size === out.size && b.size === out.size)
    return binaryKernelFast(op, a.storage, b.storage, out.storage);
  // A row vector b broadcast over the rows of a ([..., n] op [n]): one kernel call per row.
  const n = out.shape[out.ndim - 1];
  if (a.size !== out.size || b.size !== n || n < 64 || b.shape[b.ndim - 1] !== n) return false;
  for (let r = 0; r < out.size; r += n) {
    if (!binaryKernelFast(op, a.storage.subarray(r, r + n), b.storage, out.storage.subarray(r, r + n)))
      return false;
  }
  return true;
}

/** a + b, broadcast. @example add(x, 1) */
export function add(a: TensorLike, b: TensorLike): Tensor {
  const [x, y, dtype] = operands(a, b, 'add');
  const out = broadcastBinary(x, y, dtype, 'add', (p, q) => p + q, 'add');
  return record('add', out, [x, y], (g) => [g, g], []);
}

/** a − b, broadcast. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  const [x, y, dtype] = operands(a, b, 'sub');
  const out = broadcastBinary(x, y, dtype, 'sub', (p, q) => p - q, 'sub');
  return record('sub', out, [x, y], (g) => [g, y.requiresGrad ? neg(g) : null], []);
}

/** a · b elementwise, broadcast. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const [x, y, dtype] = operands(a, b, 'mul');
  const out = broadcastBinary(x, y, dtype, 'mul', (p, q) => p * q, 'mul');
  return record('mul', out, [x, y], (g) => [
    x.requiresGrad ? mul(g, y) : null,
    y.requiresGrad ? mul(g, x) : null,
  ]);
}

/** a / b elementwise, broadcast. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const [x, y, dtype] = operands(a, b, 'div');
  const out = broadcastBinary(x, y, dtype, 'div', (p, q) => p / q, 'div');
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
  const out = broadcastBinary(x, y, dtype, 'pow', Math.pow);
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

function extreme(a: TensorLike, b: TensorLike, op: string, sign: 1 | -1): Tensor {
  const [x, y, dtype] = operands(a, b, op);
  // Math.max/min propagate NaN, as PyTorch's maximum/minimum do.
  const out = broadcastBinary(x, y, dtype, op, sign === 1 ? Math.max : Math.min);
  return record(op, out, [x, y], (g) => {
    const wins = sign === 1 ? gt(x, y) : gt(y, x);
    const ties = eq(x, y);
    const wx = broadcastBinary(wins, ties, dtype, op, (w, t) => w + 0.5 * t);
    return [x.requiresGrad ? mul(g, wx) : null, y.requiresGrad ? mul(g, sub(1, wx)) : null];
  });
}

/** −x. */
export function neg(x: Tensor): Tensor {
  return mul(x, -1);
}
