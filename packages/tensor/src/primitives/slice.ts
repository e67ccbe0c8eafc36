/** Basic slicing (NumPy semantics) and its adjoint, the scatter of a gradient into zeros. */
import { checkTensor, describeValue } from '../arg-checks';
import { record } from '../autograd/node';
import { formatShape, stridesOf } from '../shape';
import type { Tensor } from '../tensor';
import { empty } from './util';
import { reshape } from './view';

/**
 * One axis of a slice: an index (selects and drops the axis; negative counts from the end), `null` (the
 * whole axis), or `[start, end?, step?]` with NumPy semantics (negative bounds count from the end, bounds
 * beyond the axis are clipped to it, step ≥ 1; a missing or null entry takes its default).
 */
export type SliceSpec = number | null | readonly [(number | null)?, (number | null)?, (number | null)?];

interface Geometry {
  offset: number;
  strides: number[];
  shape: number[]; // with every axis kept
  finalShape: number[]; // with indexed axes dropped
}

const FORMS =
  'an array with one spec per leading axis, each an index i (x[i]), null (x[:]) or [start?, end?, step?] ' +
  '(x[start:end:step]), e.g. slice(x, [[1, 4]]) for x[1:4] or slice(x, [null, 0]) for x[:, 0]';

const isBound = (v: unknown) => v === undefined || v === null || typeof v === 'number';

/** Throws unless `specs` is an array of valid specs (O(rank)): anything else used to slice nothing. */
function checkSpecs(specs: unknown): asserts specs is readonly SliceSpec[] {
  if (!Array.isArray(specs))
    throw new TypeError(`slice: specs must be ${FORMS}; got ${describeValue(specs)}`);
  for (let d = 0; d < specs.length; d++) {
    const spec: unknown = specs[d];
    if (typeof spec === 'number' || spec === null) continue;
    if (Array.isArray(spec) && spec.length <= 3 && spec.every(isBound)) continue;
    throw new TypeError(
      `slice: spec ${d} must be an integer index, null or [start?, end?, step?] of integers; got ${describeValue(spec)}`,
    );
  }
}

function geometry(shape: readonly number[], specs: readonly SliceSpec[]): Geometry {
  if (specs.length > shape.length) {
    throw new RangeError(
      `slice: ${specs.length} specs for a tensor of rank ${shape.length} (shape ${formatShape(shape)})`,
    );
  }
  const base = stridesOf(shape);
  let offset = 0;
  const strides: number[] = [];
  const out: number[] = [];
  const finalShape: number[] = [];
  shape.forEach((len, d) => {
    const spec = d < specs.length ? specs[d] : null;
    if (typeof spec === 'number') {
      if (!Number.isInteger(spec) || spec < -len || spec >= len) {
        throw new RangeError(`slice: index ${spec} is out of range for axis ${d} of size ${len}`);
      }
      offset += (spec < 0 ? spec + len : spec) * base[d];
      strides.push(base[d]);
      out.push(1);
      return;
    }
    const [s0, e0, s1] = spec ?? [];
    const step = s1 ?? 1;
    if (!Number.isInteger(step) || step < 1) {
      throw new RangeError(
        `slice: step must be a positive integer, got ${step} on axis ${d} (reverse with flip-free indexing instead)`,
      );
    }
    const clip = (v: number | null | undefined, dflt: number) => {
      if (v === undefined || v === null) return dflt;
      if (!Number.isInteger(v)) throw new RangeError(`slice: bound ${v} on axis ${d} is not an integer`);
      const w = v < 0 ? v + len : v;
      return Math.min(Math.max(w, 0), len);
    };
    const start = clip(s0, 0);
    const end = clip(e0, len);
    const count = Math.max(0, Math.ceil((end - start) / step));
    offset += count > 0 ? start * base[d] : 0;
    strides.push(base[d] * step);
    out.push(count);
    finalShape.push(count);
  });
  return { offset, strides, shape: out, finalShape };
}

function take(x: Tensor, g: Geometry): Tensor {
  const out = empty(g.shape, x.dtype, x.device, false);
  x.device.kernels.copy(x.buffer, g.offset, g.strides, out.buffer, g.shape);
  return out;
}

/** The adjoint of a slice: a zero tensor of `shape` with `grad` added at the sliced positions. */
function scatterSlice(grad: Tensor, shape: readonly number[], g: Geometry): Tensor {
  const out = empty(shape, grad.dtype, grad.device);
  grad.device.kernels.addStrided(grad.buffer, g.shape, out.buffer, g.offset, g.strides);
  return record('sliceBackward', out, [grad], (gg) => [take(gg, g)], []);
}

/**
 * Basic slicing, one spec per leading axis (missing trailing specs take the whole axis).
 * @example slice(x, [null, [1, 3]]) // x[:, 1:3]
 * @example slice(x, [0])            // x[0]
 */
export function slice(x: Tensor, specs: readonly SliceSpec[]): Tensor {
  checkTensor(x, 'slice', 'x');
  checkSpecs(specs);
  const g = geometry(x.shape, specs);
  const out = take(x, g);
  record('slice', out, [x], (grad) => [scatterSlice(reshape(grad, g.shape), x.shape, g)], []);
  return g.finalShape.length === g.shape.length ? out : reshape(out, g.finalShape);
}
