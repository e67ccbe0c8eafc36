/** Creating tensors: from data, filled, ranges, identity, and random (always from an explicit `Rng`). */
import { checkNumber, checkTensor } from './arg-checks';
import { checkDType, type DType, type NestedArray, type TypedArray } from './dtype';
import type { Rng } from './random';
import { checkShape, checkSize, formatShape, sizeOf } from './shape';
import { allocate } from './storage';
import { Tensor } from './tensor';

/** Options for creating a tensor. */
export interface TensorOptions {
  /** Element type; `float32` unless the data is a Float64Array. */
  dtype?: DType;
  /** Track operations on this tensor for differentiation (makes it a leaf of the graph). */
  requiresGrad?: boolean;
}

/** Options for `tensor()` from a flat typed array or number array. */
export interface DataOptions extends TensorOptions {
  /** Shape of flat data (default: 1-D). */
  shape?: readonly number[];
}

/** Options for random creation: the generator is explicit. */
export interface RandomOptions extends TensorOptions {
  rng: Rng;
}

function inferShape(data: NestedArray, shape: number[], depth: number): void {
  if (Array.isArray(data)) {
    shape.push(data.length);
    if (data.length > 0) inferShape(data[0], shape, depth + 1);
  }
}

function fill(
  data: NestedArray,
  shape: readonly number[],
  depth: number,
  out: TypedArray,
  pos: { i: number },
): void {
  if (depth === shape.length) {
    if (typeof data !== 'number') {
      throw new TypeError(
        `tensor: expected a number at depth ${depth}, got ${Array.isArray(data) ? 'an array' : typeof data} (ragged nested array?)`,
      );
    }
    out[pos.i++] = data;
    return;
  }
  if (!Array.isArray(data) || data.length !== shape[depth]) {
    throw new TypeError(
      `tensor: ragged nested array: expected ${shape[depth]} elements at depth ${depth} ` +
        `(shape [${shape.join(', ')}]), got ${Array.isArray(data) ? data.length : 'a number'}`,
    );
  }
  for (const d of data) fill(d, shape, depth + 1, out, pos);
}

/**
 * Creates a tensor from a number, a (nested, rectangular) array, or a typed array; always copies.
 *
 * @example
 * tensor([[1, 2], [3, 4]]);                        // float32, shape [2, 2]
 * tensor(new Float64Array(6), { shape: [2, 3] }); // float64
 * tensor(0.5, { requiresGrad: true });            // a scalar leaf
 */
export function tensor(data: NestedArray | TypedArray, options: DataOptions = {}): Tensor {
  const isTyped = data instanceof Float32Array || data instanceof Float64Array;
  const dtype = checkDType(options.dtype ?? (data instanceof Float64Array ? 'float64' : 'float32'), 'tensor');
  let shape: number[];
  let out: TypedArray;
  if (isTyped || (options.shape && Array.isArray(data) && !data.some(Array.isArray))) {
    const flat = data as TypedArray | number[];
    shape = options.shape ? checkShape(options.shape, 'tensor') : [flat.length];
    if (sizeOf(shape) !== flat.length) {
      throw new RangeError(
        `tensor: ${flat.length} values cannot have shape [${shape.join(', ')}] (${sizeOf(shape)} elements)`,
      );
    }
    out = allocateFor(dtype, shape, 'tensor', false);
    for (let i = 0; i < flat.length; i++) {
      const v = flat[i];
      if (typeof v !== 'number') throw new TypeError(`tensor: element ${i} is not a number`);
      out[i] = v;
    }
  } else {
    if (typeof data !== 'number' && !Array.isArray(data)) {
      throw new TypeError(
        `tensor: expected a number, a nested array or a Float32Array/Float64Array, got ${typeof data}`,
      );
    }
    shape = [];
    inferShape(data as NestedArray, shape, 0);
    checkSize(shape, 'tensor');
    out = allocateFor(dtype, shape, 'tensor');
    fill(data as NestedArray, shape, 0, out, { i: 0 });
    if (options.shape) {
      throw new TypeError('tensor: `shape` applies only to flat data; nested arrays carry their own shape');
    }
  }
  return new Tensor(out, shape, options.requiresGrad ?? false);
}

/** `full` with the caller's name in its errors (so `zeros([-1])` does not blame `full`). */
function filled(shape: readonly number[], value: number, options: TensorOptions, op: string): Tensor {
  const s = checkShape(shape, op);
  const data = allocateFor(checkDType(options.dtype ?? 'float32', op), s, op);
  if (value !== 0) data.fill(value);
  return new Tensor(data, s, options.requiresGrad ?? false);
}

/** Storage for a new tensor of `shape`; an allocation the engine refuses is an error naming `op`. */
function allocateFor(dtype: DType, shape: readonly number[], op: string, zeroed = true): TypedArray {
  const n = sizeOf(shape);
  try {
    return allocate(dtype, n, zeroed);
  } catch (e) {
    throw new RangeError(
      `${op}: cannot allocate ${n} ${dtype} elements (${n * (dtype === 'float64' ? 8 : 4)} bytes) for shape ` +
        `${formatShape(shape)}: ${(e as Error).message}`,
    );
  }
}

/** A tensor of `shape` filled with `value` (a number; NaN and ±∞ allowed). @example full([2], 0.5) */
export function full(shape: readonly number[], value: number, options: TensorOptions = {}): Tensor {
  checkNumber(value, 'full', 'value');
  return filled(shape, value, options, 'full');
}

/** A tensor of zeros. @example zeros([2, 3]) */
export function zeros(shape: readonly number[], options: TensorOptions = {}): Tensor {
  return filled(shape, 0, options, 'zeros');
}

/** A tensor of ones. @example ones([3], { dtype: 'float64' }) */
export function ones(shape: readonly number[], options: TensorOptions = {}): Tensor {
  return filled(shape, 1, options, 'ones');
}

/** Zeros with the shape and dtype of `t`. */
export function zerosLike(t: Tensor, options: TensorOptions = {}): Tensor {
  checkTensor(t, 'zerosLike', 't');
  return filled(t.shape, 0, { dtype: t.dtype, ...options }, 'zerosLike');
}

/** Ones with the shape and dtype of `t`. */
export function onesLike(t: Tensor, options: TensorOptions = {}): Tensor {
  checkTensor(t, 'onesLike', 't');
  return filled(t.shape, 1, { dtype: t.dtype, ...options }, 'onesLike');
}

/**
 * Evenly spaced values in [start, stop) with `step`, like `torch.arange`; `arange(n)` is 0 … n−1.
 * @example arange(5) // [0, 1, 2, 3, 4]
 */
export function arange(start: number, stop?: number, step = 1, options: TensorOptions = {}): Tensor {
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  if (!Number.isFinite(start) || !Number.isFinite(stop) || !Number.isFinite(step) || step === 0) {
    throw new RangeError(
      `arange: start, stop and a non-zero step must be finite numbers, got ${start}, ${stop}, ${step}`,
    );
  }
  const n = Math.max(0, Math.ceil((stop - start) / step));
  checkSize([n], 'arange');
  const data = allocateFor(checkDType(options.dtype ?? 'float32', 'arange'), [n], 'arange');
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return new Tensor(data, [n], options.requiresGrad ?? false);
}

/** The n×m identity matrix (m defaults to n). @example eye(3) */
export function eye(n: number, m = n, options: TensorOptions = {}): Tensor {
  const t = filled([n, m], 0, options, 'eye');
  for (let i = 0; i < Math.min(n, m); i++) t.storage[i * m + i] = 1;
  return t;
}

function checkRng(options: RandomOptions | undefined, op: string): Rng {
  const rng = options?.rng;
  if (!rng || typeof rng.uniform !== 'function') {
    throw new TypeError(`${op}: pass an explicit generator, e.g. ${op}(shape, { rng: new Rng(0) })`);
  }
  return rng;
}

/** Standard normal samples N(0, 1). @example randn([2, 3], { rng: new Rng(0) }) */
export function randn(shape: readonly number[], options: RandomOptions): Tensor {
  const rng = checkRng(options, 'randn');
  const t = filled(shape, 0, options, 'randn');
  for (let i = 0; i < t.size; i++) t.storage[i] = rng.normal();
  return t;
}

/** Uniform samples in [0, 1). @example rand([4], { rng: new Rng(0) }) */
export function rand(shape: readonly number[], options: RandomOptions): Tensor {
  const rng = checkRng(options, 'rand');
  const t = filled(shape, 0, options, 'rand');
  for (let i = 0; i < t.size; i++) t.storage[i] = rng.uniform();
  return t;
}

/** Uniform integers in [low, high), stored as floats. @example randint(0, 10, [5], { rng }) */
export function randint(low: number, high: number, shape: readonly number[], options: RandomOptions): Tensor {
  const rng = checkRng(options, 'randint');
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || high <= low) {
    throw new RangeError(`randint: need integers low < high, got low=${low}, high=${high}`);
  }
  const t = filled(shape, 0, options, 'randint');
  for (let i = 0; i < t.size; i++) t.storage[i] = rng.int(low, high);
  return t;
}
