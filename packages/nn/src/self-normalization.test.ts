import { matmul, noGrad, Rng, randn, relu, type Tensor } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { selu } from './index';
import { lecunNormal } from './init';

const DEPTH = 32;
const WIDTH = 512;
const INPUTS = 784;
const SAMPLES = 1024;

/** Mean and (population) variance over every activation of a layer, accumulated in doubles. */
function stats(t: Tensor): { mean: number; variance: number } {
  const d = t.data;
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < d.length; i++) {
    sum += d[i];
    sq += d[i] * d[i];
  }
  const mean = sum / d.length;
  return { mean, variance: sq / d.length - mean * mean };
}

/** Runs `samples` standard-normal inputs through DEPTH plain layers x ↦ act(x·W), W ~ LeCun normal. */
function layerStats(
  activation: (x: Tensor) => Tensor,
  samples: number,
  seed: number,
): { mean: number; variance: number }[] {
  const rng = new Rng(seed);
  const init = lecunNormal({ rng });
  return noGrad(() => {
    let x = randn([samples, INPUTS], { rng });
    const out: { mean: number; variance: number }[] = [];
    for (let layer = 0; layer < DEPTH; layer++) {
      const fanIn = x.shape[1];
      const w = init([fanIn, WIDTH], { fanIn, fanOut: WIDTH }); // stored [in, out] for x·W
      x = activation(matmul(x, w));
      out.push(stats(x));
    }
    return out;
  });
}

// Theorem 1 of the paper in practice: a 32-layer, 512-wide plain MLP with SELU and N(0, 1/fanIn) weights
// keeps every layer near mean 0, variance 1, while the same net with ReLU halves its variance at every
// layer. Both run at the full size: 1024 samples × 512 units = 524,288 activations per layer,
// float32, no gradients (~17 GFLOP of matmul, the bulk of this file's time). The spread comes mostly from
// the finite width (each unit's ω, τ scatter around 0, 1). Measured with seed 2017: |mean| ≤ 0.008 and
// variance in [0.980, 1.008] at every layer; ReLU reaches 2e-10 at layer 32 (1024 samples).
describe('self-normalization', () => {
  it('SELU with LeCun-normal weights keeps every one of 32 layers at mean 0 ± 0.05, variance 1 ± 0.1', () => {
    const layers = layerStats(selu, SAMPLES, 2017);
    expect(layers).toHaveLength(DEPTH);
    for (const [i, { mean, variance }] of layers.entries()) {
      expect(Math.abs(mean), `layer ${i + 1} mean`).toBeLessThan(0.05);
      expect(Math.abs(variance - 1), `layer ${i + 1} variance`).toBeLessThan(0.1);
    }
  });

  it('the same network with ReLU collapses: variance below 1e-3 by layer 32', () => {
    const layers = layerStats(relu, SAMPLES, 2017);
    expect(layers[DEPTH - 1].variance).toBeLessThan(1e-3);
    // It decays steadily (about ×1/2 per layer), rather than dropping at one layer.
    expect(layers[DEPTH / 2 - 1].variance).toBeLessThan(layers[0].variance);
    expect(layers[DEPTH - 1].variance).toBeLessThan(layers[DEPTH / 2 - 1].variance);
  });
});
