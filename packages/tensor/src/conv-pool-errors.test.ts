/** conv/pool/pad errors name the op and the shapes; the fast (im2col) kernels agree with the direct loops at size. */
import { describe, expect, it } from 'vitest';
import * as T from './index';
import { expectClose } from './testing';

const rng = new T.Rng(7);
const r = (shape: number[], dtype: T.DType = 'float32') => T.randn(shape, { rng, dtype });

describe('conv and pooling errors', () => {
  it('conv2d: channels not divisible by groups, wrong channel count, kernel larger than the padded input', () => {
    expect(() => T.conv2d(r([1, 4, 5, 5]), r([3, 2, 3, 3]), null, { groups: 2 })).toThrow(
      'conv2d: out channels 3 are not divisible by groups 2 (input [1, 4, 5, 5], weight [3, 2, 3, 3])',
    );
    expect(() => T.conv2d(r([1, 3, 5, 5]), r([4, 2, 3, 3]))).toThrow(
      'conv2d: the input has 3 channels but the weight expects weight.shape[1]·groups = 2·1 = 2',
    );
    expect(() => T.conv2d(r([1, 1, 2, 2]), r([1, 1, 3, 3]))).toThrow(
      'conv2d: the (dilated) kernel 3×3 is larger than the padded input 2×2 (input [1, 1, 2, 2], weight [1, 1, 3, 3])',
    );
    expect(() => T.conv1d(r([1, 1, 4]), r([1, 1, 3]), null, { dilation: 2 })).toThrow(
      'conv1d: the (dilated) kernel 5 is larger than the padded input 4',
    );
    expect(() => T.conv2d(r([1, 1, 5, 5]), r([1, 1, 3, 3]), null, { padding: 'same', stride: 2 })).toThrow(
      "conv2d: padding 'same' needs stride 1",
    );
    expect(() => T.conv2d(r([1, 5, 5]), r([1, 1, 3, 3]))).toThrow(
      'conv2d: x must be 4-D [N, C, H, W], got shape [1, 5, 5]',
    );
    expect(() => T.conv2d(r([1, 1, 5, 5]), r([2, 1, 3, 3]), r([3]))).toThrow(
      'conv2d: bias must have shape [2] (one per output channel), got [3]',
    );
    expect(() => T.conv2d(r([1, 1, 5, 5]), r([2, 1, 3, 3]), null, { stride: 0 })).toThrow(
      'conv2d: stride must be an integer ≥ 1 or an array of 2 of them, got the number 0',
    );
  });
  it('pooling: padding over half the kernel, kernel larger than the input', () => {
    expect(() => T.maxPool2d(r([1, 1, 4, 4]), 2, { padding: 2 })).toThrow(
      'maxPool2d: padding 2 must be at most half the kernel size 2 (x [1, 1, 4, 4])',
    );
    expect(() => T.avgPool2d(r([1, 1, 2, 2]), 3)).toThrow(
      'avgPool2d: the (dilated) kernel 3×3 is larger than the padded input 2×2 (x [1, 1, 2, 2])',
    );
    expect(() => T.maxPool2d(r([4, 4]), 2)).toThrow(
      'maxPool2d: x must be [N, C, H, W] or [C, H, W], got shape [4, 4]',
    );
  });
  it('pad: reflect pads must be smaller than the axis', () => {
    expect(() => T.pad(r([1, 1, 3, 3]), [3, 0], { mode: 'reflect' })).toThrow(
      'pad: reflect pads must be in [0, 2] (less than the axis size), got 3, 0 for axis 3 of x [1, 1, 3, 3]',
    );
    expect(() => T.pad(r([3]), [1, 1, 1, 1])).toThrow('pad: pads must be an even number (at most 2·1)');
  });
});

describe('fast conv kernels against the direct reference at size (float32)', () => {
  for (const [label, xs, ws, o] of [
    ['3×3 padding 1', [3, 8, 13, 11], [16, 8, 3, 3], { padding: 1 }],
    [
      '5×5 stride 2 dilation 2 groups 4',
      [2, 8, 17, 15],
      [12, 2, 5, 5],
      { stride: 2, dilation: 2, groups: 4 },
    ],
    ['1×1', [2, 16, 9, 7], [8, 16, 1, 1], {}],
  ] as Array<[string, number[], number[], T.ConvOptions]>) {
    it(label, () => {
      const x = r(xs).requireGrad();
      const w = r(ws).requireGrad();
      const g = r([xs[0], ws[0], ...T.conv2d(x, w, null, o).shape.slice(2)]);
      const run = () => {
        x.grad = null;
        w.grad = null;
        const y = T.conv2d(x, w, null, o);
        y.backward(g);
        return [y, x.grad!, w.grad!] as const;
      };
      const fast = run();
      const previous = T.useFastKernels(false);
      try {
        const ref = run();
        for (let i = 0; i < 3; i++)
          expectClose(fast[i], ref[i].toArray() as number[][], { atol: 2e-4, rtol: 1e-4 });
      } finally {
        T.useFastKernels(previous);
      }
    });
  }
});
