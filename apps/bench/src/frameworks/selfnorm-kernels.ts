/**
 * selfnorm's float32 kernels called directly on typed arrays, without the tensor API (no allocation, no
 * graph): what the kernels alone reach. Reported beside the API figures, never as the ratio's selfnorm.
 */
// NOTE: deep imports: the kernels are internal to @selfnorm/tensor.
import { matmulKernelFast } from '../../../../packages/tensor/src/kernels/matmul-fast';
import { seluGradKernelFast, seluKernelFast } from '../../../../packages/tensor/src/kernels/wasm/selu-fast';
import type { Framework } from './types';

export const selfnormKernels: Framework = {
  matmul(a, b, n, transA, transB) {
    const out = new Float32Array(n * n);
    return { run: () => matmulKernelFast(a, 0, b, 0, out, 0, n, n, n, transA, transB, false), dispose() {} };
  },

  selu(x, g) {
    const y = new Float32Array(x.length);
    const dx = new Float32Array(x.length);
    return {
      run() {
        seluKernelFast(x, y, null);
        seluGradKernelFast(g, y, dx);
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
