/**
 * The Tensor class: storage, shape, dtype and the autograd fields. It holds no math: every method is a
 * one-line call into the ops, which are also exported as free functions.
 */
import { type BackwardOptions, backward } from './autograd/engine';
import type { Node } from './autograd/node';
import type { Device, DeviceBuffer } from './device/device';
import { checkDeviceDType, getDevice } from './device/registry';
import { cpu } from './devices/cpu';
import { type DType, dtypeOf, type NestedArray, type TypedArray } from './dtype';
import { formatValues } from './format';
import { allocate, claim, dispose, isDisposed } from './memory';
import { clamp, elu, relu, softplus, square } from './ops/activations';
import { type ConvOptions, conv1d, conv2d } from './ops/conv';
import { indexSelect } from './ops/index-select';
import { linear, matmul } from './ops/matmul';
import { type PadOptions, pad } from './ops/pad';
import { adaptiveAvgPool2d } from './ops/pooling';
import { logSoftmax, logSumExp, mean, softmax, std, type VarianceOptions, variance } from './ops/reductions';
import { flatten, narrow, split, squeeze, transpose, unsqueeze } from './ops/shape-ops';
import { add, div, maximum, minimum, mul, neg, pow, sub } from './primitives/binary';
import { eq, ge, gt, le, lt, ne } from './primitives/compare';
import { gather } from './primitives/gather';
import { matmulT } from './primitives/matmul';
import { type AvgPool2dOptions, avgPool2d, type MaxPool2dOptions, maxPool2d } from './primitives/pool';
import { type Axis, argmax, argmin, max, min, type ReduceOptions, sum } from './primitives/reduce';
import { selu } from './primitives/selu';
import { type SliceSpec, slice } from './primitives/slice';
import { abs, exp, log, sigmoid, sqrt, tanh } from './primitives/unary';
import type { TensorLike } from './primitives/util';
import { cast, expand, permute, reshape } from './primitives/view';
import { formatShape, sizeOf } from './shape';
import { bumpVersion, versionOf, watchStorage } from './versions';

/**
 * An n-dimensional array of float32 or float64 values in contiguous row-major storage, with reverse-mode
 * automatic differentiation. Create tensors with `tensor()`, `zeros()`, `randn()`, …; `new Tensor(data,
 * shape)` wraps existing storage without copying.
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const y = x.mul(x).sum();
 * y.backward();
 * x.grad?.toArray(); // [[2, 4], [6, 8]]
 */
export class Tensor {
  /** Size of each dimension. */
  readonly shape: readonly number[];
  /** Element type. */
  readonly dtype: DType;
  /** The device (private, so that `structuredClone` of a tensor still copies plain data). */
  readonly #device: Device;
  /**
   * The device's buffer: a Float32Array or Float64Array on the CPU, a GPU buffer handle elsewhere. Shared
   * with views (`reshape`, `detach`). What kernels read; user code reads values through `data`, `read()`.
   */
  readonly buffer: DeviceBuffer;
  /** Accumulated gradient of a leaf after `backward()`; null until then. */
  grad: Tensor | null = null;
  /** Whether operations on this tensor are recorded for differentiation. */
  requiresGrad: boolean;
  /** The operation that produced this tensor (null for leaves). Internal to the autograd engine. */
  node: Node | null = null;
  /** How many recorded operations not yet freed by a backward pass saved this tensor. Internal. */
  savedBy = 0;
  /**
   * For a `detach()`ed view: the tensor it was detached from, whose `savedBy` its `.data` consults. Weak, so
   * that a detached value (a loss kept for logging) does not keep its graph alive.
   */
  #detachedFrom: WeakRef<Tensor> | null = null;

  constructor(
    data: TypedArray | DeviceBuffer,
    shape: readonly number[],
    requiresGrad = false,
    device: Device = cpu,
  ) {
    if (device === cpu && !(data instanceof Float32Array || data instanceof Float64Array)) {
      throw new TypeError(
        'Tensor: data must be a Float32Array or a Float64Array; use tensor() to convert other data',
      );
    }
    // One O(rank) pass: the size, and the check that a shape such as [-2, -2], [2.5, 1.6] or ['2', '2']
    // does not pass for its product.
    let size = Array.isArray(shape) ? 1 : -1;
    for (let i = 0; size >= 0 && i < shape.length; i++) {
      const d = shape[i];
      size = Number.isSafeInteger(d) && d >= 0 ? size * d : -1;
    }
    if (size < 0) {
      const got = Array.isArray(shape)
        ? `[${shape.map((d) => (typeof d === 'string' ? JSON.stringify(d) : String(d))).join(', ')}]`
        : typeof shape;
      throw new TypeError(
        `Tensor: shape must be an array of non-negative integers, got ${got.length > 100 ? `${got.slice(0, 100)}…` : got}`,
      );
    }
    if (size !== data.length) {
      throw new RangeError(
        `Tensor: shape ${formatShape(shape)} needs ${sizeOf(shape)} elements, but data has ${data.length}`,
      );
    }
    this.#device = device;
    this.buffer = data;
    this.shape = Object.freeze(shape.slice());
    this.dtype = device === cpu ? dtypeOf(data as TypedArray) : device.dtypeOf(data);
    this.requiresGrad = requiresGrad;
    claim(this);
  }

  /** The device the tensor lives on (`cpu` unless it was created on or moved to another). */
  get device(): Device {
    return this.#device;
  }

  /**
   * The values themselves, contiguous and row-major, shared with views (`reshape`, `detach`), and not
   * watched for in-place edits (see `data`): what selfnorm's own code reads on the CPU. Code that writes
   * through it must call `markModified()` afterwards, or the graph cannot tell that what it saved changed.
   * Only on a device with synchronous reads (the CPU); elsewhere it throws, naming `await t.read()`.
   */
  get storage(): TypedArray {
    const device = this.device;
    if (device === cpu) return this.buffer as TypedArray;
    if (device.syncReads) return device.readSync(this.buffer);
    throw new Error(
      `Tensor: this tensor lives on '${device.name}', which cannot be read synchronously; ` +
        "use `await t.read()` (a typed-array copy) or `await t.toArrayAsync()`, or move it with `await t.toAsync('cpu')`",
    );
  }

  /** A copy of the values as a typed array, on every device (waits for queued work on a GPU). */
  async read(): Promise<TypedArray> {
    return this.device.read(this.buffer);
  }

  /** The values as nested arrays, on every device (`toArray()` for tensors that may live on a GPU). */
  async toArrayAsync(): Promise<NestedArray> {
    return nest(await this.read(), this.shape);
  }

  /**
   * This tensor on `device` (a name or a Device): itself if it is there already, else a copy cut from the
   * graph (like `detach()`: create parameters on the device they train on, and move inputs, not
   * intermediate results). A tensor on a device without synchronous reads moves to the CPU with
   * `await t.toAsync('cpu')`.
   * @example const xs = batch.to('webgpu');
   */
  to(device: string | Device): Tensor {
    const target = getDevice(device, 'to');
    if (target === this.device) return this;
    const x = this as Tensor;
    if (!x.device.syncReads && target.syncReads) {
      throw new Error(
        `to: moving a tensor from '${x.device.name}' to '${target.name}' must wait for its values; use \`await t.toAsync('${target.name}')\``,
      );
    }
    checkDeviceDType(target, x.dtype, 'to');
    return new Tensor(target.upload(x.storage), x.shape, false, target);
  }

  /** `to(device)` for every pair of devices: waits for the values when the source cannot be read synchronously. */
  async toAsync(device: string | Device): Promise<Tensor> {
    const target = getDevice(device, 'toAsync');
    if (target === this.device || this.device.syncReads) return this.to(target);
    checkDeviceDType(target, this.dtype, 'toAsync');
    return new Tensor(target.upload(await this.read()), this.shape, false, target);
  }

  /**
   * The storage, contiguous and row-major; may be shared with views (`reshape`, `detach`). A plain typed
   * array: reading it is free, and so is writing into it while no recorded op saves this tensor. Writing
   * into it after an op saved the tensor for its backward pass (and before `backward()`) would make the
   * gradient wrong, so it is caught: taking `.data` of a tensor an op saved (or of a `detach()` of it)
   * fingerprints its storage (one pass over it, once until the graph is freed), and `backward()` throws if
   * the contents changed. Arrays taken from `.data` before the op saved the tensor are not watched: after
   * writing through one, call `markModified()`. To edit a saved tensor, `clone()` it first, or edit it
   * after `backward()`.
   * @example
   * const w = tensor([2, 3], { requiresGrad: true });
   * const y = w.mul(w).sum();
   * w.data[0] = 100;
   * y.backward(); // throws: input 0 of 'mul' was modified in place after 'mul' saved it
   */
  get data(): TypedArray {
    const data = this.storage;
    if (
      this.savedBy !== 0 ||
      (this.#detachedFrom !== null && (this.#detachedFrom.deref()?.savedBy ?? 0) !== 0)
    ) {
      watchStorage(data);
    }
    return data;
  }

  /**
   * How many in-place writes were declared on this tensor's storage (shared by its views), like PyTorch's
   * `_version`: by `markModified()`, `axpy`, the optimizers' `step()`, `Module.loadStateDict`, and raw
   * writes through a watched `.data` (counted when the next op saves the tensor). `backward()` refuses to
   * use a tensor an op saved if a write was declared on its storage after that op ran.
   */
  get version(): number {
    return versionOf(this.buffer);
  }

  /**
   * Declares that this tensor's storage was written in place (through `.data` or `storage`): its `version`
   * goes up, so the backward pass of any op that saved it before the write throws instead of computing a
   * wrong gradient. Costs one lookup. Returns `this`.
   * @example
   * const d = w.data; // taken before the forward pass
   * const y = w.mul(w).sum();
   * d[0] = 100;
   * w.markModified();
   * y.backward(); // throws: input 0 of 'mul' was modified in place after 'mul' saved it
   */
  markModified(): this {
    bumpVersion(this.buffer);
    return this;
  }

  /** Number of elements. */
  get size(): number {
    return this.buffer.length;
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** True for a tensor not produced by a recorded operation (its `.grad` is filled by `backward()`). */
  get isLeaf(): boolean {
    return this.node === null;
  }

  /** Marks a leaf as requiring grad (in place; returns `this`), like PyTorch's `requires_grad_()`. */
  requireGrad(flag = true): this {
    if (!this.isLeaf)
      throw new Error('requireGrad: only leaf tensors can change requiresGrad; use detach() first');
    this.requiresGrad = flag;
    return this;
  }

  /** The values as nested arrays (on a device with synchronous reads; else `toArrayAsync()`). */
  toArray(): NestedArray {
    return nest(this.storage, this.shape);
  }

  /** The value of a one-element tensor as a number. */
  item(): number {
    if (this.size !== 1)
      throw new RangeError(
        `item: only a one-element tensor converts to a number; shape is ${formatShape(this.shape)}`,
      );
    return this.storage[0];
  }

  /**
   * Gives this tensor's storage back for reuse, as TensorFlow.js's `dispose()`: the next tensor of the same
   * dtype and size takes it instead of a fresh allocation (whose pages fault on first touch), so a loop
   * that disposes what it no longer needs stops churning memory. Afterwards, reading the tensor throws, and
   * arrays taken from its `.data` must not be used. Storage is reused only when that is safe: large (≥
   * 16,384 elements), allocated by selfnorm, not shared with another tensor (`reshape`, `detach`), and no
   * longer saved by the graph; storage a pending backward pass still needs is reused after `backward()`.
   * Anything else is left to the garbage collector. Disposing twice is a no-op. See `storagePoolStats`.
   * @example
   * const y = selu(x);
   * y.backward(g);
   * y.dispose(); // the next selu of this size reuses y's storage
   */
  dispose(): void {
    dispose(this);
  }

  /** Whether `dispose()` was called on this tensor. */
  get isDisposed(): boolean {
    return isDisposed(this);
  }

  /** A tensor sharing this storage, cut from the graph (requiresGrad false). */
  detach(): Tensor {
    const view = new Tensor(this.buffer, this.shape, false, this.device);
    view.#detachedFrom = this.#detachedFrom ?? new WeakRef(this);
    return view;
  }

  /** A copy of the storage on the same device, cut from the graph. */
  clone(): Tensor {
    const out = allocate(this.device, this.dtype, this.size, false);
    this.device.kernels.cast(this.buffer, out);
    return new Tensor(out, this.shape, false, this.device);
  }

  /**
   * Reverse-mode differentiation from this tensor: gradients accumulate into the `.grad` of every leaf it
   * depends on. `gradient` (∂L/∂this) may be omitted only for a one-element tensor.
   */
  backward(gradient?: Tensor, options?: BackwardOptions): void {
    backward(this, gradient, options);
  }

  /** PyTorch-style text: values (elided when large), shape, dtype and grad status. */
  toString(): string {
    const grad = this.requiresGrad ? `, requiresGrad=true${this.node ? `, gradFn=${this.node.op}` : ''}` : '';
    const values = this.device.syncReads ? formatValues(this.storage, this.shape, 7) : '<await read()>';
    const on = this.device === cpu ? '' : `, device=${this.device.name}`;
    return `tensor(${values}, shape=${formatShape(this.shape)}, dtype=${this.dtype}${on}${grad})`;
  }

  add(other: TensorLike): Tensor {
    return add(this, other);
  }
  sub(other: TensorLike): Tensor {
    return sub(this, other);
  }
  mul(other: TensorLike): Tensor {
    return mul(this, other);
  }
  div(other: TensorLike): Tensor {
    return div(this, other);
  }
  pow(exponent: TensorLike): Tensor {
    return pow(this, exponent);
  }
  maximum(other: TensorLike): Tensor {
    return maximum(this, other);
  }
  minimum(other: TensorLike): Tensor {
    return minimum(this, other);
  }
  neg(): Tensor {
    return neg(this);
  }
  square(): Tensor {
    return square(this);
  }
  sqrt(): Tensor {
    return sqrt(this);
  }
  exp(): Tensor {
    return exp(this);
  }
  log(): Tensor {
    return log(this);
  }
  abs(): Tensor {
    return abs(this);
  }
  clamp(min?: TensorLike, max?: TensorLike): Tensor {
    return clamp(this, min, max);
  }
  relu(): Tensor {
    return relu(this);
  }
  sigmoid(): Tensor {
    return sigmoid(this);
  }
  tanh(): Tensor {
    return tanh(this);
  }
  selu(): Tensor {
    return selu(this);
  }
  elu(alpha = 1): Tensor {
    return elu(this, alpha);
  }
  softplus(): Tensor {
    return softplus(this);
  }
  eq(other: TensorLike): Tensor {
    return eq(this, other);
  }
  ne(other: TensorLike): Tensor {
    return ne(this, other);
  }
  lt(other: TensorLike): Tensor {
    return lt(this, other);
  }
  le(other: TensorLike): Tensor {
    return le(this, other);
  }
  gt(other: TensorLike): Tensor {
    return gt(this, other);
  }
  ge(other: TensorLike): Tensor {
    return ge(this, other);
  }
  sum(axis?: Axis, options?: ReduceOptions): Tensor {
    return sum(this, axis, options);
  }
  mean(axis?: Axis, options?: ReduceOptions): Tensor {
    return mean(this, axis, options);
  }
  max(axis?: Axis, options?: ReduceOptions): Tensor {
    return max(this, axis, options);
  }
  min(axis?: Axis, options?: ReduceOptions): Tensor {
    return min(this, axis, options);
  }
  variance(axis?: Axis, options?: VarianceOptions): Tensor {
    return variance(this, axis, options);
  }
  std(axis?: Axis, options?: VarianceOptions): Tensor {
    return std(this, axis, options);
  }
  logSumExp(axis?: Axis, options?: ReduceOptions): Tensor {
    return logSumExp(this, axis, options);
  }
  softmax(axis = -1): Tensor {
    return softmax(this, axis);
  }
  logSoftmax(axis = -1): Tensor {
    return logSoftmax(this, axis);
  }
  argmax(axis?: number, options?: ReduceOptions): Tensor {
    return argmax(this, axis, options);
  }
  argmin(axis?: number, options?: ReduceOptions): Tensor {
    return argmin(this, axis, options);
  }
  reshape(shape: readonly number[]): Tensor {
    return reshape(this, shape);
  }
  flatten(startDim = 0, endDim = -1): Tensor {
    return flatten(this, startDim, endDim);
  }
  transpose(dim0 = -2, dim1 = -1): Tensor {
    return transpose(this, dim0, dim1);
  }
  permute(dims: readonly number[]): Tensor {
    return permute(this, dims);
  }
  expand(shape: readonly number[]): Tensor {
    return expand(this, shape);
  }
  squeeze(axis?: number | readonly number[]): Tensor {
    return squeeze(this, axis);
  }
  unsqueeze(axis: number): Tensor {
    return unsqueeze(this, axis);
  }
  slice(specs: readonly SliceSpec[]): Tensor {
    return slice(this, specs);
  }
  narrow(axis: number, start: number, length: number): Tensor {
    return narrow(this, axis, start, length);
  }
  gather(axis: number, index: Tensor): Tensor {
    return gather(this, axis, index);
  }
  indexSelect(axis: number, indices: Tensor | readonly number[]): Tensor {
    return indexSelect(this, axis, indices);
  }
  split(sizesOrCount: number | readonly number[], axis = 0): Tensor[] {
    return split(this, sizesOrCount, axis);
  }
  matmul(other: Tensor): Tensor {
    return matmul(this, other);
  }
  matmulT(other: Tensor, transA = false, transB = false): Tensor {
    return matmulT(this, other, transA, transB);
  }
  linear(weight: Tensor, bias?: Tensor | null): Tensor {
    return linear(this, weight, bias);
  }
  cast(dtype: DType): Tensor {
    return cast(this, dtype);
  }
  conv2d(weight: Tensor, bias?: Tensor | null, options?: ConvOptions): Tensor {
    return conv2d(this, weight, bias, options);
  }
  conv1d(weight: Tensor, bias?: Tensor | null, options?: ConvOptions): Tensor {
    return conv1d(this, weight, bias, options);
  }
  maxPool2d(kernelSize: number | readonly number[], options?: MaxPool2dOptions): Tensor {
    return maxPool2d(this, kernelSize, options);
  }
  avgPool2d(kernelSize: number | readonly number[], options?: AvgPool2dOptions): Tensor {
    return avgPool2d(this, kernelSize, options);
  }
  adaptiveAvgPool2d(outputSize: number | readonly number[]): Tensor {
    return adaptiveAvgPool2d(this, outputSize);
  }
  pad(pads: readonly number[], options?: PadOptions): Tensor {
    return pad(this, pads, options);
  }
}

/** Nested arrays of `data` in `shape` (row-major). */
function nest(data: TypedArray, shape: readonly number[]): NestedArray {
  if (shape.length === 0) return data[0];
  const rec = (dim: number, offset: number, stride: number): NestedArray[] => {
    const n = shape[dim];
    const inner = stride / n;
    const out: NestedArray[] = new Array(n);
    for (let i = 0; i < n; i++) {
      out[i] = dim === shape.length - 1 ? data[offset + i] : rec(dim + 1, offset + i * inner, inner);
    }
    return out;
  };
  return rec(0, 0, data.length);
}
