/** gather along an axis (torch.gather) and its adjoint scatterAdd. */
import { checkTensor } from '../arg-checks';
import { record } from '../autograd/node';
import { gatherAxis } from '../kernels/copy';
import { checkShape, formatShape, normalizeAxis } from '../shape';
import type { Tensor } from '../tensor';
import { empty } from './util';

function layout(x: Tensor, axis: number, index: Tensor, op: string) {
  checkTensor(x, op, 'x');
  checkTensor(index, op, 'index');
  const a = normalizeAxis(axis, x.ndim, op);
  if (index.ndim !== x.ndim || index.shape.some((s, d) => d !== a && s !== x.shape[d])) {
    throw new RangeError(
      `${op}: index shape ${formatShape(index.shape)} must equal the input shape ${formatShape(x.shape)} ` +
        `except along axis ${a}`,
    );
  }
  const len = x.shape[a];
  for (let i = 0; i < index.size; i++) {
    const k = index.storage[i];
    if (!Number.isInteger(k) || k < 0 || k >= len) {
      throw new RangeError(
        `${op}: index value ${k} is not an integer in [0, ${len}) (axis ${a} of size ${len})`,
      );
    }
  }
  let outer = 1;
  for (let d = 0; d < a; d++) outer *= x.shape[d];
  let inner = 1;
  for (let d = a + 1; d < x.ndim; d++) inner *= x.shape[d];
  return { a, len, outer, inner, idxLen: index.shape[a] };
}

/**
 * out[…, i, …] = x[…, index[…, i, …], …] along `axis`, like `torch.gather`; `index` holds integer values
 * and has x's shape except along `axis`. Gradient: scatter-add into x's shape.
 * @example gather(logProbs, 1, targets.reshape([-1, 1])) // pick each row's target column
 */
export function gather(x: Tensor, axis: number, index: Tensor): Tensor {
  const l = layout(x, axis, index, 'gather');
  const out = empty(index.shape, x.dtype);
  gatherAxis(x.storage, index.storage, out.storage, l.outer, l.len, l.idxLen, l.inner, false);
  return record('gather', out, [x], (g) => [scatterAdd(x.shape, l.a, index, g)], [index]);
}

/** Zeros of `shape` with `src` added at `index` along `axis` (the adjoint of `gather`). */
export function scatterAdd(shape: readonly number[], axis: number, index: Tensor, src: Tensor): Tensor {
  checkTensor(src, 'scatterAdd', 'src');
  const out = empty(checkShape(shape, 'scatterAdd'), src.dtype);
  const l = layout(out, axis, index, 'scatterAdd');
  if (src.shape.length !== index.shape.length || src.shape.some((s, d) => s !== index.shape[d])) {
    throw new RangeError(
      `scatterAdd: src shape ${formatShape(src.shape)} must equal the index shape ${formatShape(index.shape)}`,
    );
  }
  gatherAxis(src.storage, index.storage, out.storage, l.outer, l.len, l.idxLen, l.inner, true);
  return record('scatterAdd', out, [src], (g) => [gather(g, l.a, index)], [index]);
}
