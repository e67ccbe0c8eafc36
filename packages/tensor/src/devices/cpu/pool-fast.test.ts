import { describe, expect, it } from 'vitest';
import type { Pool2dGeometry } from '../../device/device';
import { Rng } from '../../random';
import { maxPool2dFast } from './pool-fast';
import { maxPool2dKernel } from './reference/pool';

function geometry(planes: number, inH: number, inW: number, k = 2, stride = 2, pad = 0): Pool2dGeometry {
  return {
    planes,
    inH,
    inW,
    outH: Math.floor((inH + 2 * pad - k) / stride) + 1,
    outW: Math.floor((inW + 2 * pad - k) / stride) + 1,
    kH: k,
    kW: k,
    strideH: stride,
    strideW: stride,
    padH: pad,
    padW: pad,
    dilationH: 1,
    dilationW: 1,
  };
}

/** Values with ties (a coarse grid), NaNs at some taps, ±∞. */
function awkward(rng: Rng, size: number): Float32Array {
  const x = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const u = rng.uniform();
    x[i] =
      u < 0.05
        ? Number.NaN
        : u < 0.08
          ? Number.NEGATIVE_INFINITY
          : u < 0.1
            ? Number.POSITIVE_INFINITY
            : Math.round(rng.normal() * 2);
  }
  return x;
}

function both(x: Float32Array, g: Pool2dGeometry) {
  const n = g.planes * g.outH * g.outW;
  const [out, arg, outRef, argRef] = [0, 0, 0, 0].map(() => new Float32Array(n));
  maxPool2dFast(x, out, arg, g);
  maxPool2dKernel(x, outRef, argRef, g);
  return {
    out: Array.from(out),
    arg: Array.from(arg),
    outRef: Array.from(outRef),
    argRef: Array.from(argRef),
  };
}

describe('maxPool2dFast', () => {
  it('is the reference kernel to the bit on 2×2 / stride 2, ties and NaN included (first maximal element; first NaN)', () => {
    const rng = new Rng(5);
    for (const [planes, h, w] of [
      [3, 8, 8],
      [2, 7, 9],
      [1, 2, 2],
    ]) {
      const g = geometry(planes, h, w);
      const r = both(awkward(rng, planes * h * w), g);
      expect(r.out).toEqual(r.outRef);
      expect(r.arg).toEqual(r.argRef);
    }
  });

  it('takes a window whose first tap is NaN, and a tie, as the reference does', () => {
    const g = geometry(1, 2, 4);
    const r = both(new Float32Array([Number.NaN, 5, 3, 3, 1, 2, 3, 3]), g);
    expect(r.out).toEqual([Number.NaN, 3]);
    expect(r.arg).toEqual([0, 2]);
    expect(r.arg).toEqual(r.argRef);
  });

  it('leaves other geometries (3×3, padding) to the reference kernel', () => {
    const rng = new Rng(6);
    for (const g of [geometry(2, 7, 7, 3, 2, 1), geometry(1, 6, 6, 2, 1)]) {
      const r = both(awkward(rng, g.planes * g.inH * g.inW), g);
      expect(r.out).toEqual(r.outRef);
      expect(r.arg).toEqual(r.argRef);
    }
  });
});
