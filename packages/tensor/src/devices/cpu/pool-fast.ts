/**
 * The fast set's max pooling: the 2×2, stride-2 window without padding or dilation (the pooling of every
 * small CNN) unrolled, without the reference loop's bounds tests; any other geometry takes the reference
 * kernel. Same result to the bit, and the same argmax (the first maximal element in row-major window
 * order; the first NaN wins). Measured in docs/BENCHMARKS.md (W4).
 */
import type { Pool2dGeometry } from '../../device/device';
import type { TypedArray } from '../../dtype';
import { maxPool2dKernel } from './reference/pool';

/** Whether `g` is the plain 2×2 / stride 2 pooling with every window inside the input. */
function isPlain2x2(g: Pool2dGeometry): boolean {
  return (
    g.kH === 2 &&
    g.kW === 2 &&
    g.strideH === 2 &&
    g.strideW === 2 &&
    g.padH === 0 &&
    g.padW === 0 &&
    g.dilationH === 1 &&
    g.dilationW === 1 &&
    2 * g.outH <= g.inH &&
    2 * g.outW <= g.inW
  );
}

/** out = window maxima and argmax = their flat in-plane indices, as `maxPool2dKernel`. */
export function maxPool2dFast(x: TypedArray, out: TypedArray, argmax: TypedArray, g: Pool2dGeometry): void {
  if (!isPlain2x2(g)) {
    maxPool2dKernel(x, out, argmax, g);
    return;
  }
  const { inH, inW, outH, outW } = g;
  const plane = inH * inW;
  let p = 0;
  for (let q = 0; q < g.planes; q++) {
    const base = q * plane;
    for (let oh = 0; oh < outH; oh++) {
      const top = 2 * oh * inW;
      for (let ow = 0; ow < outW; ow++, p++) {
        // The window's taps in row-major order: i, i + 1, i + inW, i + inW + 1 (in-plane indices).
        const i = top + 2 * ow;
        let at = i;
        let best = x[base + i];
        if (!Number.isNaN(best)) {
          const v1 = x[base + i + 1];
          if (v1 > best || Number.isNaN(v1)) {
            best = v1;
            at = i + 1;
          }
        }
        if (!Number.isNaN(best)) {
          const v2 = x[base + i + inW];
          if (v2 > best || Number.isNaN(v2)) {
            best = v2;
            at = i + inW;
          }
        }
        if (!Number.isNaN(best)) {
          const v3 = x[base + i + inW + 1];
          if (v3 > best || Number.isNaN(v3)) {
            best = v3;
            at = i + inW + 1;
          }
        }
        out[p] = best;
        argmax[p] = at;
      }
    }
  }
}
