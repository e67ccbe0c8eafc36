/**
 * Batch normalization in two passes over the input each way, sums in doubles: the statistics pass and the
 * normalizing pass forward; the two channel sums and the input-gradient pass backward. Layout [outer, C, inner]
 * (N, C and the spatial positions), statistics per channel over outer·inner values.
 */
import type { TypedArray } from '../../../dtype';

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
  for (let c = 0; c < channels; c++) {
    let s = 0;
    for (let o = 0; o < outer; o++) {
      const base = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) s += x[base + i];
    }
    const mu = s / count;
    let q = 0;
    for (let o = 0; o < outer; o++) {
      const base = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) {
        const d = x[base + i] - mu;
        q += d * d;
      }
    }
    const v = q / count;
    mean[c] = mu;
    variance[c] = v;
    const invStd = 1 / Math.sqrt(v + eps);
    const scale = weight ? weight[c] * invStd : invStd;
    const shift = bias ? bias[c] : 0;
    for (let o = 0; o < outer; o++) {
      const base = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) out[base + i] = (x[base + i] - mu) * scale + shift;
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
  for (let c = 0; c < channels; c++) {
    const mu = mean[c];
    const invStd = 1 / Math.sqrt(variance[c] + eps);
    let sg = 0;
    let sgx = 0;
    for (let o = 0; o < outer; o++) {
      const base = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) {
        const gi = g[base + i];
        sg += gi;
        sgx += gi * (x[base + i] - mu);
      }
    }
    sgx *= invStd; // Σ g·x̂
    if (dBias) dBias[c] = sg;
    if (dWeight) dWeight[c] = sgx;
    const scale = (weight ? weight[c] : 1) * invStd;
    const mg = sg / count;
    const mgx = sgx / count;
    for (let o = 0; o < outer; o++) {
      const base = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) {
        const xhat = (x[base + i] - mu) * invStd;
        dx[base + i] = scale * (g[base + i] - mg - xhat * mgx);
      }
    }
  }
}
