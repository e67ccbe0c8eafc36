/**
 * Fast paths of the CPU device's fast kernel set for the broadcasts a convolutional network makes: one operand
 * constant over runs of trailing elements (a bias [C, 1, 1] or a dropout mask [N, C, 1, 1] against
 * [N, C, H, W]), and sums that keep a middle block of axes (a bias gradient: axes 0, 2, 3 of [N, C, H, W]).
 * The reference loops call a function per element through broadcast strides; these loop over whole runs with
 * the operation inlined. Bit-identical to the reference kernels (same float64 operations, same order).
 * Measured in docs/BENCHMARKS.md (W4).
 */
import type { BinaryOp } from '../../device/device';
import type { TypedArray } from '../../dtype';

/** The ops with inlined loops. */
const RUN_OPS = new Set<BinaryOp>(['add', 'sub', 'mul', 'div']);

/** Runs shorter than this are left to the reference loop (its per-element cost is then small anyway). */
const MIN_RUN = 8;

/** Elements per run over which `strides` stay 0 (trailing axes), and how many trailing axes those are. */
function trailingRun(shape: readonly number[], strides: readonly number[]): [number, number] {
  let run = 1;
  let axes = 0;
  for (let d = shape.length - 1; d >= 0 && (strides[d] === 0 || shape[d] === 1); d--) {
    run *= shape[d];
    axes++;
  }
  return [run, axes];
}

/**
 * out = a op b where one operand is full-size (contiguous) and the other is constant over runs of ≥ MIN_RUN
 * trailing elements; false (nothing written) where the pattern does not apply.
 */
export function binaryRuns(
  op: BinaryOp,
  a: TypedArray,
  aStrides: readonly number[],
  b: TypedArray,
  bStrides: readonly number[],
  out: TypedArray,
  shape: readonly number[],
): boolean {
  const size = out.length;
  if (!RUN_OPS.has(op) || size === 0) return false;
  const bSmall = a.length === size && b.length < size;
  if (!bSmall && !(b.length === size && a.length < size)) return false;
  const strides = bSmall ? bStrides : aStrides;
  const [run, axes] = trailingRun(shape, strides);
  if (run < MIN_RUN) return false;
  const full = bSmall ? a : b;
  const small = bSmall ? b : a;
  const lead = shape.length - axes;
  const idx = new Array<number>(lead).fill(0);
  let s = 0;
  for (let r = 0; r < size; r += run) {
    const v = small[s];
    const e = r + run;
    if (op === 'add') for (let i = r; i < e; i++) out[i] = full[i] + v;
    else if (op === 'mul') for (let i = r; i < e; i++) out[i] = full[i] * v;
    else if (op === 'sub') {
      if (bSmall) for (let i = r; i < e; i++) out[i] = full[i] - v;
      else for (let i = r; i < e; i++) out[i] = v - full[i];
    } else if (bSmall) for (let i = r; i < e; i++) out[i] = full[i] / v;
    else for (let i = r; i < e; i++) out[i] = v / full[i];
    for (let d = lead - 1; d >= 0; d--) {
      idx[d]++;
      s += strides[d];
      if (idx[d] < shape[d]) break;
      s -= strides[d] * shape[d];
      idx[d] = 0;
    }
  }
  return true;
}

/**
 * Sum of x (shape `shape`) over `axes` = a leading block [0, p) and a trailing block [q, nd) (either may be
 * empty, not both), keeping the middle [p, q); accumulated in float64 in row-major order into `out`. False
 * (nothing written) where the axes are not of that form.
 */
export function sumKeepMiddle(
  x: TypedArray,
  shape: readonly number[],
  axes: readonly number[],
  out: TypedArray,
): boolean {
  const nd = shape.length;
  if (axes.length === 0 || axes.length === nd) return false;
  const reduced = new Array<boolean>(nd).fill(false);
  for (const a of axes) reduced[a] = true;
  let p = 0;
  while (p < nd && reduced[p]) p++;
  let q = nd;
  while (q > p && reduced[q - 1]) q--;
  for (let d = p; d < q; d++) if (reduced[d]) return false;
  if (p === 0 || q === nd) return false; // plain row or column sums: the reference has fast paths for those
  let outer = 1;
  for (let d = 0; d < p; d++) outer *= shape[d];
  let inner = 1;
  for (let d = q; d < nd; d++) inner *= shape[d];
  const kept = out.length;
  const acc = new Float64Array(kept);
  let i = 0;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < kept; k++) {
      let s = acc[k];
      for (const e = i + inner; i < e; i++) s += x[i];
      acc[k] = s;
    }
  }
  out.set(acc);
  return true;
}
