/** adaptiveAvgPool2d (PyTorch's F.adaptive_avg_pool2d), composed from avgPool2d or two matmuls. */
import { checkTensor } from '../arg-checks';
import { tensor } from '../creation';
import { avgPool2d } from '../primitives/pool';
import { formatShape } from '../shape';
import type { Tensor } from '../tensor';
import { spatial } from './conv';
import { matmul } from './matmul';

/** The [out, size] averaging matrix: row i averages [⌊i·size/out⌋, ⌈(i+1)·size/out⌉). */
function averagingMatrix(out: number, size: number, transposed: boolean, like: Tensor): Tensor {
  const m = new Float64Array(out * size);
  for (let i = 0; i < out; i++) {
    const start = Math.floor((i * size) / out);
    const end = Math.ceil(((i + 1) * size) / out);
    for (let j = start; j < end; j++) m[transposed ? j * out + i : i * size + j] = 1 / (end - start);
  }
  return tensor(m, { shape: transposed ? [size, out] : [out, size], dtype: like.dtype });
}

/**
 * Average pooling to a fixed output size [outH, outW] (a number for both): output cell (i, j) averages rows
 * [⌊i·H/outH⌋, ⌈(i+1)·H/outH⌉) and the same for columns, PyTorch's windows. When the sizes divide, this is
 * avgPool2d with kernel = stride = input/output; otherwise out = A_H · x · A_Wᵀ with averaging matrices.
 * Differentiable to any order. Source: https://pytorch.org/docs/stable/generated/torch.nn.AdaptiveAvgPool2d.html
 * @example adaptiveAvgPool2d(features, 1) // global average pooling: [N, C, H, W] → [N, C, 1, 1]
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: number | readonly number[]): Tensor {
  checkTensor(x, 'adaptiveAvgPool2d', 'x');
  if (x.ndim !== 3 && x.ndim !== 4) {
    throw new RangeError(
      `adaptiveAvgPool2d: x must be [N, C, H, W] or [C, H, W], got shape ${formatShape(x.shape)}`,
    );
  }
  const [oh, ow] = spatial(outputSize, 2, 'adaptiveAvgPool2d', 'outputSize', 1);
  const H = x.shape[x.ndim - 2];
  const W = x.shape[x.ndim - 1];
  if (H % oh === 0 && W % ow === 0) return avgPool2d(x, [H / oh, W / ow]);
  return matmul(matmul(averagingMatrix(oh, H, false, x), x), averagingMatrix(ow, W, true, x));
}
