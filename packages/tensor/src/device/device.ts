/**
 * The backend seam. A tensor lives on a device; its storage is a buffer that device allocated, and every
 * value a primitive computes comes from one of the device's kernels. Primitives (src/primitives) are math:
 * they check arguments, work out shapes and strides, call `device.kernels.*`, and record a VJP written
 * with tensor ops. Nothing above this interface touches a typed array of a tensor that is not on the CPU.
 *
 * A new device is one folder under src/devices/ that implements `Device` (see docs/ARCHITECTURE.md).
 * Kernels never import Tensor or autograd: they see buffers, shapes, strides and numbers.
 */
import type { DType, TypedArray } from '../dtype';
import type { Rng } from '../random';

/**
 * A device's storage for one tensor: a Float32Array or Float64Array on the CPU, a GPU buffer handle on a
 * GPU. Opaque above the seam; its `length` is the element count.
 */
export interface DeviceBuffer {
  readonly length: number;
}

/** Elementwise functions of one argument (out = f(x), same dtype and size). */
export type UnaryOp = 'exp' | 'log' | 'sqrt' | 'sign' | 'abs' | 'tanh' | 'sigmoid' | 'softplus' | 'relu';

/**
 * Elementwise functions of two broadcast arguments. The comparisons give 1 or 0 in the operands' dtype;
 * `maximum`/`minimum` propagate NaN.
 */
export type BinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'eq'
  | 'ne'
  | 'lt'
  | 'le'
  | 'gt'
  | 'ge';

/** The constants of `Kernels.maskedAffine`, already rounded to the buffers' dtype. */
export interface MaskedAffine {
  threshold: number;
  a: number;
  b: number;
  c: number;
}

/** Reductions over a set of axes. */
export type ReduceOp = 'sum' | 'max' | 'min';

/** Hyper-parameters of one SGD step (PyTorch's `torch.optim.SGD`, one parameter). */
export interface SgdStep {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  /** The momentum buffer is empty (the first step with momentum): it takes the gradient as it is. */
  firstStep: boolean;
}

/** Hyper-parameters of one Adam/AdamW step (PyTorch's `torch.optim.Adam`/`AdamW`, one parameter). */
export interface AdamStep {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** AdamW: θ·(1 − lr·λ) before the step, instead of λ·θ added to the gradient. */
  decoupled: boolean;
  /** The step number t ≥ 1 (for the bias corrections). */
  step: number;
}

/**
 * The closed set of kernels a device provides. Every buffer argument is a buffer of this device; shapes
 * and strides are in elements; the caller (a primitive) has checked shapes, dtypes and sizes. Outputs are
 * written completely (none is read first, except where a kernel says it accumulates or updates in place).
 */
export interface Kernels extends ConvKernels {
  /** out = f(x) elementwise. */
  unary(op: UnaryOp, x: DeviceBuffer, out: DeviceBuffer): void;
  /**
   * out[i] = f(a[·], b[·]) over `shape` (the broadcast result, row-major), reading a and b through their
   * broadcast strides (0 along broadcast axes). a and b have out's dtype.
   */
  binary(
    op: BinaryOp,
    a: DeviceBuffer,
    aStrides: readonly number[],
    b: DeviceBuffer,
    bStrides: readonly number[],
    out: DeviceBuffer,
    shape: readonly number[],
  ): void;
  /** out = a where cond ≠ 0, else b; all three read through broadcast strides over `shape`. */
  where(
    cond: DeviceBuffer,
    condStrides: readonly number[],
    a: DeviceBuffer,
    aStrides: readonly number[],
    b: DeviceBuffer,
    bStrides: readonly number[],
    out: DeviceBuffer,
    shape: readonly number[],
  ): void;
  /** out = the reduction of x (of `shape`) over `axes` (sorted, distinct); out holds the kept axes in order. */
  reduce(
    op: ReduceOp,
    x: DeviceBuffer,
    shape: readonly number[],
    axes: readonly number[],
    out: DeviceBuffer,
  ): void;
  /** out = the index (as a float) of the first maximum (`sign` 1) or minimum (−1) of x along `axis`. */
  argReduce(x: DeviceBuffer, shape: readonly number[], axis: number, sign: 1 | -1, out: DeviceBuffer): void;
  /**
   * For each of `batch` matrices: C[m×n] = op(A)·op(B), op(A) m×k stored [m,k] or (transA) [k,m], op(B)
   * k×n stored [n,k] when transB; operand i starts at i·m·k, i·k·n, i·m·n.
   */
  matmul(
    a: DeviceBuffer,
    b: DeviceBuffer,
    out: DeviceBuffer,
    batch: number,
    m: number,
    n: number,
    k: number,
    transA: boolean,
    transB: boolean,
  ): void;
  /** y = SELU(x) (λ = SELU_LAMBDA, α = SELU_ALPHA; the negative branch for x ≤ 0). */
  selu(x: DeviceBuffer, y: DeviceBuffer): void;
  /** dx = g · SELU'(x), computed from the output y: λ where y > 0, else y + λα. */
  seluGrad(g: DeviceBuffer, y: DeviceBuffer, dx: DeviceBuffer): void;
  /**
   * The dropout layers' mask and affine map in one pass, all buffers of one size: where u < threshold,
   * scale = a and out = x·a + b; elsewhere scale = 0 and out = x·0 + c (so NaN and ±∞ still propagate).
   * In float32 the product and the sum are each rounded, as two separate kernels would round them.
   */
  maskedAffine(
    x: DeviceBuffer,
    u: DeviceBuffer,
    coefficients: MaskedAffine,
    out: DeviceBuffer,
    scale: DeviceBuffer,
  ): void;
  /** out (shape `shape`, row-major) = x read from `offset` with `strides` (permute, expand, slice). */
  copy(
    x: DeviceBuffer,
    offset: number,
    strides: readonly number[],
    out: DeviceBuffer,
    shape: readonly number[],
  ): void;
  /** out[offset + Σ idx·strides] += src[idx] over src's `shape` (the adjoint of a slice; out is zeroed first by the caller). */
  addStrided(
    src: DeviceBuffer,
    shape: readonly number[],
    out: DeviceBuffer,
    offset: number,
    strides: readonly number[],
  ): void;
  /**
   * Along an axis viewed as [outer, len, inner]: out[o, i, r] = x[o, index[o, i, r], r] (index and out of
   * shape [outer, idxLen, inner]); with `scatter`, the adjoint: out[o, index[o, i, r], r] += x[o, i, r]
   * (out zeroed by the caller). Index values are integers in [0, len); a device that can check them throws
   * a RangeError naming `op` otherwise.
   */
  gather(
    x: DeviceBuffer,
    index: DeviceBuffer,
    out: DeviceBuffer,
    outer: number,
    len: number,
    idxLen: number,
    inner: number,
    scatter: boolean,
    op: string,
  ): void;
  /** Concatenation of `parts` (each [outer, lens[i], inner]) along the middle axis into out. */
  concat(
    parts: readonly DeviceBuffer[],
    lens: readonly number[],
    out: DeviceBuffer,
    outer: number,
    inner: number,
  ): void;
  /** out = x converted to out's dtype (rounded to nearest). */
  cast(x: DeviceBuffer, out: DeviceBuffer): void;
  /** out[i] = value (rounded to out's dtype). */
  fill(out: DeviceBuffer, value: number): void;
  /** out[i] = i-th value of `start + i·step`. */
  arange(out: DeviceBuffer, start: number, step: number): void;
  /**
   * Random fill from `rng`: 'uniform' in [0, 1), 'normal' N(0, 1), 'int' uniform integers in [low, high).
   * The CPU device draws from the stream in order, so a seed gives the same values as `Rng` itself; a
   * device may instead draw a key from `rng` and use a counter-based generator (it says so in its docs).
   */
  random(out: DeviceBuffer, kind: 'uniform' | 'normal' | 'int', rng: Rng, low?: number, high?: number): void;
  /**
   * Batch normalization with the batch's statistics, for x laid out [outer, channels, inner]: writes
   * mean[c] and the biased variance[c] over outer·inner values, and out = (x − mean)/√(variance + eps)·weight
   * + bias (weight and bias of [channels], or null).
   */
  batchNorm(
    x: DeviceBuffer,
    weight: DeviceBuffer | null,
    bias: DeviceBuffer | null,
    out: DeviceBuffer,
    mean: DeviceBuffer,
    variance: DeviceBuffer,
    outer: number,
    channels: number,
    inner: number,
    eps: number,
  ): void;
  /**
   * The gradients of `batchNorm` for upstream g (from its saved mean and variance): dx always, dWeight = Σ g·x̂
   * and dBias = Σ g per channel where not null.
   */
  batchNormBackward(
    g: DeviceBuffer,
    x: DeviceBuffer,
    weight: DeviceBuffer | null,
    mean: DeviceBuffer,
    variance: DeviceBuffer,
    dx: DeviceBuffer,
    dWeight: DeviceBuffer | null,
    dBias: DeviceBuffer | null,
    outer: number,
    channels: number,
    inner: number,
    eps: number,
  ): void;
  /** y ← y + α·x in place (float32 rounding as PyTorch's `add_(x, alpha)` without FMA). */
  axpy(alpha: number, x: DeviceBuffer, y: DeviceBuffer): void;
  /** One SGD step in place on param (and its momentum buffer, null when momentum is 0). */
  sgdStep(param: DeviceBuffer, grad: DeviceBuffer, momentum: DeviceBuffer | null, h: SgdStep): void;
  /** One Adam/AdamW step in place on param, m, v (and vMax for AMSGrad, null otherwise). */
  adamStep(
    param: DeviceBuffer,
    grad: DeviceBuffer,
    m: DeviceBuffer,
    v: DeviceBuffer,
    vMax: DeviceBuffer | null,
    h: AdamStep,
  ): void;
}

/**
 * A place tensors live: it allocates, moves and frees their buffers and runs the kernels on them.
 * `'cpu'` (src/devices/cpu) is always there; other devices are registered by their init function.
 */
export interface Device {
  /** The name tensors report (`t.device.name`) and `t.to(name)` takes. */
  readonly name: string;
  /** The dtypes its buffers can hold. */
  readonly dtypes: readonly DType[];
  /**
   * Whether its buffers are ordinary memory the garbage collector frees (the CPU): then the memory module
   * pools large disposed buffers, and small ones are left to the collector. Otherwise every disposed buffer
   * goes straight to `destroy`, and the device pools it, and reclaims a buffer nothing references any more
   * (a view's, or one whose tensor was never disposed), itself.
   */
  readonly gcManaged: boolean;
  /** Whether `readSync` works: `.data`, `toArray()` and `item()` need it. */
  readonly syncReads: boolean;
  /** A new buffer of `size` elements, zeroed unless `zeroed` is false (for a kernel that writes it all). */
  allocate(dtype: DType, size: number, zeroed: boolean): DeviceBuffer;
  /** The dtype of a buffer of this device. */
  dtypeOf(buffer: DeviceBuffer): DType;
  /** A new buffer holding a copy of host values. */
  upload(data: TypedArray): DeviceBuffer;
  /** A host copy of a buffer's values, when all queued work that writes it is done. */
  read(buffer: DeviceBuffer): Promise<TypedArray>;
  /**
   * The buffer's values as a typed array without waiting: the buffer itself on the CPU (no copy). A device
   * that cannot serve it throws.
   */
  readSync(buffer: DeviceBuffer): TypedArray;
  /**
   * Takes back a buffer no tensor reads any more (the memory module decides when): a no-op on the CPU; a GPU
   * pools it or frees it once the queued work that uses it is done.
   */
  destroy(buffer: DeviceBuffer): void;
  /** The kernels. */
  readonly kernels: Kernels;
}

// ---------------------------------------------------------------------------------------------------------
// Convolution and pooling (issue 14). Layouts are PyTorch's: input NCHW, weight OIHW with I = C / groups,
// output N·O·outH·outW, all contiguous. A 1-D convolution is the 2-D one with inH = kH = outH = 1.

/**
 * The geometry of one 2-D convolution, in elements. `padH`/`padW` are the zeros before the first row and
 * column (the ones after follow from outH/outW, so asymmetric 'same' padding needs nothing more).
 * outH = ⌊(inH + padTop + padBottom − dilationH·(kH − 1) − 1) / strideH⌋ + 1, likewise outW.
 */
export interface Conv2dGeometry {
  batch: number;
  inChannels: number;
  inH: number;
  inW: number;
  outChannels: number;
  kH: number;
  kW: number;
  outH: number;
  outW: number;
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
  dilationH: number;
  dilationW: number;
  /** Divides inChannels and outChannels; group g maps input channels [g·I, (g+1)·I) to outputs [g·O/groups, (g+1)·O/groups). */
  groups: number;
}

/**
 * The geometry of one 2-D pooling over `planes` = N·C independent planes of inH × inW; symmetric padding
 * `padH`/`padW` (at most half the kernel); window (oh, ow) starts at (oh·strideH − padH, ow·strideW − padW).
 */
export interface Pool2dGeometry {
  planes: number;
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  kH: number;
  kW: number;
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
  dilationH: number;
  dilationW: number;
}

/** The convolution and pooling kernels every device provides (see Conv2dGeometry, Pool2dGeometry). */
export interface ConvKernels {
  /** out[n,o,oh,ow] = Σ_{c,kh,kw} x[n, g·I + c, oh·sH − pH + kh·dH, ow·sW − pW + kw·dW] · w[o,c,kh,kw] (zeros outside). */
  conv2d(x: DeviceBuffer, w: DeviceBuffer, out: DeviceBuffer, geometry: Conv2dGeometry): void;
  /** dx = the adjoint of conv2d in x applied to gy (a transposed convolution); dx is written completely. */
  conv2dBackInput(gy: DeviceBuffer, w: DeviceBuffer, dx: DeviceBuffer, geometry: Conv2dGeometry): void;
  /** dw = the adjoint of conv2d in w applied to gy (Σ over the batch and positions); written completely. */
  conv2dBackWeight(x: DeviceBuffer, gy: DeviceBuffer, dw: DeviceBuffer, geometry: Conv2dGeometry): void;
  /**
   * out = the maximum of each (dilated) window, argmax = the flat index ih·inW + iw within its plane of the
   * first maximal element (NaN counts as maximal, as PyTorch); padding never wins.
   */
  maxPool2d(x: DeviceBuffer, out: DeviceBuffer, argmax: DeviceBuffer, geometry: Pool2dGeometry): void;
  /**
   * out = the mean of each window: the sum over the in-bounds elements divided by the window's size clipped
   * to the padded input (countIncludePad) or by the in-bounds count (PyTorch's avg_pool2d, ceilMode included).
   */
  avgPool2d(x: DeviceBuffer, out: DeviceBuffer, geometry: Pool2dGeometry, countIncludePad: boolean): void;
  /** dx = the adjoint of avgPool2d applied to gy (each window's gradient spread over it); written completely. */
  avgPool2dBackward(
    gy: DeviceBuffer,
    dx: DeviceBuffer,
    geometry: Pool2dGeometry,
    countIncludePad: boolean,
  ): void;
}
