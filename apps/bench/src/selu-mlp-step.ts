/** The W2 step as the bench's scripts build it: Linear + SELU layers of `sizes`, batch 128, SGD, crossEntropy. */
import { crossEntropy, Linear, SELU, Sequential, SGD } from '@selfnorm/nn';
import { Rng, randn } from '@selfnorm/tensor';

/** The W2 shapes by name: 784 → 8 × 512 → 10 and 784 → 32 × 256 → 10. */
export const W2_SIZES = {
  W2a: [784, ...Array(8).fill(512), 10],
  W2b: [784, ...Array(32).fill(256), 10],
} as const;

/** A seeded SELU MLP of `sizes` and one SGD step (lr 0.01) on a fixed batch of 128 (labels i mod 10). */
export function seluMlpStep(sizes: readonly number[]): { model: Sequential; step: () => void } {
  const rng = new Rng(0);
  const layers = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(new Linear(sizes[i], sizes[i + 1], { rng }));
    if (i + 2 < sizes.length) layers.push(new SELU());
  }
  const model = new Sequential(...layers);
  const opt = new SGD(model.parameters(), { lr: 0.01 });
  const x = randn([128, sizes[0]], { rng });
  const labels = Array.from({ length: 128 }, (_, i) => i % 10);
  const step = () => {
    opt.zeroGrad();
    crossEntropy(model.forward(x), labels).backward();
    opt.step();
  };
  return { model, step };
}
