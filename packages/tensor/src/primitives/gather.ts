/** gather along an axis (torch.gather) and its adjoint scatterAdd. */
import { checkTensor } from '../arg-checks';
import { record } from '../autograd/node';
import { checkShape, formatShape, normalizeAxis } from '../shape';
import type { Tensor } from '../tensor';
import { deviceOf, empty } from './util';

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
  const device = deviceOf('gather', x, index);
  const out = empty(index.shape, x.dtype, device, false);
  device.kernels.gather(
    x.buffer,
    index.buffer,
    out.buffer,
    l.outer,
    l.len,
    l.idxLen,
    l.inner,
    false,
    'gather',
  );
  return record('gather', out, [x], (g) => [scatterAdd(x.shape, l.a, index, g)], [index]);
}

/** Zeros of `shape` with `src` added at `index` along `axis` (the adjoint of `gather`). */
export function scatterAdd(shape: readonly number[], axis: number, index: Tensor, src: Tensor): Tensor {
  checkTensor(src, 'scatterAdd', 'src');
  const device = deviceOf('scatterAdd', src, index);
  const out = empty(checkShape(shape, 'scatterAdd'), src.dtype, device);
  const l = layout(out, axis, index, 'scatterAdd');
  if (src.shape.length !== index.shape.length || src.shape.some((s, d) => s !== index.shape[d])) {
    throw new RangeError(
      `scatterAdd: src shape ${formatShape(src.shape)} must equal the index shape ${formatShape(index.shape)}`,
    );
  }
  device.kernels.gather(
    src.buffer,
    index.buffer,
    out.buffer,
    l.outer,
    l.len,
    l.idxLen,
    l.inner,
    true,
    'scatterAdd',
  );
  return record('scatterAdd', out, [src], (g) => [gather(g, l.a, index)], [index]);
}
