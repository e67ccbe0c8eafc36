import { checkTensor, describeValue } from '../arg-checks';
import { record } from '../autograd/node';
import { promote } from '../dtype';
import { formatShape, normalizeAxis } from '../shape';
import type { Tensor } from '../tensor';
import { slice } from './slice';
import { deviceOf, empty } from './util';
import { cast } from './view';

/**
 * Joins tensors along an existing axis; all other sizes must match. dtypes promote (float32 + float64 →
 * float64). @example concat([a, b], 0)
 */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors))
    throw new TypeError(`concat: tensors must be an array of Tensors, got ${describeValue(tensors)}`);
  if (tensors.length === 0) throw new RangeError('concat: needs at least one tensor');
  for (let i = 0; i < tensors.length; i++) checkTensor(tensors[i], 'concat', `tensors[${i}]`);
  const first = tensors[0];
  const a = normalizeAxis(axis, first.ndim, 'concat');
  tensors.forEach((t, i) => {
    if (t.ndim !== first.ndim || t.shape.some((s: number, d: number) => d !== a && s !== first.shape[d])) {
      throw new RangeError(
        `concat: tensor ${i} has shape ${formatShape(t.shape)}, which does not match tensor 0's ` +
          `${formatShape(first.shape)} outside axis ${a}`,
      );
    }
  });
  const dtype = tensors.reduce((d, t) => promote(d, t.dtype), first.dtype);
  const parts = tensors.map((t) => cast(t, dtype));
  const lens = parts.map((t) => t.shape[a]);
  const shape = first.shape.slice();
  shape[a] = lens.reduce((s, l) => s + l, 0);
  let outer = 1;
  for (let d = 0; d < a; d++) outer *= shape[d];
  let inner = 1;
  for (let d = a + 1; d < shape.length; d++) inner *= shape[d];
  const device = deviceOf('concat', first, ...tensors.slice(1));
  const out = empty(shape, dtype, device, false);
  device.kernels.concat(
    parts.map((t) => t.buffer),
    lens,
    out.buffer,
    outer,
    inner,
  );
  return record('concat', out, parts, (g) => {
    let start = 0;
    return parts.map((p, i) => {
      const specs = Array.from({ length: a + 1 }, (_, d) =>
        d === a ? ([start, start + lens[i]] as const) : null,
      );
      start += lens[i];
      return p.requiresGrad ? slice(g, specs) : null;
    });
  });
}
