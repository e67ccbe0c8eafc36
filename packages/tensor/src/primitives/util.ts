import { type DType, promote } from '../dtype';
import { allocate } from '../storage';
import { Tensor } from '../tensor';

/** A tensor or a plain number (a number takes the other operand's dtype, like a Python scalar). */
export type TensorLike = Tensor | number;

/** A fresh, zeroed result tensor. */
export function empty(shape: readonly number[], dtype: DType): Tensor {
  let n = 1;
  for (const d of shape) n *= d;
  return new Tensor(allocate(dtype, n), shape, false);
}

/** Wraps a plain number as a 0-d constant of `dtype`; passes tensors through (checking the type). */
export function asTensor(x: TensorLike, dtype: DType, op: string): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === 'number') {
    const t = empty([], dtype);
    t.storage[0] = x;
    return t;
  }
  throw new TypeError(`${op}: expected a Tensor or a number, got ${x === null ? 'null' : typeof x}`);
}

/** The two operands of a binary op as tensors, and the dtype of the result (float32 + float64 → float64). */
export function operands(a: TensorLike, b: TensorLike, op: string): [Tensor, Tensor, DType] {
  const da = a instanceof Tensor ? a.dtype : undefined;
  const db = b instanceof Tensor ? b.dtype : undefined;
  const dtype = da && db ? promote(da, db) : (da ?? db ?? 'float32');
  return [asTensor(a, dtype, op), asTensor(b, dtype, op), dtype];
}
