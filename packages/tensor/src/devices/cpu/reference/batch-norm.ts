/**
 * Batch normalization, sums in doubles, every pass in memory order (row by row of the [outer, C, inner]
 * layout, so an [N, C] input is read along its rows, not down its columns): forward, one pass for the means
 * and variances (shifted data) and one that normalizes; backward, one for the two channel sums and one for dx.
 * Statistics per channel over outer·inner values.
 */
import type { TypedArray } from '../../../dtype';

/**
 * One pass in memory order for sums[c] = Σ (x − K[c]) and squares[c] = Σ (x − K[c])² over outer and inner,
 * with the shift K[c] the channel's first value: the shifted-data variance, Σd²/n − (Σd/n)², exact in doubles
 * unless the mean is ~10⁷ standard deviations from the channel's first value (Chan, Golub & LeVeque, 1983).
 */
function shiftedSums(
  x: TypedArray,
  outer: number,
  channels: number,
  inner: number,
  shift: Float64Array,
  sums: Float64Array,
  squares: Float64Array,
): void {
  for (let c = 0; c < channels; c++) shift[c] = x[c * inner];
  if (inner === 1) {
    rowSums(x, outer, channels, shift, sums, squares);
    return;
  }
  let k = 0;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const m = shift[c];
      let s = 0;
      let q = 0;
      for (let i = 0; i < inner; i++, k++) {
        const d = x[k] - m;
        s += d;
        q += d * d;
      }
      sums[c] += s;
      squares[c] += q;
    }
  }
}

/**
 * The [N, C] case of `shiftedSums` (and of the backward pass's Σg, Σg·(x − mean): a = g, b = x): four rows
 * at a time, so each channel's two sums are read and written once per four values instead of once per
 * value. sums[c] += Σ a − m[c] (or Σ a when b is given), squares[c] += Σ (a − m)² (or Σ a·(b − m)).
 */
function rowSums(
  a: TypedArray,
  rows: number,
  channels: number,
  m: ArrayLike<number>,
  sums: Float64Array,
  squares: Float64Array,
  b: TypedArray | null = null,
): void {
  let o = 0;
  for (; o + 4 <= rows; o += 4) {
    const r0 = o * channels;
    const r1 = r0 + channels;
    const r2 = r1 + channels;
    const r3 = r2 + channels;
    for (let c = 0; c < channels; c++) {
      const mc = m[c];
      if (b === null) {
        const d0 = a[r0 + c] - mc;
        const d1 = a[r1 + c] - mc;
        const d2 = a[r2 + c] - mc;
        const d3 = a[r3 + c] - mc;
        sums[c] += d0 + d1 + d2 + d3;
        squares[c] += d0 * d0 + d1 * d1 + d2 * d2 + d3 * d3;
      } else {
        const g0 = a[r0 + c];
        const g1 = a[r1 + c];
        const g2 = a[r2 + c];
        const g3 = a[r3 + c];
        sums[c] += g0 + g1 + g2 + g3;
        squares[c] +=
          g0 * (b[r0 + c] - mc) + g1 * (b[r1 + c] - mc) + g2 * (b[r2 + c] - mc) + g3 * (b[r3 + c] - mc);
      }
    }
  }
  for (; o < rows; o++) {
    const r = o * channels;
    for (let c = 0; c < channels; c++) {
      const mc = m[c];
      if (b === null) {
        const d = a[r + c] - mc;
        sums[c] += d;
        squares[c] += d * d;
      } else {
        sums[c] += a[r + c];
        squares[c] += a[r + c] * (b[r + c] - mc);
      }
    }
  }
}

/**
 * mean[c] and variance[c] (biased) of x over outer·inner values per channel, then
 * out = (x − mean)/√(variance + eps)·weight + bias (weight, bias optional).
 */
export function batchNormKernel(
  x: TypedArray,
  weight: TypedArray | null,
  bias: TypedArray | null,
  out: TypedArray,
  mean: TypedArray,
  variance: TypedArray,
  outer: number,
  channels: number,
  inner: number,
  eps: number,
): void {
  const count = outer * inner;
  const mu = new Float64Array(channels);
  const sums = new Float64Array(channels);
  const squares = new Float64Array(channels);
  shiftedSums(x, outer, channels, inner, mu, sums, squares);
  const q = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    const d = sums[c] / count;
    mu[c] += d;
    q[c] = Math.max(squares[c] - d * sums[c], 0); // Σ(x − mean)², never negative by rounding
  }
  const scale = new Float64Array(channels);
  const shift = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    const v = q[c] / count;
    mean[c] = mu[c];
    variance[c] = v;
    const invStd = 1 / Math.sqrt(v + eps);
    scale[c] = weight ? weight[c] * invStd : invStd;
    shift[c] = bias ? bias[c] : 0;
  }
  let k = 0;
  for (let o = 0; o < outer; o++) {
    if (inner === 1) {
      for (let c = 0; c < channels; c++, k++) out[k] = (x[k] - mu[c]) * scale[c] + shift[c];
      continue;
    }
    for (let c = 0; c < channels; c++) {
      const m = mu[c];
      const a = scale[c];
      const b = shift[c];
      for (let i = 0; i < inner; i++, k++) out[k] = (x[k] - m) * a + b;
    }
  }
}

/**
 * The gradients of batchNormKernel's output (training statistics) for upstream g, with x̂ = (x − mean)·invStd,
 * M = outer·inner: dBias = Σg, dWeight = Σg·x̂, dx = weight·invStd·(g − Σg/M − x̂·Σ(g·x̂)/M) per channel.
 * dWeight and dBias may be null (not wanted).
 */
export function batchNormBackwardKernel(
  g: TypedArray,
  x: TypedArray,
  weight: TypedArray | null,
  mean: TypedArray,
  variance: TypedArray,
  dx: TypedArray,
  dWeight: TypedArray | null,
  dBias: TypedArray | null,
  outer: number,
  channels: number,
  inner: number,
  eps: number,
): void {
  const count = outer * inner;
  const invStd = new Float64Array(channels);
  for (let c = 0; c < channels; c++) invStd[c] = 1 / Math.sqrt(variance[c] + eps);
  const sg = new Float64Array(channels);
  const sgx = new Float64Array(channels);
  if (inner === 1) rowSums(g, outer, channels, mean, sg, sgx, x);
  else {
    let k = 0;
    for (let o = 0; o < outer; o++) {
      for (let c = 0; c < channels; c++) {
        const m = mean[c];
        let s = 0;
        let t = 0;
        for (let i = 0; i < inner; i++, k++) {
          s += g[k];
          t += g[k] * (x[k] - m);
        }
        sg[c] += s;
        sgx[c] += t;
      }
    }
  }
  const a = new Float64Array(channels);
  const mg = new Float64Array(channels);
  const mgx = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    sgx[c] *= invStd[c]; // Σ g·x̂
    if (dBias) dBias[c] = sg[c];
    if (dWeight) dWeight[c] = sgx[c];
    a[c] = (weight ? weight[c] : 1) * invStd[c];
    mg[c] = sg[c] / count;
    mgx[c] = sgx[c] / count;
  }
  // dx = a·(g − mg − (x − mean)·invStd·mgx), with the per-channel factor invStd·mgx folded into one.
  const slope = new Float64Array(channels);
  for (let c = 0; c < channels; c++) slope[c] = invStd[c] * mgx[c];
  let k = 0;
  for (let o = 0; o < outer; o++) {
    if (inner === 1) {
      for (let c = 0; c < channels; c++, k++) dx[k] = a[c] * (g[k] - mg[c] - (x[k] - mean[c]) * slope[c]);
      continue;
    }
    for (let c = 0; c < channels; c++) {
      const m = mean[c];
      const ac = a[c];
      const bc = mg[c];
      const sc = slope[c];
      for (let i = 0; i < inner; i++, k++) dx[k] = ac * (g[k] - bc - (x[k] - m) * sc);
    }
  }
}
