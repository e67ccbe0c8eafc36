/** Reductions over one axis, several axes, or all of them (`axis` undefined), with optional `keepDims`. */
import { checkBoolean, checkTensor, describeValue } from '../arg-checks';
import { record } from '../autograd/node';
import { normalizeAxes, normalizeAxis, reducedShape } from '../shape';
import type { Tensor } from '../tensor';
import { div, mul } from './binary';
import { eq } from './compare';
import { empty } from './util';
import { expand, reshape } from './view';

/** Which axes to reduce: one, several, or all when omitted (negative axes count from the end). */
export type Axis = number | readonly number[] | undefined | null;

export interface ReduceOptions {
  /** Keep each reduced axis as a dimension of size 1 (default false). */
  keepDims?: boolean;
}

/**
 * Checks a reduction's arguments at the call (O(1)): `x` a Tensor, `options` an object whose `keepDims`
 * is a boolean and whose `correction` (variance, std) is a non-negative number when given. Internal to
 * the reductions.
 */
export function checkReduction(x: unknown, options: unknown, op: string): void {
  checkTensor(x, op, 'x');
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(
      `${op}: options must be an object such as { keepDims: true }, got ${describeValue(options)}`,
    );
  }
  const keepDims = (options as ReduceOptions).keepDims;
  if (keepDims !== undefined) checkBoolean(keepDims, op, 'options.keepDims');
  if (!('correction' in options)) return;
  const c = (options as { correction?: unknown }).correction;
  if (c !== undefined && (typeof c !== 'number' || !(c >= 0) || c === Number.POSITIVE_INFINITY)) {
    throw new TypeError(
      `${op}: options.correction must be a non-negative number (1: unbiased, 0: population), got ${describeValue(c)}`,
    );
  }
}

/** Sum over `axis` (all when omitted). @example sum(x, 1, { keepDims: true }) */
export function sum(x: Tensor, axis?: Axis, options: ReduceOptions = {}): Tensor {
  checkReduction(x, options, 'sum');
  const axes = normalizeAxes(axis, x.ndim, 'sum');
  const keepShape = reducedShape(x.shape, axes, true);
  const out = empty(reducedShape(x.shape, axes, options.keepDims ?? false), x.dtype, x.device, false);
  x.device.kernels.reduce('sum', x.buffer, x.shape, axes, out.buffer);
  return record('sum', out, [x], (g) => [expand(reshape(g, keepShape), x.shape)], []);
}

/**
 * Max over `axis` (all when omitted). NOTE: where several elements tie for the max, the gradient is
 * shared evenly among them (PyTorch's `amax` convention). NaN propagates.
 */
export function max(x: Tensor, axis?: Axis, options: ReduceOptions = {}): Tensor {
  return extreme(x, axis, options, 'max');
}

/** Min over `axis` (all when omitted); ties share the gradient evenly, as for `max`. */
export function min(x: Tensor, axis?: Axis, options: ReduceOptions = {}): Tensor {
  return extreme(x, axis, options, 'min');
}

function extreme(x: Tensor, axis: Axis, options: ReduceOptions, op: 'max' | 'min'): Tensor {
  checkReduction(x, options, op);
  const axes = normalizeAxes(axis, x.ndim, op);
  for (const a of axes) {
    if (x.shape[a] === 0)
      throw new RangeError(`${op}: cannot reduce over axis ${a} of size 0 (no identity element)`);
  }
  const keepShape = reducedShape(x.shape, axes, true);
  const out = empty(reducedShape(x.shape, axes, options.keepDims ?? false), x.dtype, x.device, false);
  x.device.kernels.reduce(op, x.buffer, x.shape, axes, out.buffer);
  return record(op, out, [x], (g) => {
    const hit = eq(x, reshape(out.detach(), keepShape));
    const count = sum(hit, axes, { keepDims: true });
    return [mul(div(hit, count), reshape(g, keepShape))];
  });
}

/** Index of the first maximum along `axis` (over the flattened tensor when omitted), as a float tensor. */
export function argmax(x: Tensor, axis?: number, options: ReduceOptions = {}): Tensor {
  return argExtreme(x, axis, options, 'argmax', 1);
}

/** Index of the first minimum along `axis` (over the flattened tensor when omitted), as a float tensor. */
export function argmin(x: Tensor, axis?: number, options: ReduceOptions = {}): Tensor {
  return argExtreme(x, axis, options, 'argmin', -1);
}

function argExtreme(
  x: Tensor,
  axis: number | undefined,
  options: ReduceOptions,
  op: string,
  sign: 1 | -1,
): Tensor {
  checkReduction(x, options, op);
  if (axis === undefined) {
    if (x.size === 0) throw new RangeError(`${op}: the tensor is empty`);
    const out = empty([], x.dtype, x.device, false);
    x.device.kernels.argReduce(x.buffer, [x.size], 0, sign, out.buffer);
    return options.keepDims
      ? reshape(
          out,
          x.shape.map(() => 1),
        )
      : out;
  }
  const a = normalizeAxis(axis, x.ndim, op);
  if (x.shape[a] === 0) throw new RangeError(`${op}: axis ${a} has size 0`);
  const out = empty(reducedShape(x.shape, [a], options.keepDims ?? false), x.dtype, x.device, false);
  x.device.kernels.argReduce(x.buffer, x.shape, a, sign, out.buffer);
  return out;
}
