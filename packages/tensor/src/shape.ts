/** Shape arithmetic and NumPy broadcasting: pure functions, no tensors. */

/** A tensor's shape: one non-negative integer per dimension. */
export type Shape = readonly number[];

/** Number of elements in a shape (1 for a scalar `[]`). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (C-order) strides of a contiguous tensor of this shape. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** Whether `shape` is an array of non-negative safe integers (O(rank)). */
export function isShape(shape: unknown): shape is Shape {
  if (!Array.isArray(shape)) return false;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (!Number.isSafeInteger(d) || d < 0) return false;
  }
  return true;
}

/** The most elements a tensor may have: the longest typed array JavaScript engines allow (2³² − 1). */
export const MAX_ELEMENTS = 2 ** 32 - 1;

/** Throws unless `shape` is an array of non-negative integers of at most `MAX_ELEMENTS` elements in all. */
export function checkShape(shape: unknown, op: string): number[] {
  if (!isShape(shape)) {
    throw new TypeError(`${op}: shape must be an array of non-negative integers, got ${brief(shape)}`);
  }
  checkSize(shape, op);
  return shape.slice();
}

/** Throws a RangeError naming `op` when a tensor of `shape` would exceed `MAX_ELEMENTS`. */
export function checkSize(shape: Shape, op: string): void {
  const n = sizeOf(shape);
  if (n > MAX_ELEMENTS) {
    throw new RangeError(
      `${op}: shape ${formatShape(shape)} has ${n} elements, more than the ${MAX_ELEMENTS} a tensor can hold`,
    );
  }
}

/**
 * The NumPy broadcast of two shapes: align from the right; each pair of sizes must be equal or one of
 * them 1. Throws an error naming the op and both shapes otherwise.
 */
export function broadcastShapes(a: Shape, b: Shape, op = 'broadcast'): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(
        `${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together ` +
          `(dimension ${i} of the result: ${da} vs ${db}; sizes must match or one must be 1)`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Strides that read a tensor of shape `from` as if it had the (broadcast) shape `to`:
 * stride 0 along broadcast dimensions.
 */
export function broadcastStrides(from: Shape, to: Shape): number[] {
  const strides = stridesOf(from);
  const out = new Array<number>(to.length).fill(0);
  const offset = to.length - from.length;
  for (let i = 0; i < from.length; i++)
    out[i + offset] = from[i] === 1 && to[i + offset] !== 1 ? 0 : strides[i];
  return out;
}

/**
 * Which axes of the broadcast shape `to` must be summed to get back to `from` (the un-broadcast of a
 * gradient): the leading axes `to` has in addition, and axes where `from` has size 1 but `to` does not.
 */
export function reducedAxesForBroadcast(from: Shape, to: Shape): number[] {
  const axes: number[] = [];
  const offset = to.length - from.length;
  for (let i = 0; i < to.length; i++) {
    if (i < offset || (from[i - offset] === 1 && to[i] !== 1)) axes.push(i);
  }
  return axes;
}

/** True when a tensor of shape `from` broadcasts to shape `to`. */
export function broadcastsTo(from: Shape, to: Shape): boolean {
  if (from.length > to.length) return false;
  const offset = to.length - from.length;
  for (let i = 0; i < from.length; i++) if (from[i] !== 1 && from[i] !== to[i + offset]) return false;
  return true;
}

/**
 * A value as short text for an error message, bounded whatever its size or depth: JSON-like for arrays
 * (their first 20 entries, one level deep), quoted and cut for strings.
 */
function brief(v: unknown): string {
  const atom = (e: unknown): string => {
    if (typeof e === 'string') return JSON.stringify(e.length > 100 ? `${e.slice(0, 100)}…` : e);
    if (Array.isArray(e)) return '[…]';
    return typeof e === 'object' && e !== null ? '{…}' : String(e);
  };
  if (typeof v === 'string') return `the string ${atom(v)}`;
  if (!Array.isArray(v)) return atom(v);
  return `[${v.slice(0, 20).map(atom).join(',')}${v.length > 20 ? ',…' : ''}]`;
}

/** Normalizes a possibly negative axis against `ndim`; the error names the op, the axis and the rank. */
export function normalizeAxis(axis: number, ndim: number, op: string): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    const range = ndim === 0 ? 'none (the tensor is a scalar)' : `[${-ndim}, ${ndim - 1}]`;
    if (typeof axis !== 'number')
      throw new TypeError(`${op}: axis must be an integer (valid axes: ${range}), got ${brief(axis)}`);
    throw new RangeError(
      `${op}: axis ${axis} is out of range for a tensor of rank ${ndim}; valid axes: ${range}`,
    );
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Normalizes `axis` (one, several, or all when undefined/null) to sorted unique non-negative axes. */
export function normalizeAxes(
  axis: number | readonly number[] | undefined | null,
  ndim: number,
  op: string,
): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: ndim }, (_, i) => i);
  if (typeof axis !== 'number' && !Array.isArray(axis)) {
    throw new TypeError(
      `${op}: axis must be an integer, an array of integers, or undefined (all axes), got ${brief(axis)}`,
    );
  }
  const list = typeof axis === 'number' ? [axis] : axis;
  const out = list.map((a) => normalizeAxis(a, ndim, op));
  const sorted = [...new Set(out)].sort((a, b) => a - b);
  if (sorted.length !== out.length)
    throw new RangeError(`${op}: axis ${JSON.stringify(axis)} repeats an axis`);
  return sorted;
}

/** The shape after reducing `axes`: kept as size-1 dimensions with `keepDims`, else removed. */
export function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (axes.includes(i)) {
      if (keepDims) out.push(1);
    } else out.push(shape[i]);
  }
  return out;
}
