/**
 * The WebGPU device's elementwise and data-movement kernels in WGSL: unary and broadcast binary functions,
 * where, fused SELU forward/backward, fill, arange, axpy, strided copy and its adjoint, gather/scatter and
 * concat. One invocation per output element; shapes and strides travel as parameter words (see wgsl.ts).
 */
import type { BinaryOp, UnaryOp } from '../../device/device';
import { type GpuRuntime, Params, type WebGPUBuffer } from './runtime';
import { checkRank, collapse, MAIN_1D, PRELUDE } from './wgsl';

/** WGSL of each unary op, as an expression in `x` (f32). */
const UNARY: Record<UnaryOp, string> = {
  exp: 'exp(x)',
  log: 'log(x)',
  sqrt: 'sqrt(x)',
  sign: 'select(select(select(0.0, -1.0, x < 0.0), 1.0, x > 0.0), x, isNan(x))',
  abs: 'abs(x)',
  // tanh(x) = sign(x)·(1 − e^(−2|x|))/(1 + e^(−2|x|)): no overflow for large |x|.
  tanh: 'tanhStable(x)',
  sigmoid: 'sigmoidStable(x)',
  // max(x, 0) + log1p(e^(−|x|)), as the CPU kernel.
  softplus: 'max(x, 0.0) + log1pf(exp(-abs(x)))',
  // max(x, 0) with NaN kept, as the CPU kernel.
  relu: 'select(max(x, 0.0), x, isNan(x))',
};

const UNARY_HELPERS = /* wgsl */ `
fn tanhStable(x: f32) -> f32 {
  let t = exp(-2.0 * abs(x));
  return select(-1.0, 1.0, x >= 0.0) * (1.0 - t) / (1.0 + t);
}
fn sigmoidStable(x: f32) -> f32 {
  if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); }
  let e = exp(x);
  return e / (1.0 + e);
}
// log(1 + u) with full precision for small u (Goldberg's trick: log(w)·u/(w − 1), w = 1 + u rounded).
fn log1pf(u: f32) -> f32 {
  let w = 1.0 + u;
  if (w == 1.0) { return u; }
  return log(w) * u / (w - 1.0);
}`;

/** WGSL of each binary op, as an expression in `a`, `b` (f32). */
const BINARY: Record<BinaryOp, string> = {
  add: 'a + b',
  sub: 'a - b',
  mul: 'a * b',
  div: 'a / b',
  pow: 'powf(a, b)',
  maximum: 'select(max(a, b), nanValue(), isNan(a) || isNan(b))',
  minimum: 'select(min(a, b), nanValue(), isNan(a) || isNan(b))',
  eq: 'select(0.0, 1.0, a == b)',
  ne: 'select(0.0, 1.0, a != b)',
  lt: 'select(0.0, 1.0, a < b)',
  le: 'select(0.0, 1.0, a <= b)',
  gt: 'select(0.0, 1.0, a > b)',
  ge: 'select(0.0, 1.0, a >= b)',
};

const POW = /* wgsl */ `
// Math.pow's cases: x⁰ = 1, NaN otherwise propagates, a negative base needs an integer exponent, and
// integer exponents up to 64 in magnitude multiply exactly as the CPU does (square-and-multiply).
fn powf(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (isNan(a) || isNan(b)) { return nanValue(); }
  let isInt = floor(b) == b;
  if (isInt && abs(b) <= 64.0) {
    var e = u32(abs(b));
    var base = a;
    var r = 1.0;
    loop {
      if ((e & 1u) == 1u) { r = r * base; }
      e = e >> 1u;
      if (e == 0u) { break; }
      base = base * base;
    }
    return select(r, 1.0 / r, b < 0.0);
  }
  if (a == 0.0) { return select(infValue(), 0.0, b > 0.0); }
  let r = exp2(b * log2(abs(a)));
  if (a > 0.0) { return r; }
  if (!isInt) { return nanValue(); }
  let half = b * 0.5;
  return select(r, -r, floor(half) != half);
}`;

function unarySource(op: UnaryOp): string {
  return `${PRELUDE}${UNARY_HELPERS}
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
${MAIN_1D}
  let x = xs[i];
  out[i] = ${UNARY[op]};
}`;
}

function stridedSource(operands: string[], expr: string, helpers = ''): string {
  const k = operands.length;
  const bindings = operands
    .map((name, j) => `@group(0) @binding(${j + 1}) var<storage, read> in_${name}: array<f32>;`)
    .join('\n');
  const loads = operands
    .map((name, j) => `  let ${name} = in_${name}[stridedOffset(i, rank, 2u, 2u + ${j + 1}u * rank)];`)
    .join('\n');
  return `${PRELUDE}${helpers}
${bindings}
@group(0) @binding(${k + 1}) var<storage, read_write> out: array<f32>;
${MAIN_1D}
  let rank = pU(1u);
${loads}
  out[i] = ${expr};
}`;
}

/** Records a strided elementwise kernel over `shape` with one stride list per operand. */
function strided(
  rt: GpuRuntime,
  label: string,
  code: string,
  inputs: readonly WebGPUBuffer[],
  strides: readonly (readonly number[])[],
  out: WebGPUBuffer,
  shape: readonly number[],
): void {
  const c = collapse(shape, strides);
  checkRank(c.shape.length, label, shape);
  const p = new Params().u(out.length, c.shape.length).u(...c.shape);
  for (const s of c.strides) p.i(...s);
  rt.dispatch(label, code, p, inputs, [out], rt.groups1d(out.length));
}

function contiguous(
  rt: GpuRuntime,
  label: string,
  code: string,
  reads: WebGPUBuffer[],
  out: WebGPUBuffer,
  floats: number[] = [],
): void {
  rt.dispatch(label, code, new Params().u(out.length).f(...floats), reads, [out], rt.groups1d(out.length));
}

const sources = new Map<string, string>();
function cached(key: string, make: () => string): string {
  let s = sources.get(key);
  if (s === undefined) sources.set(key, (s = make()));
  return s;
}

/** out = f(x). */
export function unary(rt: GpuRuntime, op: UnaryOp, x: WebGPUBuffer, out: WebGPUBuffer): void {
  contiguous(
    rt,
    `unary ${op}`,
    cached(`unary ${op}`, () => unarySource(op)),
    [x],
    out,
  );
}

/** out = f(a, b) over `shape` through broadcast strides. */
export function binary(
  rt: GpuRuntime,
  op: BinaryOp,
  a: WebGPUBuffer,
  aStrides: readonly number[],
  b: WebGPUBuffer,
  bStrides: readonly number[],
  out: WebGPUBuffer,
  shape: readonly number[],
): void {
  const code = cached(`binary ${op}`, () => stridedSource(['a', 'b'], BINARY[op], op === 'pow' ? POW : ''));
  strided(rt, `binary ${op}`, code, [a, b], [aStrides, bStrides], out, shape);
}

/** out = cond ≠ 0 ? a : b through broadcast strides. */
export function where(
  rt: GpuRuntime,
  cond: WebGPUBuffer,
  condStrides: readonly number[],
  a: WebGPUBuffer,
  aStrides: readonly number[],
  b: WebGPUBuffer,
  bStrides: readonly number[],
  out: WebGPUBuffer,
  shape: readonly number[],
): void {
  const code = cached('where', () => stridedSource(['c', 'a', 'b'], 'select(b, a, c != 0.0)'));
  strided(rt, 'where', code, [cond, a, b], [condStrides, aStrides, bStrides], out, shape);
}

/** out = x read from `offset` with `strides` over `shape`. */
export function copy(
  rt: GpuRuntime,
  x: WebGPUBuffer,
  offset: number,
  strides: readonly number[],
  out: WebGPUBuffer,
  shape: readonly number[],
): void {
  const code = cached(
    'copy',
    () =>
      `${PRELUDE}
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
${MAIN_1D}
  let rank = pU(1u);
  out[i] = xs[pI(2u) + stridedOffset(i, rank, 3u, 3u + rank)];
}`,
  );
  const c = collapse(shape, [strides]);
  checkRank(c.shape.length, 'copy', shape);
  const p = new Params()
    .u(out.length, c.shape.length)
    .i(offset)
    .u(...c.shape)
    .i(...c.strides[0]);
  rt.dispatch('copy', code, p, [x], [out], rt.groups1d(out.length));
}

/** out[offset + Σ idx·strides] += src[idx]; the positions must be distinct (a slice's), as no two invocations may add to one element. */
export function addStrided(
  rt: GpuRuntime,
  src: WebGPUBuffer,
  shape: readonly number[],
  out: WebGPUBuffer,
  offset: number,
  strides: readonly number[],
): void {
  shape.forEach((s, d) => {
    if (s > 1 && strides[d] === 0) {
      throw new RangeError(
        `webgpu addStrided: stride 0 along axis ${d} of length ${s} (shape [${shape.join(', ')}], strides [${strides.join(', ')}]) adds twice into one element; the WebGPU device takes distinct positions only (a slice's)`,
      );
    }
  });
  const code = cached(
    'addStrided',
    () =>
      `${PRELUDE}
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
${MAIN_1D}
  let rank = pU(1u);
  let p = pI(2u) + stridedOffset(i, rank, 3u, 3u + rank);
  out[p] = out[p] + src[i];
}`,
  );
  const c = collapse(shape, [strides]);
  checkRank(c.shape.length, 'addStrided', shape);
  const p = new Params()
    .u(src.length, c.shape.length)
    .i(offset)
    .u(...c.shape)
    .i(...c.strides[0]);
  rt.dispatch('addStrided', code, p, [src], [out], rt.groups1d(src.length));
}

/** y = SELU(x). */
export function selu(rt: GpuRuntime, x: WebGPUBuffer, y: WebGPUBuffer): void {
  const code = cached(
    'selu',
    () =>
      `${PRELUDE}
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
${MAIN_1D}
  let x = xs[i];
  // NOTE: exp of the unused branch is clamped (min(x, 0)), so a large x gives no inf·0; x = 0 takes the negative branch.
  out[i] = select(f32(SELU_LAMBDA * SELU_ALPHA) * expm1f(min(x, 0.0)), f32(SELU_LAMBDA) * x, x > 0.0);
}`,
  );
  contiguous(rt, 'selu', code, [x], y);
}

/** dx = g·SELU'(x) from the output y. */
export function seluGrad(rt: GpuRuntime, g: WebGPUBuffer, y: WebGPUBuffer, dx: WebGPUBuffer): void {
  const code = cached(
    'seluGrad',
    () =>
      `${PRELUDE}
@group(0) @binding(1) var<storage, read> gs: array<f32>;
@group(0) @binding(2) var<storage, read> ys: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
${MAIN_1D}
  let y = ys[i];
  out[i] = gs[i] * select(y + f32(SELU_LAMBDA * SELU_ALPHA), f32(SELU_LAMBDA), y > 0.0);
}`,
  );
  contiguous(rt, 'seluGrad', code, [g, y], dx);
}

/** Kernels.maskedAffine: where u < threshold, scale = a and out = x·a + b; elsewhere 0 and x·0 + c. */
export function maskedAffine(
  rt: GpuRuntime,
  x: WebGPUBuffer,
  u: WebGPUBuffer,
  k: { threshold: number; a: number; b: number; c: number },
  out: WebGPUBuffer,
  scale: WebGPUBuffer,
): void {
  const code = cached(
    'maskedAffine',
    () =>
      `${PRELUDE}
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read> us: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
@group(0) @binding(4) var<storage, read_write> scale: array<f32>;
${MAIN_1D}
  let keep = us[i] < pF(1u);
  let s = select(0.0, pF(2u), keep);
  scale[i] = s;
  out[i] = xs[i] * s + select(pF(4u), pF(3u), keep);
}`,
  );
  const p = new Params().u(out.length).f(k.threshold, k.a, k.b, k.c);
  rt.dispatch('maskedAffine', code, p, [x, u], [out, scale], rt.groups1d(out.length));
}

/** out[i] = value. */
export function fill(rt: GpuRuntime, out: WebGPUBuffer, value: number): void {
  const code = cached(
    'fill',
    () => `${PRELUDE}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
${MAIN_1D}
  out[i] = pF(1u);
}`,
  );
  contiguous(rt, 'fill', code, [], out, [value]);
}

/** out[i] = start + i·step. */
export function arange(rt: GpuRuntime, out: WebGPUBuffer, start: number, step: number): void {
  const code = cached(
    'arange',
    () => `${PRELUDE}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
${MAIN_1D}
  out[i] = pF(1u) + f32(i) * pF(2u);
}`,
  );
  contiguous(rt, 'arange', code, [], out, [start, step]);
}

/** y ← y + α·x. */
export function axpy(rt: GpuRuntime, alpha: number, x: WebGPUBuffer, y: WebGPUBuffer): void {
  const code = cached(
    'axpy',
    () => `${PRELUDE}
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
${MAIN_1D}
  let prod = pF(1u) * xs[i];
  out[i] = out[i] + prod;
}`,
  );
  contiguous(rt, 'axpy', code, [x], y, [alpha]);
}
