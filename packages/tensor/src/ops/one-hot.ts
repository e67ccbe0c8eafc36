import { checkTensor } from '../arg-checks';
import { arange } from '../creation';
import { eq } from '../primitives/compare';
import { reshape } from '../primitives/view';
import { checkSize } from '../shape';
import type { Tensor } from '../tensor';

/**
 * One-hot encoding: indices of shape S (integer values in [0, numClasses)) → a 0/1 tensor of shape
 * [...S, numClasses] in the indices' dtype. Not differentiable. @example oneHot(labels, 10)
 */
export function oneHot(indices: Tensor, numClasses: number): Tensor {
  checkTensor(indices, 'oneHot', 'indices');
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new RangeError(`oneHot: numClasses must be a positive integer, got ${numClasses}`);
  }
  checkSize([...indices.shape, numClasses], 'oneHot');
  // Checked where the values can be read without waiting (the CPU); elsewhere an index out of range gives a
  // row of zeros.
  const values = indices.device.syncReads ? indices.storage : [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0 || v >= numClasses) {
      throw new RangeError(`oneHot: index ${v} (element ${i}) is not an integer in [0, ${numClasses})`);
    }
  }
  return eq(
    reshape(indices.detach(), [...indices.shape, 1]),
    arange(numClasses, undefined, 1, { dtype: indices.dtype, device: indices.device }),
  );
}
