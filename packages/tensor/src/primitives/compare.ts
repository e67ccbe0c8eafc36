/** Comparisons: broadcast, 1 where true and 0 where false, in the promoted dtype. Not differentiable. */
import type { BinaryOp } from '../device/device';
import type { Tensor } from '../tensor';
import { broadcastBinary } from './binary';
import { operands, type TensorLike } from './util';

function compare(a: TensorLike, b: TensorLike, op: BinaryOp): Tensor {
  const [x, y, dtype] = operands(a, b, op);
  return broadcastBinary(x, y, dtype, op);
}

/** 1 where a == b, else 0. */
export const eq = (a: TensorLike, b: TensorLike): Tensor => compare(a, b, 'eq');
/** 1 where a != b, else 0 (also where either is NaN). */
export const ne = (a: TensorLike, b: TensorLike): Tensor => compare(a, b, 'ne');
/** 1 where a < b, else 0. */
export const lt = (a: TensorLike, b: TensorLike): Tensor => compare(a, b, 'lt');
/** 1 where a <= b, else 0. */
export const le = (a: TensorLike, b: TensorLike): Tensor => compare(a, b, 'le');
/** 1 where a > b, else 0. */
export const gt = (a: TensorLike, b: TensorLike): Tensor => compare(a, b, 'gt');
/** 1 where a >= b, else 0. */
export const ge = (a: TensorLike, b: TensorLike): Tensor => compare(a, b, 'ge');
