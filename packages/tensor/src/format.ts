/** PyTorch-style printing: values with shared precision, elided with `...` when large. */
import type { TypedArray } from './dtype';

const EDGE = 3;
const THRESHOLD = 1000;

function formatNumber(v: number, decimals: number, scientific: boolean): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  // PyTorch writes at least two exponent digits: 1.0000e-05, not JavaScript's 1.0000e-5.
  return scientific
    ? v.toExponential(4).replace(/e([+-])(\d)$/, (_, s, d) => `e${s}0${d}`)
    : v.toFixed(decimals);
}

/** Formats `data` of `shape` as nested brackets, e.g. `[[1.0000, 2.0000],\n [3.0000, 4.0000]]`. */
export function formatValues(data: TypedArray, shape: readonly number[], indent: number): string {
  const elide = data.length > THRESHOLD;
  let maxAbs = 0;
  let minAbs = Number.POSITIVE_INFINITY;
  let allInts = true;
  for (const v of data) {
    if (!Number.isFinite(v)) continue;
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    if (a > 0 && a < minAbs) minAbs = a;
    if (!Number.isInteger(v)) allInts = false;
  }
  const scientific =
    maxAbs >= 1e8 || (minAbs < 1e-4 && !allInts) || (maxAbs / minAbs > 1e3 && !allInts && maxAbs > 1e3);
  const decimals = allInts ? 0 : 4;
  const strs = (i: number) =>
    formatNumber(data[i], decimals, scientific) +
    (allInts && !scientific && Number.isFinite(data[i]) ? '.' : '');
  let width = 0;
  for (let i = 0; i < data.length; i++) width = Math.max(width, strs(i).length);
  if (shape.length === 0) return strs(0);
  const strides: number[] = [];
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  const rec = (dim: number, offset: number): string => {
    const n = shape[dim];
    const idx =
      elide && n > 2 * EDGE
        ? [...Array(EDGE).keys(), -1, ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)]
        : [...Array(n).keys()];
    if (dim === shape.length - 1) {
      // PyTorch puts two spaces before an elided run within a row: `2.,  ..., 7.`
      return `[${idx.map((i) => (i < 0 ? ' ...' : strs(offset + i).padStart(width))).join(', ')}]`;
    }
    const sep = `,${'\n'.repeat(shape.length - 1 - dim)}${' '.repeat(indent + dim + 1)}`;
    return `[${idx.map((i) => (i < 0 ? '...' : rec(dim + 1, offset + i * strides[dim]))).join(sep)}]`;
  };
  return rec(0, 0);
}
