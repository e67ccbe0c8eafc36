/**
 * The fast convolution kernels: im2col onto the SIMD matmul (`matmulKernelFast`, split across the worker
 * threads for large products). Per sample and group, the patches become a [I·kH·kW, outH·outW] matrix `col`:
 *   forward   out_g  = W_g · col                (m = O/groups, n = outH·outW, k = I·kH·kW)
 *   input     dcol   = W_gᵀ · gy_g, then col2im  (the transposed convolution)
 *   weight    dW_g  += gy_g · colᵀ               (accumulated over the batch)
 * Samples are batched side by side in one product (about CHUNK_COLUMNS columns) so that small feature maps
 * still make large products. Float64 runs the same path on the reference matmul. Chosen over a direct kernel by measurement (docs/BENCHMARKS.md, W4).
 * Source: Chellapilla, Puri & Simard, "High Performance Convolutional Neural Networks for Document
 * Processing", 2006.
 */
import type { Conv2dGeometry } from '../../device/device';
import type { TypedArray } from '../../dtype';
import { matmulKernelFast } from './wasm/matmul';

let scratch32 = new Float32Array(0);
let scratch64 = new Float64Array(0);

/** A reusable column buffer of at least `size` elements of x's dtype (kernels never run concurrently). */
function columns(like: TypedArray, size: number): TypedArray {
  if (like instanceof Float32Array) {
    if (scratch32.length < size) scratch32 = new Float32Array(size);
    return scratch32;
  }
  if (scratch64.length < size) scratch64 = new Float64Array(size);
  return scratch64;
}

/** The first output index whose tap o·stride + off lands at or after 0 (clamped to [0, count]). */
function firstValid(off: number, stride: number, count: number): number {
  return Math.min(count, Math.max(0, Math.ceil(-off / stride)));
}

/** One past the last output index whose tap o·stride + off lands before `size` (at least `lo`). */
function endValid(off: number, stride: number, size: number, count: number, lo: number): number {
  return Math.max(lo, Math.min(count, Math.ceil((size - off) / stride)));
}

/**
 * col[colOff + ((c·kH + kh)·kW + kw)·ld + oh·outW + ow] = x[xOff + (c·inH + ih)·inW + iw] for the I channels
 * from xOff, 0 outside the input (`ld` is col's row length: several samples share a row, side by side). With
 * `add`, the adjoint (col2im): x[…] += col[…]. Plain index loops: rows are short (a feature map's width), so
 * `subarray` copies and `fill` calls cost more than they move (measured, docs/BENCHMARKS.md W4).
 */
function im2col(
  x: TypedArray,
  xOff: number,
  col: TypedArray,
  colOff: number,
  ld: number,
  I: number,
  g: Conv2dGeometry,
  add: boolean,
): void {
  const { outH, outW, inH, inW, kH, kW, strideH, strideW, dilationH, dilationW, padH, padW } = g;
  let row = 0;
  for (let c = 0; c < I; c++) {
    const plane = xOff + c * inH * inW;
    for (let kh = 0; kh < kH; kh++) {
      const offH = kh * dilationH - padH;
      const ohLo = firstValid(offH, strideH, outH);
      const ohHi = endValid(offH, strideH, inH, outH, ohLo);
      for (let kw = 0; kw < kW; kw++, row++) {
        const offW = kw * dilationW - padW;
        const owLo = firstValid(offW, strideW, outW);
        const owHi = endValid(offW, strideW, inW, outW, owLo);
        const r = colOff + row * ld;
        if (add) {
          for (let oh = ohLo; oh < ohHi; oh++) {
            const src = plane + (oh * strideH + offH) * inW + offW;
            const dst = r + oh * outW;
            for (let ow = owLo; ow < owHi; ow++) x[src + ow * strideW] += col[dst + ow];
          }
          continue;
        }
        for (let i = r, e = r + ohLo * outW; i < e; i++) col[i] = 0;
        for (let oh = ohLo; oh < ohHi; oh++) {
          const src = plane + (oh * strideH + offH) * inW + offW;
          const dst = r + oh * outW;
          for (let ow = 0; ow < owLo; ow++) col[dst + ow] = 0;
          if (strideW === 1) for (let ow = owLo; ow < owHi; ow++) col[dst + ow] = x[src + ow];
          else for (let ow = owLo; ow < owHi; ow++) col[dst + ow] = x[src + ow * strideW];
          for (let ow = owHi; ow < outW; ow++) col[dst + ow] = 0;
        }
        for (let i = r + ohHi * outW, e = r + outH * outW; i < e; i++) col[i] = 0;
      }
    }
  }
}

/** Columns per product: samples are batched side by side until a row holds about this many (measured). */
const CHUNK_COLUMNS = 4096;

/** Shapes of one group's products, and how many samples share one. */
function dims(g: Conv2dGeometry) {
  const I = g.inChannels / g.groups;
  const Og = g.outChannels / g.groups;
  const P = g.outH * g.outW;
  const chunk = Math.max(1, Math.min(g.batch, Math.floor(CHUNK_COLUMNS / P)));
  return { I, Og, K: I * g.kH * g.kW, P, plane: g.inH * g.inW, chunk };
}

let scratchOut32 = new Float32Array(0);
let scratchOut64 = new Float64Array(0);

/** A second reusable buffer ([Og, B·P] products), separate from `columns`. */
function products(like: TypedArray, size: number): TypedArray {
  if (like instanceof Float32Array) {
    if (scratchOut32.length < size) scratchOut32 = new Float32Array(size);
    return scratchOut32;
  }
  if (scratchOut64.length < size) scratchOut64 = new Float64Array(size);
  return scratchOut64;
}

/** Runs at least this long are moved by `set` (a memcpy); shorter ones by a loop (measured, W4). */
const LONG_ROW = 256;

/**
 * Moves between the batch layout y[n, g·Og + o, p] (samples n0..n0+B) and the product layout t[o, b·P + p]:
 * `toProducts` gathers y into t, otherwise t is scattered into y.
 */
function shuffle(
  y: TypedArray,
  t: TypedArray,
  n0: number,
  B: number,
  gi: number,
  d: ReturnType<typeof dims>,
  O: number,
  toProducts: boolean,
): void {
  const { Og, P } = d;
  for (let o = 0; o < Og; o++) {
    for (let b = 0; b < B; b++) {
      const yOff = ((n0 + b) * O + gi * Og + o) * P;
      const tOff = o * B * P + b * P;
      if (P >= LONG_ROW) {
        if (toProducts) t.set(y.subarray(yOff, yOff + P), tOff);
        else y.set(t.subarray(tOff, tOff + P), yOff);
      } else if (toProducts) for (let p = 0; p < P; p++) t[tOff + p] = y[yOff + p];
      else for (let p = 0; p < P; p++) y[yOff + p] = t[tOff + p];
    }
  }
}

/** out = conv2d(x, w) by im2col + matmul, B samples per product. */
export function conv2dIm2col(x: TypedArray, w: TypedArray, out: TypedArray, g: Conv2dGeometry): void {
  const d = dims(g);
  const { I, Og, K, P, plane, chunk } = d;
  const col = columns(x, K * P * chunk);
  const t = products(x, Og * P * chunk);
  for (let n0 = 0; n0 < g.batch; n0 += chunk) {
    const B = Math.min(chunk, g.batch - n0);
    for (let gi = 0; gi < g.groups; gi++) {
      for (let b = 0; b < B; b++)
        im2col(x, ((n0 + b) * g.inChannels + gi * I) * plane, col, b * P, B * P, I, g, false);
      matmulKernelFast(w, gi * Og * K, col, 0, t, 0, Og, B * P, K, false, false, false);
      shuffle(out, t, n0, B, gi, d, g.outChannels, false);
    }
  }
}

/** dx = conv2dᵀ(gy, w): W_gᵀ · gy_g per chunk of samples and group, scattered back by col2im. */
export function conv2dBackInputIm2col(
  gy: TypedArray,
  w: TypedArray,
  dx: TypedArray,
  g: Conv2dGeometry,
): void {
  const d = dims(g);
  const { I, Og, K, P, plane, chunk } = d;
  dx.fill(0);
  const col = columns(gy, K * P * chunk);
  const t = products(gy, Og * P * chunk);
  for (let n0 = 0; n0 < g.batch; n0 += chunk) {
    const B = Math.min(chunk, g.batch - n0);
    for (let gi = 0; gi < g.groups; gi++) {
      shuffle(gy, t, n0, B, gi, d, g.outChannels, true);
      matmulKernelFast(w, gi * Og * K, t, 0, col, 0, K, B * P, Og, true, false, false);
      for (let b = 0; b < B; b++)
        im2col(dx, ((n0 + b) * g.inChannels + gi * I) * plane, col, b * P, B * P, I, g, true);
    }
  }
}

/** dw = Σ_n gy_g · col_gᵀ, accumulated over chunks of the batch. */
export function conv2dBackWeightIm2col(
  x: TypedArray,
  gy: TypedArray,
  dw: TypedArray,
  g: Conv2dGeometry,
): void {
  const d = dims(g);
  const { I, Og, K, P, plane, chunk } = d;
  const col = columns(x, K * P * chunk);
  const t = products(x, Og * P * chunk);
  if (g.batch === 0) dw.fill(0);
  for (let n0 = 0; n0 < g.batch; n0 += chunk) {
    const B = Math.min(chunk, g.batch - n0);
    for (let gi = 0; gi < g.groups; gi++) {
      for (let b = 0; b < B; b++)
        im2col(x, ((n0 + b) * g.inChannels + gi * I) * plane, col, b * P, B * P, I, g, false);
      shuffle(gy, t, n0, B, gi, d, g.outChannels, true);
      matmulKernelFast(t, 0, col, 0, dw, gi * Og * K, Og, K, B * P, false, true, n0 > 0);
    }
  }
}
