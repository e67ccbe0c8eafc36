/** Shape primitives: reshape (shares storage), permute, expand and cast (copy). */
import { checkTensor, describeValue } from '../arg-checks';
import { record } from '../autograd/node';
import { checkDeviceDType } from '../device/registry';
import { checkDType, type DType } from '../dtype';
import {
  broadcastShapes,
  broadcastStrides,
  checkSize,
  formatShape,
  normalizeAxis,
  sizeOf,
  stridesOf,
} from '../shape';
import { Tensor } from '../tensor';
import { empty } from './util';

/**
 * A tensor with the same data in a new shape; one dimension may be −1 (inferred). Shares storage with
 * `x`, like a PyTorch view. @example reshape(x, [2, -1])
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor(x, 'reshape', 'x');
  const target = inferShape(shape, x.size, x.shape);
  const out = new Tensor(x.buffer, target, false, x.device);
  return record('reshape', out, [x], (g) => [reshape(g, x.shape)], []);
}

function inferShape(shape: readonly number[], size: number, from: readonly number[]): number[] {
  if (!Array.isArray(shape)) throw new TypeError(`reshape: shape must be an array, got ${typeof shape}`);
  const out = shape.slice();
  const unknown = out.indexOf(-1);
  if (out.some((d, i) => !Number.isInteger(d) || d < -1 || (d === -1 && i !== unknown))) {
    throw new RangeError(
      `reshape: invalid shape ${formatShape(shape)}: sizes must be non-negative integers, with at most one -1`,
    );
  }
  if (unknown >= 0) {
    const known = out.reduce((p, d, i) => (i === unknown ? p : p * d), 1);
    if (known === 0 || size % known !== 0) {
      throw new RangeError(
        `reshape: cannot reshape ${formatShape(from)} (${size} elements) into ${formatShape(shape)}`,
      );
    }
    out[unknown] = size / known;
  }
  if (sizeOf(out) !== size) {
    throw new RangeError(
      `reshape: cannot reshape ${formatShape(from)} (${size} elements) into ${formatShape(shape)} (${sizeOf(out)} elements)`,
    );
  }
  return out;
}

/** Reorders dimensions: output dimension i is input dimension dims[i]. @example permute(x, [0, 2, 1]) */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  checkTensor(x, 'permute', 'x');
  if (!Array.isArray(dims) || dims.length !== x.ndim) {
    throw new RangeError(
      `permute: dims must list each of the ${x.ndim} axes once, got ${JSON.stringify(dims)}`,
    );
  }
  const d = dims.map((a) => normalizeAxis(a, x.ndim, 'permute'));
  if (new Set(d).size !== d.length)
    throw new RangeError(`permute: dims ${JSON.stringify(dims)} repeat an axis`);
  const inStrides = stridesOf(x.shape);
  const shape = d.map((a) => x.shape[a]);
  const out = empty(shape, x.dtype, x.device, false);
  x.device.kernels.copy(
    x.buffer,
    0,
    d.map((a) => inStrides[a]),
    out.buffer,
    shape,
  );
  const inverse = new Array<number>(d.length);
  d.forEach((a, i) => {
    inverse[a] = i;
  });
  return record('permute', out, [x], (g) => [permute(g, inverse)], []);
}

/**
 * Broadcasts `x` to `shape` (NumPy rules; −1 keeps a size), copying. Its gradient is summed back by the
 * engine. @example expand(bias, [batch, features])
 */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor(x, 'expand', 'x');
  if (!Array.isArray(shape) || !shape.every((s) => Number.isSafeInteger(s) && s >= -1)) {
    throw new TypeError(
      `expand: shape must be an array of non-negative integers (−1 keeps a size), got ${describeValue(shape)}`,
    );
  }
  const offset = shape.length - x.ndim;
  const target = shape.map((s, i) => (s === -1 && i >= offset ? x.shape[i - offset] : s));
  const full = broadcastShapes(x.shape, target, 'expand');
  if (full.length !== target.length || full.some((s, i) => s !== target[i])) {
    throw new RangeError(`expand: cannot expand shape ${formatShape(x.shape)} to ${formatShape(shape)}`);
  }
  checkSize(target, 'expand');
  const out = empty(target, x.dtype, x.device, false);
  x.device.kernels.copy(x.buffer, 0, broadcastStrides(x.shape, target), out.buffer, target);
  return record('expand', out, [x], (g) => [g], []);
}

/** Converts to another dtype (a copy; the gradient is converted back). */
export function cast(x: Tensor, dtype: DType): Tensor {
  checkTensor(x, 'cast', 'x');
  checkDType(dtype, 'cast');
  if (x.dtype === dtype) return x;
  checkDeviceDType(x.device, dtype, 'cast');
  const out = empty(x.shape, dtype, x.device, false);
  x.device.kernels.cast(x.buffer, out.buffer);
  return record('cast', out, [x], (g) => [g], []);
}
