/**
 * The CPU device: buffers are Float32Arrays and Float64Arrays, read synchronously. It has two kernel sets,
 * an implementation detail of this device: the TypeScript reference loops (reference/) and the WebAssembly
 * SIMD kernels (wasm/, with the worker pool that splits large products and SELU passes), chosen per call
 * by `useFastKernels` and by what the fast kernels accept (float32; SIMD present), bit-identical where both
 * apply except matmul's summation order.
 */
import type { BinaryOp, Device, DeviceBuffer, Kernels, UnaryOp } from '../../device/device';
import { type DType, dtypeOf, type TypedArray } from '../../dtype';
import type { Rng } from '../../random';
import { binaryRuns, sumKeepMiddle } from './broadcast';
import { cpuConvKernels } from './conv-kernels';
import { fastKernelsSelected } from './kernel-set';
import { axpyKernel } from './reference/axpy';
import { batchNormBackwardKernel, batchNormKernel } from './reference/batch-norm';
import { concatAxis, gatherAxis, stridedAddInto, stridedCopy } from './reference/copy';
import {
  type BinaryFn,
  mapBinary,
  mapUnary,
  maskedAffineKernel,
  reluKernel,
  scalarBinary,
  select,
  selectContiguous,
  type UnaryFn,
} from './reference/elementwise';
import { argExtremeAxis, extremeAxes, sumAxes } from './reference/reduce';
import { adamStepKernel, sgdStepKernel } from './reference/updates';
import { binaryKernelFast, type FastBinaryOp } from './wasm/elementwise';
import { matmulKernelFast } from './wasm/matmul';
import { seluGradKernelFast, seluKernelFast } from './wasm/selu';

const UNARY: Record<UnaryOp, UnaryFn> = {
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  sign: Math.sign,
  abs: Math.abs,
  tanh: Math.tanh,
  sigmoid: (v) => {
    if (v >= 0) return 1 / (1 + Math.exp(-v));
    const e = Math.exp(v);
    return e / (1 + e);
  },
  // max(x, 0) + log1p(e^(−|x|)): never overflows, full precision for large negative x.
  softplus: (v) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))),
  relu: (v) => Math.max(v, 0), // NaN stays NaN, as PyTorch's relu
};

const BINARY: Record<BinaryOp, BinaryFn> = {
  add: (p, q) => p + q,
  sub: (p, q) => p - q,
  mul: (p, q) => p * q,
  div: (p, q) => p / q,
  pow: Math.pow,
  // Math.max/min propagate NaN, as PyTorch's maximum/minimum do.
  maximum: Math.max,
  minimum: Math.min,
  eq: (p, q) => (p === q ? 1 : 0),
  ne: (p, q) => (p !== q ? 1 : 0),
  lt: (p, q) => (p < q ? 1 : 0),
  le: (p, q) => (p <= q ? 1 : 0),
  gt: (p, q) => (p > q ? 1 : 0),
  ge: (p, q) => (p >= q ? 1 : 0),
};

const FAST_BINARY = new Set<BinaryOp>(['add', 'sub', 'mul', 'div']);

const f = (b: DeviceBuffer) => b as TypedArray;

/**
 * add/sub/mul/div of float32 operands of equal size, or of a row broadcast over the last axis (a bias):
 * the WebAssembly SIMD kernel (bit-identical to the loop). False where it does not apply.
 */
function fastBinary(
  op: FastBinaryOp,
  a: TypedArray,
  b: TypedArray,
  bStrides: readonly number[],
  out: TypedArray,
  shape: readonly number[],
): boolean {
  const size = out.length;
  if (a.length === size && b.length === size) return binaryKernelFast(op, a, b, out);
  const nd = shape.length;
  const n = shape[nd - 1];
  // b = [n] broadcast over the rows of a contiguous a: its last stride is 1, every other 0.
  if (a.length !== size || b.length !== n || n < 64 || bStrides[nd - 1] !== 1) return false;
  for (let r = 0; r < size; r += n) {
    if (!binaryKernelFast(op, a.subarray(r, r + n), b, out.subarray(r, r + n))) return false;
  }
  return true;
}

function randomFill(out: TypedArray, kind: 'uniform' | 'normal' | 'int', rng: Rng, low = 0, high = 1): void {
  if (kind === 'uniform')
    rng.fillUniform(out); // the uniform() stream, in one call
  else if (kind === 'normal') for (let i = 0; i < out.length; i++) out[i] = rng.normal();
  else for (let i = 0; i < out.length; i++) out[i] = rng.int(low, high);
}

const kernels: Kernels = {
  unary: (op, x, out) => (op === 'relu' ? reluKernel(f(x), f(out)) : mapUnary(f(x), f(out), UNARY[op])),
  binary(op, a, aStrides, b, bStrides, out, shape) {
    const x = f(a);
    const y = f(b);
    const o = f(out);
    if (FAST_BINARY.has(op) && fastBinary(op as FastBinaryOp, x, y, bStrides, o, shape)) return;
    if (y.length === 1 && x.length === o.length && scalarBinary(op, x, y[0], o, false)) return;
    if (x.length === 1 && y.length === o.length && scalarBinary(op, y, x[0], o, true)) return;
    if (fastKernelsSelected() && binaryRuns(op, x, aStrides, y, bStrides, o, shape)) return;
    mapBinary(x, aStrides, y, bStrides, o, shape, BINARY[op]);
  },
  where(c, cs, a, as, b, bs, out, shape) {
    // cond of out's size, a and b each of out's size or a single value: no stride arithmetic needed.
    const n = out.length;
    const whole = c.length === n && (a.length === n || a.length === 1) && (b.length === n || b.length === 1);
    if (whole) selectContiguous(f(c), f(a), f(b), f(out));
    else select(f(c), cs, f(a), as, f(b), bs, f(out), shape);
  },
  reduce(op, x, shape, axes, out) {
    if (op === 'sum') {
      if (!(fastKernelsSelected() && sumKeepMiddle(f(x), shape, axes, f(out))))
        sumAxes(f(x), shape, axes, f(out));
    } else extremeAxes(f(x), shape, axes, f(out), op === 'max' ? 1 : -1);
  },
  argReduce: (x, shape, axis, sign, out) => argExtremeAxis(f(x), shape, axis, f(out), sign),
  matmul(a, b, out, batch, m, n, k, transA, transB) {
    for (let i = 0; i < batch; i++) {
      matmulKernelFast(f(a), i * m * k, f(b), i * k * n, f(out), i * m * n, m, n, k, transA, transB, false);
    }
  },
  selu: (x, y) => seluKernelFast(f(x), f(y), null),
  seluGrad: (g, y, dx) => seluGradKernelFast(f(g), f(y), f(dx)),
  maskedAffine: (x, u, k, out, scale) => maskedAffineKernel(f(x), f(u), k, f(out), f(scale)),
  copy: (x, offset, strides, out, shape) => stridedCopy(f(x), offset, strides, f(out), shape),
  addStrided: (src, shape, out, offset, strides) => stridedAddInto(f(src), shape, f(out), offset, strides),
  gather(x, index, out, outer, len, idxLen, inner, scatter, op) {
    const idx = f(index);
    for (let i = 0; i < idx.length; i++) {
      const k = idx[i];
      if (!Number.isInteger(k) || k < 0 || k >= len) {
        throw new RangeError(
          `${op}: index value ${k} is not an integer in [0, ${len}) (at position ${i} of the index)`,
        );
      }
    }
    gatherAxis(f(x), idx, f(out), outer, len, idxLen, inner, scatter);
  },
  concat: (parts, lens, out, outer, inner) => concatAxis(parts as TypedArray[], lens, f(out), outer, inner),
  cast: (x, out) => f(out).set(f(x)),
  fill: (out, value) => {
    f(out).fill(value);
  },
  arange(out, start, step) {
    const o = f(out);
    for (let i = 0; i < o.length; i++) o[i] = start + i * step;
  },
  random: (out, kind, rng, low, high) => randomFill(f(out), kind, rng, low, high),
  batchNorm: (x, w, b, out, mean, v, outer, c, inner, eps) =>
    batchNormKernel(f(x), w && f(w), b && f(b), f(out), f(mean), f(v), outer, c, inner, eps),
  batchNormBackward: (g, x, w, mean, v, dx, dw, db, outer, c, inner, eps) =>
    batchNormBackwardKernel(
      f(g),
      f(x),
      w && f(w),
      f(mean),
      f(v),
      f(dx),
      dw && f(dw),
      db && f(db),
      outer,
      c,
      inner,
      eps,
    ),
  axpy: (alpha, x, y) => axpyKernel(alpha, f(x), f(y)),
  sgdStep: (p, g, buf, h) => sgdStepKernel(f(p), f(g), buf && f(buf), h),
  adamStep: (p, g, m, v, vMax, h) => adamStepKernel(f(p), f(g), f(m), f(v), vMax && f(vMax), h),
  ...cpuConvKernels,
};

/**
 * The CPU device (`'cpu'`), where tensors live unless another device is asked for: typed-array buffers,
 * synchronous reads, the reference and WebAssembly SIMD kernel sets.
 * @example tensor([1, 2]).device === cpu // true
 */
export const cpu: Device = {
  name: 'cpu',
  dtypes: ['float32', 'float64'],
  gcManaged: true,
  syncReads: true,
  allocate(dtype: DType, size: number): DeviceBuffer {
    // Fresh typed arrays are zeroed by the engine; `zeroed: false` saves nothing here.
    return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
  },
  dtypeOf: (buffer) => dtypeOf(f(buffer)),
  upload: (data) => data.slice(),
  read: async (buffer) => f(buffer).slice(),
  readSync: (buffer) => f(buffer),
  destroy() {},
  kernels,
};
