/**
 * The pooling kernels (max with its argmax, average and its adjoint): loops over the N·C planes of a
 * contiguous NCHW array, sums in doubles. PyTorch's window and divisor rules (aten/src/ATen/native/
 * AveragePool2d.cpp, DilatedMaxPool2d.cpp). Shared by every CPU kernel set: there is no faster form to test.
 */

import type { Pool2dGeometry } from '../../../device/device';
import type { TypedArray } from '../../../dtype';

/** out = window maxima, argmax = the flat in-plane index of the first maximal element (NaN wins). */
export function maxPool2dKernel(x: TypedArray, out: TypedArray, argmax: TypedArray, g: Pool2dGeometry): void {
  const plane = g.inH * g.inW;
  let p = 0;
  for (let q = 0; q < g.planes; q++) {
    const base = q * plane;
    for (let oh = 0; oh < g.outH; oh++) {
      const h0 = oh * g.strideH - g.padH;
      for (let ow = 0; ow < g.outW; ow++) {
        const w0 = ow * g.strideW - g.padW;
        let best = Number.NEGATIVE_INFINITY;
        let at = -1;
        for (let kh = 0; kh < g.kH; kh++) {
          const ih = h0 + kh * g.dilationH;
          if (ih < 0 || ih >= g.inH) continue;
          for (let kw = 0; kw < g.kW; kw++) {
            const iw = w0 + kw * g.dilationW;
            if (iw < 0 || iw >= g.inW) continue;
            const v = x[base + ih * g.inW + iw];
            if (at < 0 || v > best || Number.isNaN(v)) {
              best = v;
              at = ih * g.inW + iw;
              if (Number.isNaN(v)) break;
            }
          }
          if (Number.isNaN(best)) break;
        }
        out[p] = best;
        argmax[p++] = at;
      }
    }
  }
}

/** The in-bounds window [h0, h1) × [w0, w1) of output (oh, ow) and its divisor. */
function avgWindow(g: Pool2dGeometry, oh: number, ow: number, countIncludePad: boolean) {
  let h0 = oh * g.strideH - g.padH;
  let w0 = ow * g.strideW - g.padW;
  let h1 = Math.min(h0 + g.kH, g.inH + g.padH);
  let w1 = Math.min(w0 + g.kW, g.inW + g.padW);
  const padded = (h1 - h0) * (w1 - w0);
  h0 = Math.max(h0, 0);
  w0 = Math.max(w0, 0);
  h1 = Math.min(h1, g.inH);
  w1 = Math.min(w1, g.inW);
  return { h0, h1, w0, w1, divisor: countIncludePad ? padded : (h1 - h0) * (w1 - w0) };
}

/** out = window means (PyTorch's divisor: the window clipped to the padded input, or the in-bounds count). */
export function avgPool2dKernel(
  x: TypedArray,
  out: TypedArray,
  g: Pool2dGeometry,
  countIncludePad: boolean,
): void {
  const plane = g.inH * g.inW;
  let p = 0;
  for (let q = 0; q < g.planes; q++) {
    const base = q * plane;
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++) {
        const { h0, h1, w0, w1, divisor } = avgWindow(g, oh, ow, countIncludePad);
        let s = 0;
        for (let ih = h0; ih < h1; ih++) for (let iw = w0; iw < w1; iw++) s += x[base + ih * g.inW + iw];
        out[p++] = s / divisor;
      }
    }
  }
}

/** dx = avgPool2dᵀ(gy): each window's gradient divided by its divisor and added over the window. */
export function avgPool2dBackwardKernel(
  gy: TypedArray,
  dx: TypedArray,
  g: Pool2dGeometry,
  countIncludePad: boolean,
): void {
  const plane = g.inH * g.inW;
  const acc = new Float64Array(dx.length);
  let p = 0;
  for (let q = 0; q < g.planes; q++) {
    const base = q * plane;
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++) {
        const { h0, h1, w0, w1, divisor } = avgWindow(g, oh, ow, countIncludePad);
        const v = gy[p++] / divisor;
        for (let ih = h0; ih < h1; ih++) for (let iw = w0; iw < w1; iw++) acc[base + ih * g.inW + iw] += v;
      }
    }
  }
  for (let i = 0; i < acc.length; i++) dx[i] = acc[i];
}
