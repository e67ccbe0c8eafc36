/**
 * The reference convolution kernels: direct loops over NCHW/OIHW typed arrays, every sum in doubles. They are
 * what the fast im2col kernels (../conv-im2col.ts) are tested against; they know nothing of tensors.
 */

import type { Conv2dGeometry } from '../../../device/device';
import type { TypedArray } from '../../../dtype';

/** Calls `f(ih, iw, xOff, wOff)`-style loops share this: the input row/column of a kernel tap, or −1 outside. */
function tap(o: number, stride: number, pad: number, k: number, dil: number, size: number): number {
  const i = o * stride - pad + k * dil;
  return i >= 0 && i < size ? i : -1;
}

/** out = conv2d(x, w) (no bias), direct loops. */
export function conv2dReference(x: TypedArray, w: TypedArray, out: TypedArray, g: Conv2dGeometry): void {
  const I = g.inChannels / g.groups;
  const Og = g.outChannels / g.groups;
  let p = 0;
  for (let n = 0; n < g.batch; n++) {
    for (let o = 0; o < g.outChannels; o++) {
      const c0 = Math.floor(o / Og) * I;
      for (let oh = 0; oh < g.outH; oh++) {
        for (let ow = 0; ow < g.outW; ow++) {
          let s = 0;
          for (let c = 0; c < I; c++) {
            const xPlane = (n * g.inChannels + c0 + c) * g.inH;
            const wPlane = (o * I + c) * g.kH;
            for (let kh = 0; kh < g.kH; kh++) {
              const ih = tap(oh, g.strideH, g.padH, kh, g.dilationH, g.inH);
              if (ih < 0) continue;
              for (let kw = 0; kw < g.kW; kw++) {
                const iw = tap(ow, g.strideW, g.padW, kw, g.dilationW, g.inW);
                if (iw < 0) continue;
                s += x[(xPlane + ih) * g.inW + iw] * w[(wPlane + kh) * g.kW + kw];
              }
            }
          }
          out[p++] = s;
        }
      }
    }
  }
}

/** dx = conv2dᵀ(gy, w): every output gradient spread back over its window, accumulated in doubles. */
export function conv2dBackInputReference(
  gy: TypedArray,
  w: TypedArray,
  dx: TypedArray,
  g: Conv2dGeometry,
): void {
  const I = g.inChannels / g.groups;
  const Og = g.outChannels / g.groups;
  const acc = new Float64Array(dx.length);
  let p = 0;
  for (let n = 0; n < g.batch; n++) {
    for (let o = 0; o < g.outChannels; o++) {
      const c0 = Math.floor(o / Og) * I;
      for (let oh = 0; oh < g.outH; oh++) {
        for (let ow = 0; ow < g.outW; ow++) {
          const v = gy[p++];
          for (let c = 0; c < I; c++) {
            const xPlane = (n * g.inChannels + c0 + c) * g.inH;
            const wPlane = (o * I + c) * g.kH;
            for (let kh = 0; kh < g.kH; kh++) {
              const ih = tap(oh, g.strideH, g.padH, kh, g.dilationH, g.inH);
              if (ih < 0) continue;
              for (let kw = 0; kw < g.kW; kw++) {
                const iw = tap(ow, g.strideW, g.padW, kw, g.dilationW, g.inW);
                if (iw >= 0) acc[(xPlane + ih) * g.inW + iw] += v * w[(wPlane + kh) * g.kW + kw];
              }
            }
          }
        }
      }
    }
  }
  for (let i = 0; i < acc.length; i++) dx[i] = acc[i];
}

/** dw[o,c,kh,kw] = Σ_{n,oh,ow} gy[n,o,oh,ow] · x[n, g·I + c, ih, iw], one double sum per weight. */
export function conv2dBackWeightReference(
  x: TypedArray,
  gy: TypedArray,
  dw: TypedArray,
  g: Conv2dGeometry,
): void {
  const I = g.inChannels / g.groups;
  const Og = g.outChannels / g.groups;
  let p = 0;
  for (let o = 0; o < g.outChannels; o++) {
    const c0 = Math.floor(o / Og) * I;
    for (let c = 0; c < I; c++) {
      for (let kh = 0; kh < g.kH; kh++) {
        for (let kw = 0; kw < g.kW; kw++) {
          let s = 0;
          for (let n = 0; n < g.batch; n++) {
            const xPlane = (n * g.inChannels + c0 + c) * g.inH;
            const gPlane = (n * g.outChannels + o) * g.outH;
            for (let oh = 0; oh < g.outH; oh++) {
              const ih = tap(oh, g.strideH, g.padH, kh, g.dilationH, g.inH);
              if (ih < 0) continue;
              for (let ow = 0; ow < g.outW; ow++) {
                const iw = tap(ow, g.strideW, g.padW, kw, g.dilationW, g.inW);
                if (iw >= 0) s += gy[(gPlane + oh) * g.outW + ow] * x[(xPlane + ih) * g.inW + iw];
              }
            }
          }
          dw[p++] = s;
        }
      }
    }
  }
}
