/**
 * The ReLU + BatchNorm step against the SELU step of the same shape (issue 18's "≤ 1.3×"): 784 → 8 × 512 → 10,
 * batch 128, SGD lr 0.01, crossEntropy; Linear → SELU against Linear → BatchNorm1d → ReLU. One thread, CPU time
 * (`process.cpuUsage()`), rounds of 4 steps alternating the two in one process; prints the medians and the
 * median of the per-round ratios as one JSON line.
 * Run (in apps/bench): pnpm bn-ratio [rounds = 16]
 */
import * as nn from '@selfnorm/nn';
import * as t from '@selfnorm/tensor';
import { mlpStep, W2_SIZES } from './selu-mlp-step';
import { median } from './stats';

function cpuMsPerStep(f: () => void, steps: number): number {
  const c0 = process.cpuUsage();
  for (let i = 0; i < steps; i++) f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e3 / steps;
}

const rounds = Number(process.argv[2] ?? 16);
const selu = mlpStep(nn, t, W2_SIZES.W2a, 'selu').step;
const bn = mlpStep(nn, t, W2_SIZES.W2a, 'bn').step;
for (let i = 0; i < 10; i++) {
  selu();
  bn();
}
const s: number[] = [];
const b: number[] = [];
const ratios: number[] = [];
for (let r = 0; r < rounds; r++) {
  s.push(cpuMsPerStep(selu, 4));
  b.push(cpuMsPerStep(bn, 4));
  ratios.push(b[r] / s[r]);
}
console.log(
  JSON.stringify({
    seluMs: Number(median(s).toFixed(1)),
    reluBatchNormMs: Number(median(b).toFixed(1)),
    ratio: Number(median(ratios).toFixed(3)),
  }),
);
