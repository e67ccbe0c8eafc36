/** Data-movement kernels: strided copies for permute/expand/slice, gather and scatter-add, block copies. */
import type { TypedArray } from '../../../dtype';

/**
 * out (contiguous, shape `outShape`) = x read with `strides` starting at `offset`. Covers permute (permuted
 * strides), expand (stride 0 along broadcast axes) and slice (offset + strides × step).
 */
export function stridedCopy(
  x: TypedArray,
  offset: number,
  strides: readonly number[],
  out: TypedArray,
  outShape: readonly number[],
): void {
  const n = out.length;
  const nd = outShape.length;
  if (n === 0) return;
  if (nd === 0) {
    out[0] = x[offset];
    return;
  }
  const last = outShape[nd - 1];
  const ls = strides[nd - 1];
  const idx = new Array<number>(nd).fill(0);
  let base = offset;
  for (let o = 0; o < n; o += last) {
    let p = base;
    for (let j = 0; j < last; j++, p += ls) out[o + j] = x[p];
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      base += strides[d];
      if (idx[d] < outShape[d]) break;
      base -= strides[d] * outShape[d];
      idx[d] = 0;
    }
  }
}

/** The inverse of `stridedCopy` for slices: adds `src` (shape `srcShape`) into `out` at `offset` with `strides`. */
export function stridedAddInto(
  src: TypedArray,
  srcShape: readonly number[],
  out: TypedArray,
  offset: number,
  strides: readonly number[],
): void {
  const n = src.length;
  const nd = srcShape.length;
  if (n === 0) return;
  if (nd === 0) {
    out[offset] += src[0];
    return;
  }
  const idx = new Array<number>(nd).fill(0);
  let p = offset;
  for (let i = 0; i < n; i++) {
    out[p] += src[i];
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      p += strides[d];
      if (idx[d] < srcShape[d]) break;
      p -= strides[d] * srcShape[d];
      idx[d] = 0;
    }
  }
}

/**
 * Gather along an axis viewed as [outer, len, inner]: out[o, i, r] = x[o, index[o, i, r], r], where the
 * index has shape [outer, idxLen, inner]. With `scatter`, the reverse: out[o, index, r] += x[o, i, r].
 */
export function gatherAxis(
  x: TypedArray,
  index: TypedArray,
  out: TypedArray,
  outer: number,
  len: number,
  idxLen: number,
  inner: number,
  scatter: boolean,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < idxLen; i++) {
      for (let r = 0; r < inner; r++) {
        const q = (o * idxLen + i) * inner + r;
        const k = index[q];
        const p = (o * len + k) * inner + r;
        if (scatter) out[p] += x[q];
        else out[q] = x[p];
      }
    }
  }
}

/** Copies blocks: the concatenation along an axis viewed as [outer, len_i, inner] of each part. */
export function concatAxis(
  parts: readonly TypedArray[],
  lens: readonly number[],
  out: TypedArray,
  outer: number,
  inner: number,
): void {
  const total = lens.reduce((s, l) => s + l, 0);
  let start = 0;
  parts.forEach((part, pi) => {
    const block = lens[pi] * inner;
    for (let o = 0; o < outer; o++) {
      const src = part.subarray(o * block, (o + 1) * block);
      out.set(src, (o * total + start) * inner);
    }
    start += lens[pi];
  });
}
