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
