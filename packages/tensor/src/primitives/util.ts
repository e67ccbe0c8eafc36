import { describeValue } from '../arg-checks';
import type { Device } from '../device/device';
import { cpu } from '../devices/cpu';
import { type DType, promote } from '../dtype';
import { allocate } from '../memory';
import { Tensor } from '../tensor';
import { cast } from './view';

/** A tensor or a plain number (a number takes the other operand's dtype, like a Python scalar). */
export type TensorLike = Tensor | number;

/**
 * A fresh result tensor on `device`: zeroed, unless `zeroed` is false (for a kernel that writes every
 * element).
 */
export function empty(shape: readonly number[], dtype: DType, device: Device, zeroed = true): Tensor {
  let n = 1;
  for (const d of shape) n *= d;
  return new Tensor(allocate(device, dtype, n, zeroed), shape, false, device);
}

/**
 * The device all of an op's tensor arguments live on; tensors on two devices are an error naming both
 * (move one with `t.to(device)`).
 */
export function deviceOf(op: string, a: Tensor, ...rest: Tensor[]): Device {
  const device = a.device;
  for (const t of rest) {
    if (t.device !== device) {
      throw new Error(
        `${op}: the tensors are on different devices, '${device.name}' and '${t.device.name}'; move one with t.to('${device.name}') or t.to('${t.device.name}')`,
      );
    }
  }
  return device;
}

/**
 * Wraps a plain number as a 0-d constant of `dtype`; passes tensors through (checking the type). `arg`
 * names the argument in the error.
 */
export function asTensor(
  x: TensorLike,
  dtype: DType,
  op: string,
  arg = 'the argument',
  device: Device = cpu,
): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === 'number') {
    const t = empty([], dtype, device, false);
    device.kernels.fill(t.buffer, x);
    return t;
  }
  throw new TypeError(`${op}: ${arg} must be a Tensor or a number, got ${describeValue(x)}`);
}

/**
 * The two operands of a binary op as tensors of the result dtype, and that dtype. Promotion as PyTorch
 * does it: float32 with float64 gives float64 when both are dimensioned (or both 0-d), but a 0-d tensor,
 * like a plain number, does not promote a dimensioned operand of the same category (all our dtypes are
 * floats): `add(ones([3]), tensor(0.1, { dtype: 'float64' }))` is float32, the 0-d operand rounded first.
 */
export function operands(a: TensorLike, b: TensorLike, op: string): [Tensor, Tensor, DType] {
  const da = a instanceof Tensor ? a.dtype : undefined;
  const db = b instanceof Tensor ? b.dtype : undefined;
  let dtype: DType;
  if (da && db && da !== db) {
    const a0 = (a as Tensor).ndim === 0;
    const b0 = (b as Tensor).ndim === 0;
    dtype = a0 === b0 ? promote(da, db) : a0 ? db : da;
  } else dtype = da ?? db ?? 'float32';
  const device =
    a instanceof Tensor
      ? b instanceof Tensor
        ? deviceOf(op, a, b)
        : a.device
      : b instanceof Tensor
        ? b.device
        : cpu;
  const x = asTensor(a, dtype, op, 'the first operand', device);
  const y = asTensor(b, dtype, op, 'the second operand', device);
  // A wider 0-d operand is rounded to the result dtype first, as PyTorch computes in the result dtype
  // (recorded, so its gradient flows back). A narrower dimensioned one is read exactly by the kernels.
  return [demote(x, dtype), demote(y, dtype), dtype];
}

function demote(t: Tensor, dtype: DType): Tensor {
  return t.ndim === 0 && t.dtype === 'float64' && dtype === 'float32' ? cast(t, dtype) : t;
}
