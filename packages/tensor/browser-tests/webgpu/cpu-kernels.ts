/**
 * The CPU reference for the WebGPU kernel tests: the seam's `Kernels` over Float32Arrays, built from the
 * reference loops in src/kernels (and, for the optimizer steps, @selfnorm/nn's formulas). Replaced by the
 * CPU device's own kernels once the backend seam lands.
 */
import type { AdamStep, BinaryOp, DeviceBuffer, Kernels, SgdStep, UnaryOp } from '../../src/device/device';
import { concatAxis, gatherAxis, stridedAddInto, stridedCopy } from '../../src/kernels/copy';
import { mapBinary, mapUnary, select } from '../../src/kernels/elementwise';
import { matmulKernel } from '../../src/kernels/matmul';
import { argExtremeAxis, extremeAxes, sumAxes } from '../../src/kernels/reduce';
import { SELU_ALPHA, SELU_LAMBDA } from '../../src/selu-constants';

const UNARY: Record<UnaryOp, (v: number) => number> = {
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  sign: Math.sign,
  abs: Math.abs,
  tanh: Math.tanh,
  sigmoid: (v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v))),
  softplus: (v) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))),
};

const BINARY: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  maximum: Math.max,
  minimum: Math.min,
  eq: (a, b) => (a === b ? 1 : 0),
  ne: (a, b) => (a !== b ? 1 : 0),
  lt: (a, b) => (a < b ? 1 : 0),
  le: (a, b) => (a <= b ? 1 : 0),
  gt: (a, b) => (a > b ? 1 : 0),
  ge: (a, b) => (a >= b ? 1 : 0),
};

const f = (b: DeviceBuffer) => b as Float32Array;

/** The reference kernels over Float32Arrays (random is not part of the reference: the GPU's generator differs). */
export const cpuKernels: Omit<Kernels, 'random'> = {
  unary: (op, x, out) => mapUnary(f(x), f(out), UNARY[op]),
  binary: (op, a, as, b, bs, out, shape) => mapBinary(f(a), as, f(b), bs, f(out), shape, BINARY[op]),
  where: (c, cs, a, as, b, bs, out, shape) => select(f(c), cs, f(a), as, f(b), bs, f(out), shape),
  reduce: (op, x, shape, axes, out) =>
    op === 'sum'
      ? sumAxes(f(x), shape, axes, f(out))
      : extremeAxes(f(x), shape, axes, f(out), op === 'max' ? 1 : -1),
  argReduce: (x, shape, axis, sign, out) => argExtremeAxis(f(x), shape, axis, f(out), sign),
  matmul: (a, b, out, batch, m, n, k, tA, tB) => {
    for (let i = 0; i < batch; i++)
      matmulKernel(f(a), i * m * k, f(b), i * k * n, f(out), i * m * n, m, n, k, tA, tB, false);
  },
  selu: (x, y) =>
    mapUnary(f(x), f(y), (v) =>
      v > 0 ? SELU_LAMBDA * v : SELU_LAMBDA * SELU_ALPHA * (Math.exp(Math.min(v, 0)) - 1),
    ),
  seluGrad: (g, y, dx) =>
    mapBinary(
      f(g),
      [1],
      f(y),
      [1],
      f(dx),
      [f(dx).length],
      (gv, yv) => gv * (yv > 0 ? SELU_LAMBDA : yv + SELU_LAMBDA * SELU_ALPHA),
    ),
  copy: (x, offset, strides, out, shape) => stridedCopy(f(x), offset, strides, f(out), shape),
  addStrided: (src, shape, out, offset, strides) => stridedAddInto(f(src), shape, f(out), offset, strides),
  gather: (x, index, out, outer, len, idxLen, inner, scatter) =>
    gatherAxis(f(x), f(index), f(out), outer, len, idxLen, inner, scatter),
  concat: (parts, lens, out, outer, inner) => concatAxis(parts.map(f), lens, f(out), outer, inner),
  cast: (x, out) => f(out).set(f(x)),
  fill: (out, value) => f(out).fill(value),
  arange: (out, start, step) => {
    const o = f(out);
    for (let i = 0; i < o.length; i++) o[i] = start + i * step;
  },
  axpy: (alpha, x, y) => {
    const a = Math.fround(alpha);
    const xs = f(x);
    const ys = f(y);
    for (let i = 0; i < ys.length; i++) ys[i] += Math.fround(a * xs[i]);
  },
  sgdStep: (param, grad, momentum, h: SgdStep) => {
    const p = f(param);
    const g = f(grad);
    if (h.momentum === 0 && h.weightDecay === 0) return cpuKernels.axpy(-h.lr, grad, param);
    if (h.momentum === 0 || !momentum) {
      for (let i = 0; i < p.length; i++) p[i] -= h.lr * (g[i] + h.weightDecay * p[i]);
      return;
    }
    const buf = f(momentum);
    for (let i = 0; i < p.length; i++) {
      const gi = g[i] + h.weightDecay * p[i];
      const b = h.firstStep ? gi : h.momentum * buf[i] + (1 - h.dampening) * gi;
      buf[i] = b;
      p[i] -= h.lr * (h.nesterov ? gi + h.momentum * b : b);
    }
  },
  adamStep: (param, grad, mb, vb, vMaxb, h: AdamStep) => {
    const [p, g, m, v] = [f(param), f(grad), f(mb), f(vb)];
    const vMax = vMaxb ? f(vMaxb) : v;
    const stepSize = h.lr / (1 - h.beta1 ** h.step);
    const bias2Sqrt = Math.sqrt(1 - h.beta2 ** h.step);
    const l2 = h.decoupled ? 0 : h.weightDecay;
    const shrink = h.decoupled ? 1 - h.lr * h.weightDecay : 1;
    for (let i = 0; i < p.length; i++) {
      const theta = p[i] * shrink;
      const gi = g[i] + l2 * p[i];
      m[i] = h.beta1 * m[i] + (1 - h.beta1) * gi;
      v[i] = h.beta2 * v[i] + (1 - h.beta2) * gi * gi;
      if (vMaxb && v[i] > vMax[i]) vMax[i] = v[i];
      p[i] = theta - (stepSize * m[i]) / (Math.sqrt(vMax[i]) / bias2Sqrt + h.eps);
    }
  },
};
