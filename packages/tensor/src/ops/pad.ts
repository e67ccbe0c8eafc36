/** pad (PyTorch's F.pad): constant, reflect and replicate padding, composed from concat, narrow and indexSelect. */
import { checkNumber, checkTensor, describeValue } from '../arg-checks';
import { full } from '../creation';
import { concat } from '../primitives/concat';
import { formatShape } from '../shape';
import type { Tensor } from '../tensor';
import { indexSelect } from './index-select';
import { narrow } from './shape-ops';

/** How `pad` fills: a constant, the mirror image without the edge (reflect), or the edge repeated (replicate). */
export type PadMode = 'constant' | 'reflect' | 'replicate';

/** Options of `pad`. */
export interface PadOptions {
  /** Default 'constant'. */
  mode?: PadMode;
  /** The fill value of 'constant' mode. Default 0. */
  value?: number;
}

/** Source positions of a reflect/replicate-padded axis of length n. */
function sourceIndices(n: number, before: number, after: number, mode: PadMode): number[] {
  const idx: number[] = [];
  for (let j = -before; j < n + after; j++) {
    if (mode === 'replicate') idx.push(Math.min(n - 1, Math.max(0, j)));
    else idx.push(j < 0 ? -j : j >= n ? 2 * (n - 1) - j : j);
  }
  return idx;
}

/**
 * Pads the last axes of x: `pads` = [left, right] for the last axis, then [top, bottom] for the one before, …
 * (PyTorch's order, at most 2·ndim numbers). 'constant' fills with `value` and takes negative pads as crops;
 * 'reflect' mirrors without repeating the edge (each pad < the axis size); 'replicate' repeats the edge.
 * Differentiable in x to any order. Source: https://pytorch.org/docs/stable/generated/torch.nn.functional.pad.html
 * @example pad(x, [1, 1, 2, 0]) // [N, C, H, W] → [N, C, H + 2, W + 2], two rows on top, one column each side
 */
export function pad(x: Tensor, pads: readonly number[], options: PadOptions = {}): Tensor {
  checkTensor(x, 'pad', 'x');
  const { mode = 'constant', value = 0 } = options;
  if (mode !== 'constant' && mode !== 'reflect' && mode !== 'replicate') {
    throw new RangeError(
      `pad: mode must be 'constant', 'reflect' or 'replicate', got ${describeValue(mode)}`,
    );
  }
  checkNumber(value, 'pad', 'value');
  if (
    !Array.isArray(pads) ||
    pads.length % 2 !== 0 ||
    pads.length > 2 * x.ndim ||
    !pads.every((p) => Number.isSafeInteger(p))
  ) {
    throw new RangeError(
      `pad: pads must be an even number (at most 2·${x.ndim}) of integers [left, right, top, bottom, …], got ${describeValue(pads)} ` +
        `for x ${formatShape(x.shape)}`,
    );
  }
  let y = x;
  for (let i = 0; i < pads.length / 2; i++) {
    const axis = x.ndim - 1 - i;
    const before = pads[2 * i];
    const after = pads[2 * i + 1];
    const n = y.shape[axis];
    if (mode === 'constant') {
      if (n + before + after < 0) {
        throw new RangeError(
          `pad: pads ${before}, ${after} crop more than axis ${axis} of size ${n} (x ${formatShape(x.shape)})`,
        );
      }
      if (before < 0) y = narrow(y, axis, -before, y.shape[axis] + before);
      if (after < 0) y = narrow(y, axis, 0, y.shape[axis] + after);
      const parts: Tensor[] = [];
      const block = (len: number) =>
        full(
          y.shape.map((d, a) => (a === axis ? len : d)),
          value,
          { dtype: x.dtype },
        );
      if (before > 0) parts.push(block(before));
      parts.push(y);
      if (after > 0) parts.push(block(after));
      if (parts.length > 1) y = concat(parts, axis);
      continue;
    }
    const limit = mode === 'reflect' ? n - 1 : n === 0 ? -1 : Number.POSITIVE_INFINITY;
    if (before < 0 || after < 0 || before > limit || after > limit) {
      throw new RangeError(
        `pad: ${mode} pads must be ${mode === 'reflect' ? `in [0, ${n - 1}] (less than the axis size)` : 'non-negative on a non-empty axis'}, ` +
          `got ${before}, ${after} for axis ${axis} of x ${formatShape(x.shape)}`,
      );
    }
    if (before > 0 || after > 0) y = indexSelect(y, axis, sourceIndices(n, before, after, mode));
  }
  return y;
}
