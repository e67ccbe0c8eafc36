/**
 * selfnorm's float32 kernels called directly on typed arrays, without the tensor API (no allocation, no
 * graph): what the kernels alone reach. Reported beside the API figures, never as the ratio's selfnorm.
 */
import { cpu } from '@selfnorm/tensor';
import type { Framework } from './types';

// The CPU device's kernels, through its public `kernels` table (the seam every primitive calls).
const { matmul, selu, seluGrad, conv2d, conv2dBackInput, conv2dBackWeight } = cpu.kernels;

export const selfnormKernels: Framework = {
  matmul(a, b, n, transA, transB) {
    const out = new Float32Array(n * n);
    return { run: () => matmul(a, b, out, 1, n, n, n, transA, transB), dispose() {} };
  },

  selu(x, g) {
    const y = new Float32Array(x.length);
    const dx = new Float32Array(x.length);
    return {
      run() {
        selu(x, y);
        seluGrad(g, y, dx);
      },
      dispose() {},
    };
  },

  trainStep() {
    throw new RangeError(
      'selfnorm-kernels: a training step needs the tensor API; run W2 on selfnorm instead',
    );
  },

  cnnStep() {
    throw new RangeError('selfnorm-kernels: a CNN step needs the tensor API; run W4 on selfnorm instead');
  },

  conv(spec, x, w, g) {
    const { batch, inChannels, outChannels, size, kernel } = spec;
    const geometry = {
      batch,
      inChannels,
      outChannels,
      groups: 1,
      inH: size,
      inW: size,
      outH: size,
      outW: size,
      kH: kernel,
      kW: kernel,
      strideH: 1,
      strideW: 1,
      padH: 1,
      padW: 1,
      dilationH: 1,
      dilationW: 1,
    };
    const y = new Float32Array(g.length);
    const dx = new Float32Array(x.length);
    const dw = new Float32Array(w.length);
    return {
      run() {
        conv2d(x, w, y, geometry);
        conv2dBackInput(g, w, dx, geometry);
        conv2dBackWeight(x, g, dw, geometry);
      },
      dispose() {},
    };
  },
};
