/**
 * Elementwise kernels: plain loops over contiguous typed arrays. They know nothing of tensors or autograd.
 * A binary kernel reads its operands through broadcast strides (0 along broadcast dimensions).
 */
import type { TypedArray } from '../../../dtype';

export type UnaryFn = (x: number) => number;
export type BinaryFn = (a: number, b: number) => number;

/** out[i] = f(x[i]). */
export function mapUnary(x: TypedArray, out: TypedArray, f: UnaryFn): void {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = f(x[i]);
}

/** `Kernels.maskedAffine` (see there): one pass; on float32 the product is rounded before the sum. */
export function maskedAffineKernel(
  x: TypedArray,
  u: TypedArray,
  k: { threshold: number; a: number; b: number; c: number },
  out: TypedArray,
  scale: TypedArray,
): void {
  const { threshold, a, b, c } = k;
  const n = out.length;
  if (out instanceof Float32Array) {
    for (let i = 0; i < n; i++) {
      const keep = u[i] < threshold;
      const s = keep ? a : 0;
      scale[i] = s;
      out[i] = Math.fround(x[i] * s) + (keep ? b : c);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const keep = u[i] < threshold;
    const s = keep ? a : 0;
    scale[i] = s;
    out[i] = x[i] * s + (keep ? b : c);
  }
}

/**
 * out[i] = max(x[i], 0), NaN kept. On float32 branchless on the bits (a sign-bit mask, NaN excepted):
 * `Math.max` branches on the sign, which random data mispredicts half the time (5.2 → 1.3 ns per element).
 */
export function reluKernel(x: TypedArray, out: TypedArray): void {
  const n = out.length;
  if (x instanceof Float32Array && out instanceof Float32Array) {
    const xi = new Int32Array(x.buffer, x.byteOffset, n);
    const oi = new Int32Array(out.buffer, out.byteOffset, n);
    for (let i = 0; i < n; i++) {
      const v = xi[i];
      const nan = (0x7f800000 - (v & 0x7fffffff)) >> 31; // −1 for NaN (exponent all ones, mantissa ≠ 0)
      oi[i] = v & (~(v >> 31) | nan); // negative (and −0): all bits cleared, i.e. +0
    }
    return;
  }
  for (let i = 0; i < n; i++) out[i] = Math.max(x[i], 0);
}

/**
 * out = f(a, b) over the broadcast shape `outShape`; `aStrides`/`bStrides` are the operands' broadcast
 * strides. Fast paths: equal shapes, a scalar operand, and a row vector broadcast over the last axis.
 */
export function mapBinary(
  a: TypedArray,
  aStrides: readonly number[],
  b: TypedArray,
  bStrides: readonly number[],
  out: TypedArray,
  outShape: readonly number[],
  f: BinaryFn,
): void {
  const n = out.length;
  if (n === 0) return;
  if (a.length === n && b.length === n) {
    for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]);
    return;
  }
  if (b.length === 1) {
    const bv = b[0];
    if (a.length === n) {
      for (let i = 0; i < n; i++) out[i] = f(a[i], bv);
      return;
    }
  }
  if (a.length === 1 && b.length === n) {
    const av = a[0];
    for (let i = 0; i < n; i++) out[i] = f(av, b[i]);
    return;
  }
  const nd = outShape.length;
  const last = outShape[nd - 1];
  const as = aStrides[nd - 1];
  const bs = bStrides[nd - 1];
  const idx = new Array<number>(nd).fill(0);
  let ai = 0;
  let bi = 0;
  for (let o = 0; o < n; o += last) {
    let ap = ai;
    let bp = bi;
    for (let j = 0; j < last; j++, ap += as, bp += bs) out[o + j] = f(a[ap], b[bp]);
    // advance the outer index (all dims but the last)
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      ai += aStrides[d];
      bi += bStrides[d];
      if (idx[d] < outShape[d]) break;
      ai -= aStrides[d] * outShape[d];
      bi -= bStrides[d] * outShape[d];
      idx[d] = 0;
    }
  }
}

/** out[i] = cond[i] != 0 ? a[i] : b[i], all three read through broadcast strides. */
export function select(
  cond: TypedArray,
  cStrides: readonly number[],
  a: TypedArray,
  aStrides: readonly number[],
  b: TypedArray,
  bStrides: readonly number[],
  out: TypedArray,
  outShape: readonly number[],
): void {
  const n = out.length;
  const nd = outShape.length;
  if (nd === 0) {
    if (n === 1) out[0] = cond[0] !== 0 ? a[0] : b[0];
    return;
  }
  const idx = new Array<number>(nd).fill(0);
  let ci = 0;
  let ai = 0;
  let bi = 0;
  for (let o = 0; o < n; o++) {
    out[o] = cond[ci] !== 0 ? a[ai] : b[bi];
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      ci += cStrides[d];
      ai += aStrides[d];
      bi += bStrides[d];
      if (idx[d] < outShape[d]) break;
      ci -= cStrides[d] * outShape[d];
      ai -= aStrides[d] * outShape[d];
      bi -= bStrides[d] * outShape[d];
      idx[d] = 0;
    }
  }
}

/**
 * out[i] = a[i] op s (or s op a[i] with `scalarFirst`) for a contiguous a of out's length and one scalar:
 * tight loops without a function call per element, for the ops that have them. Returns false for the others
 * (the caller takes mapBinary). Values are those of mapBinary exactly (double arithmetic, one rounding on
 * store, which for + − × ÷ of float32 operands equals float32 arithmetic).
 */
export function scalarBinary(
  op: string,
  a: TypedArray,
  s: number,
  out: TypedArray,
  scalarFirst: boolean,
): boolean {
  const n = out.length;
  switch (op) {
    case 'add':
      for (let i = 0; i < n; i++) out[i] = a[i] + s;
      return true;
    case 'mul':
      for (let i = 0; i < n; i++) out[i] = a[i] * s;
      return true;
    case 'sub':
      if (scalarFirst) for (let i = 0; i < n; i++) out[i] = s - a[i];
      else for (let i = 0; i < n; i++) out[i] = a[i] - s;
      return true;
    case 'div':
      if (scalarFirst) for (let i = 0; i < n; i++) out[i] = s / a[i];
      else for (let i = 0; i < n; i++) out[i] = a[i] / s;
      return true;
    case 'eq':
      for (let i = 0; i < n; i++) out[i] = +(a[i] === s);
      return true;
    case 'ne':
      for (let i = 0; i < n; i++) out[i] = +(a[i] !== s);
      return true;
    case 'lt': // a < s, or s < a
      if (scalarFirst) for (let i = 0; i < n; i++) out[i] = +(s < a[i]);
      else for (let i = 0; i < n; i++) out[i] = +(a[i] < s);
      return true;
    case 'gt':
      if (scalarFirst) for (let i = 0; i < n; i++) out[i] = +(s > a[i]);
      else for (let i = 0; i < n; i++) out[i] = +(a[i] > s);
      return true;
    case 'le':
      if (scalarFirst) for (let i = 0; i < n; i++) out[i] = +(s <= a[i]);
      else for (let i = 0; i < n; i++) out[i] = +(a[i] <= s);
      return true;
    case 'ge':
      if (scalarFirst) for (let i = 0; i < n; i++) out[i] = +(s >= a[i]);
      else for (let i = 0; i < n; i++) out[i] = +(a[i] >= s);
      return true;
    default:
      return false;
  }
}

/**
 * `select` for a contiguous cond of out's length and operands that are each contiguous of that length or a
 * single value (a scalar broadcast): one pass without stride arithmetic.
 */
export function selectContiguous(cond: TypedArray, a: TypedArray, b: TypedArray, out: TypedArray): void {
  const n = out.length;
  if (
    cond instanceof Float32Array &&
    out instanceof Float32Array &&
    a instanceof Float32Array &&
    b instanceof Float32Array
  ) {
    selectBits(new Int32Array(cond.buffer, cond.byteOffset, n), words(a), words(b), words(out), n);
    return;
  }
  const av = a[0];
  const bv = b[0];
  if (a.length === 1 && b.length === 1) for (let i = 0; i < n; i++) out[i] = cond[i] !== 0 ? av : bv;
  else if (a.length === 1) for (let i = 0; i < n; i++) out[i] = cond[i] !== 0 ? av : b[i];
  else if (b.length === 1) for (let i = 0; i < n; i++) out[i] = cond[i] !== 0 ? a[i] : bv;
  else for (let i = 0; i < n; i++) out[i] = cond[i] !== 0 ? a[i] : b[i];
}

const words = (t: Float32Array) => new Int32Array(t.buffer, t.byteOffset, t.length);

/**
 * The float32 select on the values' bits, without a branch per element (a data-dependent branch, as in ReLU,
 * mispredicts half the time): mask = −(cond ≠ ±0), out = (a & mask) | (b & ~mask). cond's bits are nonzero
 * exactly when cond ≠ +0 and ≠ −0 (NaN counts as true, as in `select`).
 */
function selectBits(cond: Int32Array, a: Int32Array, b: Int32Array, out: Int32Array, n: number): void {
  // For c = cond & 0x7fffffff (sign dropped, so −0 reads as 0): (c | −c) >> 31 is −1 for c ≠ 0, else 0.
  if (a.length === n && b.length === n) {
    for (let i = 0; i < n; i++) {
      const c = cond[i] & 0x7fffffff;
      const m = (c | -c) >> 31;
      out[i] = (a[i] & m) | (b[i] & ~m);
    }
  } else if (a.length === n) {
    const bv = b[0];
    for (let i = 0; i < n; i++) {
      const c = cond[i] & 0x7fffffff;
      const m = (c | -c) >> 31;
      out[i] = (a[i] & m) | (bv & ~m);
    }
  } else if (b.length === n) {
    const av = a[0];
    for (let i = 0; i < n; i++) {
      const c = cond[i] & 0x7fffffff;
      const m = (c | -c) >> 31;
      out[i] = (av & m) | (b[i] & ~m);
    }
  } else {
    const [av, bv] = [a[0], b[0]];
    for (let i = 0; i < n; i++) {
      const c = cond[i] & 0x7fffffff;
      const m = (c | -c) >> 31;
      out[i] = (av & m) | (bv & ~m);
    }
  }
}
