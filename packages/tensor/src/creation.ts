/** Creating tensors: from data, filled, ranges, identity, and random (always from an explicit `Rng`). */
import { checkNumber, checkTensor } from './arg-checks';
import type { Device } from './device/device';
import { checkDeviceDType, resolveDevice } from './device/registry';
import { cpu } from './devices/cpu';
import { checkDType, type DType, type NestedArray, type TypedArray } from './dtype';
import { allocate } from './memory';
import type { Rng } from './random';
import { checkShape, checkSize, formatShape, sizeOf } from './shape';
import { Tensor } from './tensor';

/** Options for creating a tensor. */
export interface TensorOptions {
  /** Element type; `float32` unless the data is a Float64Array. */
  dtype?: DType;
  /** Track operations on this tensor for differentiation (makes it a leaf of the graph). */
  requiresGrad?: boolean;
  /**
   * Where the tensor lives: a device or its name (`'cpu'`, `'webgpu'` after `initWebGPU()`). Default: the
   * default device (`setDefaultDevice`), the CPU unless changed.
   */
  device?: Device | string;
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
    out = hostArray(dtype, shape, 'tensor');
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
    out = hostArray(dtype, shape, 'tensor');
    fill(data as NestedArray, shape, 0, out, { i: 0 });
    if (options.shape) {
      throw new TypeError('tensor: `shape` applies only to flat data; nested arrays carry their own shape');
    }
  }
  return onDevice(out, shape, options, 'tensor');
}

/** A host array wrapped as a tensor on the device `options` asks for (uploaded unless that is the CPU). */
function onDevice(data: TypedArray, shape: readonly number[], options: TensorOptions, op: string): Tensor {
  const device = resolveDevice(options.device, op);
  const requiresGrad = options.requiresGrad ?? false;
  if (device === cpu) return new Tensor(data, shape, requiresGrad);
  checkDeviceDType(device, options.dtype ?? (data instanceof Float64Array ? 'float64' : 'float32'), op);
  return new Tensor(device.upload(data), shape, requiresGrad, device);
}

/**
 * A new tensor of `shape` on the device `options` asks for, its buffer zeroed (or filled with `value`),
 * with the caller's name in its errors (so `zeros([-1])` does not blame `full`).
 */
function filled(shape: readonly number[], value: number, options: TensorOptions, op: string): Tensor {
  const s = checkShape(shape, op);
  const dtype = checkDType(options.dtype ?? 'float32', op);
  const device = resolveDevice(options.device, op);
  checkDeviceDType(device, dtype, op);
  const n = sizeOf(s);
  let buffer: ReturnType<Device['allocate']>;
  try {
    buffer = allocate(device, dtype, n, value === 0);
  } catch (e) {
    throw new RangeError(
      `${op}: cannot allocate ${n} ${dtype} elements (${n * (dtype === 'float64' ? 8 : 4)} bytes) for shape ` +
        `${formatShape(s)} on '${device.name}': ${(e as Error).message}`,
    );
  }
  if (value !== 0) device.kernels.fill(buffer, value);
  return new Tensor(buffer, s, options.requiresGrad ?? false, device);
}

/** A host (CPU) array for a new tensor of `shape`; an allocation the engine refuses is an error naming `op`. */
function hostArray(dtype: DType, shape: readonly number[], op: string): TypedArray {
  const n = sizeOf(shape);
  try {
    return allocate(cpu, dtype, n, true) as TypedArray;
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
  return filled(t.shape, 0, { dtype: t.dtype, device: t.device, ...options }, 'zerosLike');
}

/** Ones with the shape and dtype of `t`. */
export function onesLike(t: Tensor, options: TensorOptions = {}): Tensor {
  checkTensor(t, 'onesLike', 't');
  return filled(t.shape, 1, { dtype: t.dtype, device: t.device, ...options }, 'onesLike');
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
  const t = filled([n], 0, options, 'arange');
  t.device.kernels.arange(t.buffer, start, step);
  return t;
}

/** The n×m identity matrix (m defaults to n). @example eye(3) */
export function eye(n: number, m = n, options: TensorOptions = {}): Tensor {
  const host = filled([n, m], 0, { dtype: options.dtype, device: cpu }, 'eye').storage;
  for (let i = 0; i < Math.min(n, m); i++) host[i * m + i] = 1;
  return onDevice(host, [n, m], options, 'eye');
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
  t.device.kernels.random(t.buffer, 'normal', rng);
  return t;
}

/** Uniform samples in [0, 1). @example rand([4], { rng: new Rng(0) }) */
export function rand(shape: readonly number[], options: RandomOptions): Tensor {
  const rng = checkRng(options, 'rand');
  const t = filled(shape, 0, options, 'rand');
  t.device.kernels.random(t.buffer, 'uniform', rng);
  return t;
}

/** Uniform integers in [low, high), stored as floats. @example randint(0, 10, [5], { rng }) */
export function randint(low: number, high: number, shape: readonly number[], options: RandomOptions): Tensor {
  const rng = checkRng(options, 'randint');
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || high <= low) {
    throw new RangeError(`randint: need integers low < high, got low=${low}, high=${high}`);
  }
  const t = filled(shape, 0, options, 'randint');
  t.device.kernels.random(t.buffer, 'int', rng, low, high);
  return t;
}
