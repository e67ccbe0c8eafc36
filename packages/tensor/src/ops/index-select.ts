/** indexSelect (torch.index_select): whole slices picked along one axis, composed from expand + gather. */

import { checkTensor, describeValue } from '../arg-checks';
import { tensor } from '../creation';
import type { Device } from '../device/device';
import { gather } from '../primitives/gather';
import { expand, reshape } from '../primitives/view';
import { formatShape, normalizeAxis } from '../shape';
import { Tensor } from '../tensor';

/** The indices as a 1-D float64 tensor of checked integers, or a TypeError/RangeError naming the bad one. */
function checkIndices(indices: unknown, len: number, axis: number, device: Device): Tensor {
  let idx: Tensor;
  if (indices instanceof Tensor) {
    if (indices.ndim > 1) {
      throw new RangeError(
        `indexSelect: indices must be 0-D or 1-D, got shape ${formatShape(indices.shape)} ` +
          '(flatten it first and reshape the result)',
      );
    }
    idx = indices;
  } else if (Array.isArray(indices) && indices.every((v) => typeof v === 'number')) {
    // On x's device; float64 where it has it (exact for any index), else float32 (exact below 2²⁴).
    const dtype = device.dtypes.includes('float64') ? 'float64' : 'float32';
    idx = tensor(Float64Array.from(indices), { shape: [indices.length], dtype, device });
  } else {
    throw new TypeError(
      `indexSelect: indices must be a Tensor or an array of integers, got ${describeValue(indices)}`,
    );
  }
  // Checked here where the values can be read without waiting (the CPU; `.storage`, not the watched `.data`);
  // on another device the gather kernel checks what it can.
  const values = idx.device.syncReads ? idx.storage : [];
  for (let i = 0; i < values.length; i++) {
    const k = values[i];
    if (!Number.isInteger(k) || k < 0 || k >= len) {
      throw new RangeError(
        `indexSelect: indices[${i}] is ${k}, not an integer in [0, ${len}) (axis ${axis} has size ${len})`,
      );
    }
  }
  return idx;
}

/**
 * Picks whole slices of `x` along `axis`: out has x's shape with that axis replaced by the number of indices, and
 * out[…, i, …] = x[…, indices[i], …] (PyTorch's `torch.index_select`; a 0-D index gives a size-1 axis, as there).
 * `indices` is a 0-D or 1-D tensor of integer values (in any float dtype) or an array of integers, each in
 * [0, x.shape[axis]); repeats are allowed. Differentiable in `x` to any order (the gradient scatter-adds, so a
 * repeated index accumulates); the indices get no gradient.
 * Composition: out = gather(x, axis, expand(reshape(indices, [1, …, k, …, 1]), out.shape)).
 * Source: https://pytorch.org/docs/stable/generated/torch.index_select.html
 * @example indexSelect(weight, 0, tokenIds) // embedding lookup: [vocab, dim] → [tokens, dim]
 */
export function indexSelect(x: Tensor, axis: number, indices: Tensor | readonly number[]): Tensor {
  checkTensor(x, 'indexSelect', 'x');
  if (x.ndim === 0) {
    throw new RangeError('indexSelect: x must have at least one axis, got a 0-D tensor');
  }
  const a = normalizeAxis(axis, x.ndim, 'indexSelect');
  const idx = checkIndices(indices, x.shape[a], a, x.device);
  const k = idx.size;
  const lineShape = x.shape.map((_, d) => (d === a ? k : 1));
  const outShape = x.shape.map((s, d) => (d === a ? k : s));
  const index = expand(reshape(idx.detach(), lineShape), outShape);
  return gather(x, a, index);
}
