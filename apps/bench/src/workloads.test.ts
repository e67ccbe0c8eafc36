import { describe, expect, it } from 'vitest';
import { CNN_SPEC, CONV_SPEC, cnnData, convFlops, FROM_MS, permuted, transposed } from './workloads';

describe('permuted', () => {
  it('is the transpose for a matrix and the identity for the identity permutation', () => {
    const a = new Float32Array([1, 2, 3, 4, 5, 6]);
    expect(Array.from(permuted(a, [2, 3], [1, 0]))).toEqual(Array.from(transposed(a, 2, 3)));
    expect(Array.from(permuted(a, [1, 2, 3], [0, 1, 2]))).toEqual(Array.from(a));
  });
  it('moves NCHW to NHWC: out[n, h, w, c] = in[n, c, h, w]', () => {
    const shape = [2, 3, 4, 5];
    const a = Float32Array.from({ length: 120 }, (_, i) => i);
    const out = permuted(a, shape, [0, 2, 3, 1]);
    const at = (n: number, c: number, h: number, w: number) => ((n * 3 + c) * 4 + h) * 5 + w;
    expect(out[((1 * 4 + 2) * 5 + 3) * 3 + 1]).toBe(at(1, 1, 2, 3));
    expect(out[((0 * 4 + 3) * 5 + 4) * 3 + 2]).toBe(at(0, 2, 3, 4));
  });
});

describe('W4 inputs', () => {
  it('are the CNN of pnpm train --model cnn with LeCun-normal weights (std 1/√fanIn)', () => {
    const d = cnnData(CNN_SPEC);
    const [c1, c2] = CNN_SPEC.channels;
    expect(d.x).toHaveLength(CNN_SPEC.batch * 784);
    expect(d.conv.map((w) => w.length)).toEqual([c1 * 9, c2 * c1 * 9]);
    expect(d.linear.map((w) => w.length)).toEqual([CNN_SPEC.hidden * c2 * 49, 10 * CNN_SPEC.hidden]);
    const std = (w: Float32Array) => Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    expect(std(d.conv[1])).toBeCloseTo(1 / Math.sqrt(c1 * 9), 2);
    expect(std(d.linear[0])).toBeCloseTo(1 / Math.sqrt(c2 * 49), 2);
    expect(Array.from(cnnData(CNN_SPEC).conv[0])).toEqual(Array.from(d.conv[0]));
  });
  it("count conv2d's flops as three convolutions of 2·N·O·C·k²·H·W", () => {
    expect(convFlops(CONV_SPEC)).toBe(2 * 128 * 64 * 32 * 9 * 28 * 28);
    expect(FROM_MS.convGflops(CONV_SPEC, 1000)).toBeCloseTo((3 * convFlops(CONV_SPEC)) / 1e9, 9);
  });
});
