/**
 * The fast convolution kernels: im2col onto the SIMD matmul (`matmulKernelFast`, split across the worker
 * threads for large products). Per sample and group, the patches become a [I·kH·kW, outH·outW] matrix `col`:
 *   forward   out_g  = W_g · col                (m = O/groups, n = outH·outW, k = I·kH·kW)
 *   input     dcol   = W_gᵀ · gy_g, then col2im  (the transposed convolution)
 *   weight    dW_g  += gy_g · colᵀ               (accumulated over the batch)
 * A 1×1 kernel with stride 1 and no padding skips im2col (col is the input itself). Float64 runs the same
 * path on the reference matmul. Chosen over a direct kernel by measurement (docs/BENCHMARKS.md, W4).
 * Source: Chellapilla, Puri & Simard, "High Performance Convolutional Neural Networks for Document
 * Processing", 2006.
 */
import type { Conv2dGeometry } from '../../device/device';
import type { TypedArray } from '../../dtype';
import { matmulKernelFast } from '../../kernels/matmul-fast';

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

/** The output range [lo, hi) whose tap o·stride + off lands inside [0, size). */
function validRange(off: number, stride: number, size: number, count: number): [number, number] {
  const lo = Math.min(count, Math.max(0, Math.ceil(-off / stride)));
  const hi = Math.max(lo, Math.min(count, Math.ceil((size - off) / stride)));
  return [lo, hi];
}

/** Whether col would equal the input planes themselves. */
function pointwise(g: Conv2dGeometry): boolean {
  return g.kH === 1 && g.kW === 1 && g.strideH === 1 && g.strideW === 1 && g.padH === 0 && g.padW === 0;
}

/**
 * col[(c·kH + kh)·kW + kw, oh·outW + ow] = x[xOff + (c·inH + ih)·inW + iw] for the I channels from xOff,
 * 0 outside the input. With `add`, the adjoint (col2im): x[…] += col[…].
 */
function im2col(
  x: TypedArray,
  xOff: number,
  col: TypedArray,
  I: number,
  g: Conv2dGeometry,
  add: boolean,
): void {
  const P = g.outH * g.outW;
  let row = 0;
  for (let c = 0; c < I; c++) {
    const plane = xOff + c * g.inH * g.inW;
    for (let kh = 0; kh < g.kH; kh++) {
      const offH = kh * g.dilationH - g.padH;
      const [ohLo, ohHi] = validRange(offH, g.strideH, g.inH, g.outH);
      for (let kw = 0; kw < g.kW; kw++, row++) {
        const offW = kw * g.dilationW - g.padW;
        const [owLo, owHi] = validRange(offW, g.strideW, g.inW, g.outW);
        const r = row * P;
        if (!add) {
          col.fill(0, r, r + ohLo * g.outW);
          col.fill(0, r + ohHi * g.outW, r + P);
        }
        for (let oh = ohLo; oh < ohHi; oh++) {
          const src = plane + (oh * g.strideH + offH) * g.inW + offW;
          const dst = r + oh * g.outW;
          if (!add) {
            col.fill(0, dst, dst + owLo);
            col.fill(0, dst + owHi, dst + g.outW);
          }
          if (g.strideW === 1) {
            if (add) for (let ow = owLo; ow < owHi; ow++) x[src + ow] += col[dst + ow];
            else col.set(x.subarray(src + owLo, src + owHi), dst + owLo);
          } else if (add) {
            for (let ow = owLo; ow < owHi; ow++) x[src + ow * g.strideW] += col[dst + ow];
          } else {
            for (let ow = owLo; ow < owHi; ow++) col[dst + ow] = x[src + ow * g.strideW];
          }
        }
      }
    }
  }
}

/** Shapes of one group's products. */
function dims(g: Conv2dGeometry) {
  const I = g.inChannels / g.groups;
  const Og = g.outChannels / g.groups;
  return { I, Og, K: I * g.kH * g.kW, P: g.outH * g.outW, plane: g.inH * g.inW };
}

/** out = conv2d(x, w) by im2col + matmul. */
export function conv2dIm2col(x: TypedArray, w: TypedArray, out: TypedArray, g: Conv2dGeometry): void {
  const { I, Og, K, P, plane } = dims(g);
  const direct = pointwise(g);
  const col = direct ? x : columns(x, K * P);
  for (let n = 0; n < g.batch; n++) {
    for (let gi = 0; gi < g.groups; gi++) {
      const xOff = (n * g.inChannels + gi * I) * plane;
      if (!direct) im2col(x, xOff, col, I, g, false);
      const outOff = (n * g.outChannels + gi * Og) * P;
      matmulKernelFast(w, gi * Og * K, col, direct ? xOff : 0, out, outOff, Og, P, K, false, false, false);
    }
  }
}

/** dx = conv2dᵀ(gy, w): W_gᵀ · gy_g per sample and group, scattered back by col2im. */
export function conv2dBackInputIm2col(
  gy: TypedArray,
  w: TypedArray,
  dx: TypedArray,
  g: Conv2dGeometry,
): void {
  const { I, Og, K, P, plane } = dims(g);
  if (pointwise(g)) {
    for (let n = 0; n < g.batch; n++) {
      for (let gi = 0; gi < g.groups; gi++) {
        const gOff = (n * g.outChannels + gi * Og) * P;
        const xOff = (n * g.inChannels + gi * I) * plane;
        matmulKernelFast(w, gi * Og * K, gy, gOff, dx, xOff, K, P, Og, true, false, false);
      }
    }
    return;
  }
  dx.fill(0);
  const col = columns(gy, K * P);
  for (let n = 0; n < g.batch; n++) {
    for (let gi = 0; gi < g.groups; gi++) {
      const gOff = (n * g.outChannels + gi * Og) * P;
      matmulKernelFast(w, gi * Og * K, gy, gOff, col, 0, K, P, Og, true, false, false);
      im2col(dx, (n * g.inChannels + gi * I) * plane, col, I, g, true);
    }
  }
}

/** dw = Σ_n gy_g · col_gᵀ, accumulated over the batch. */
export function conv2dBackWeightIm2col(
  x: TypedArray,
  gy: TypedArray,
  dw: TypedArray,
  g: Conv2dGeometry,
): void {
  const { I, Og, K, P, plane } = dims(g);
  const direct = pointwise(g);
  const col = direct ? x : columns(x, K * P);
  if (g.batch === 0) dw.fill(0);
  for (let n = 0; n < g.batch; n++) {
    for (let gi = 0; gi < g.groups; gi++) {
      const xOff = (n * g.inChannels + gi * I) * plane;
      if (!direct) im2col(x, xOff, col, I, g, false);
      const gOff = (n * g.outChannels + gi * Og) * P;
      matmulKernelFast(gy, gOff, col, direct ? xOff : 0, dw, gi * Og * K, Og, K, P, false, true, n > 0);
    }
  }
}
