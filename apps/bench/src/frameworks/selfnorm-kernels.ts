/**
 * selfnorm's float32 kernels called directly on typed arrays, without the tensor API (no allocation, no
 * graph): what the kernels alone reach. Reported beside the API figures, never as the ratio's selfnorm.
 */
import { cpu } from '@selfnorm/tensor';
import type { Framework } from './types';

// The CPU device's kernels, through its public `kernels` table (the seam every primitive calls).
const { matmul, selu, seluGrad } = cpu.kernels;

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
};
