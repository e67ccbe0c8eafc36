/** Shape composites built on reshape, permute, slice and concat. */
import { checkTensor, describeValue } from '../arg-checks';
import { concat } from '../primitives/concat';
import { slice } from '../primitives/slice';
import { permute, reshape } from '../primitives/view';
import { formatShape, normalizeAxis } from '../shape';
import type { Tensor } from '../tensor';

/** Flattens axes startDim…endDim (inclusive) into one. @example flatten(images, 1) // [N, 28, 28] → [N, 784] */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  checkTensor(x, 'flatten', 'x');
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeAxis(startDim, x.ndim, 'flatten');
  const e = normalizeAxis(endDim, x.ndim, 'flatten');
  if (s > e) throw new RangeError(`flatten: startDim ${startDim} comes after endDim ${endDim}`);
  const merged = x.shape.slice(s, e + 1).reduce((p, d) => p * d, 1);
  return reshape(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
}

/** Removes size-1 axes (all of them, or just `axis`, which must have size 1). */
export function squeeze(x: Tensor, axis?: number | readonly number[]): Tensor {
  checkTensor(x, 'squeeze', 'x');
  if (axis === undefined)
    return reshape(
      x,
      x.shape.filter((d) => d !== 1),
    );
  if (typeof axis !== 'number' && !Array.isArray(axis)) {
    throw new TypeError(
      `squeeze: axis must be an integer or an array of integers, got ${describeValue(axis)}`,
    );
  }
  const axes = (typeof axis === 'number' ? [axis] : axis).map((a) => normalizeAxis(a, x.ndim, 'squeeze'));
  for (const a of axes) {
    if (x.shape[a] !== 1)
      throw new RangeError(
        `squeeze: axis ${a} has size ${x.shape[a]}, not 1 (shape ${formatShape(x.shape)})`,
      );
  }
  return reshape(
    x,
    x.shape.filter((_, i) => !axes.includes(i)),
  );
}

/** Inserts a size-1 axis at `axis` (−1 appends). @example unsqueeze(v, 0) // [n] → [1, n] */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  checkTensor(x, 'unsqueeze', 'x');
  const a = normalizeAxis(axis, x.ndim + 1, 'unsqueeze');
  const shape = x.shape.slice();
  shape.splice(a, 0, 1);
  return reshape(x, shape);
}

/** Swaps two axes (default: the last two). @example transpose(w) // [out, in] → [in, out] */
export function transpose(x: Tensor, dim0 = -2, dim1 = -1): Tensor {
  checkTensor(x, 'transpose', 'x');
  if (x.ndim < 2 && dim0 === -2 && dim1 === -1) return x;
  const a = normalizeAxis(dim0, x.ndim, 'transpose');
  const b = normalizeAxis(dim1, x.ndim, 'transpose');
  const dims = x.shape.map((_, i) => i);
  dims[a] = b;
  dims[b] = a;
  return permute(x, dims);
}

/** Stacks same-shaped tensors along a new axis. @example stack([a, b], 0) // two [3] → [2, 3] */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors))
    throw new TypeError(`stack: tensors must be an array of Tensors, got ${describeValue(tensors)}`);
  if (tensors.length === 0) throw new RangeError('stack: needs at least one tensor');
  const first = checkTensor(tensors[0], 'stack', 'tensors[0]');
  tensors.forEach((t, i) => {
    checkTensor(t, 'stack', `tensors[${i}]`);
    if (t.ndim !== first.ndim || t.shape.some((s: number, d: number) => s !== first.shape[d])) {
      throw new RangeError(
        `stack: tensor ${i} has shape ${formatShape(t.shape)} but tensor 0 has ${formatShape(first.shape)}`,
      );
    }
  });
  return concat(
    tensors.map((t) => unsqueeze(t, axis)),
    axis,
  );
}

/**
 * Splits along `axis` into pieces of the given sizes, or into `count` equal pieces.
 * @example split(x, [2, 3], 1) // two tensors with 2 and 3 columns
 */
export function split(x: Tensor, sizesOrCount: number | readonly number[], axis = 0): Tensor[] {
  checkTensor(x, 'split', 'x');
  const a = normalizeAxis(axis, x.ndim, 'split');
  const len = x.shape[a];
  let sizes: number[];
  if (typeof sizesOrCount === 'number') {
    if (!Number.isInteger(sizesOrCount) || sizesOrCount < 1 || len % sizesOrCount !== 0) {
      throw new RangeError(
        `split: axis ${a} of size ${len} cannot be split into ${sizesOrCount} equal pieces`,
      );
    }
    sizes = new Array(sizesOrCount).fill(len / sizesOrCount);
  } else {
    if (!Array.isArray(sizesOrCount)) {
      throw new TypeError(
        `split: sizesOrCount must be a number of equal pieces or an array of sizes, got ${describeValue(sizesOrCount)}`,
      );
    }
    sizes = [...sizesOrCount];
    const total = sizes.reduce((s, v) => s + v, 0);
    if (sizes.some((s) => !Number.isInteger(s) || s < 0) || total !== len) {
      throw new RangeError(
        `split: sizes ${JSON.stringify(sizes)} must be non-negative integers summing to ${len} (axis ${a})`,
      );
    }
  }
  let start = 0;
  return sizes.map((s) => {
    const specs = Array.from({ length: a + 1 }, (_, d) => (d === a ? ([start, start + s] as const) : null));
    start += s;
    return slice(x, specs);
  });
}

/** The `length` entries of `axis` starting at `start` (like `torch.narrow`). */
export function narrow(x: Tensor, axis: number, start: number, length: number): Tensor {
  checkTensor(x, 'narrow', 'x');
  const a = normalizeAxis(axis, x.ndim, 'narrow');
  if (
    !Number.isInteger(start) ||
    !Number.isInteger(length) ||
    start < 0 ||
    length < 0 ||
    start + length > x.shape[a]
  ) {
    throw new RangeError(
      `narrow: [${start}, ${start + length}) is not within axis ${a} of size ${x.shape[a]}`,
    );
  }
  const specs = Array.from({ length: a + 1 }, (_, d) =>
    d === a ? ([start, start + length] as const) : null,
  );
  return slice(x, specs);
}
