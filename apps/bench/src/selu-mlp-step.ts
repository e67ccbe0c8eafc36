/**
 * The MLP steps the bench's scripts build: Linear + SELU (or Linear + BatchNorm1d + ReLU) layers of `sizes`,
 * batch 128, SGD, crossEntropy, from this tree's packages or (compare-trees) from another tree's.
 */
import * as nnHere from '@selfnorm/nn';
import * as tHere from '@selfnorm/tensor';

type Nn = typeof import('@selfnorm/nn');
type T = typeof import('@selfnorm/tensor');

/** The W2 shapes by name: 784 → 8 × 512 → 10 and 784 → 32 × 256 → 10. */
export const W2_SIZES = {
  W2a: [784, ...Array(8).fill(512), 10],
  W2b: [784, ...Array(32).fill(256), 10],
} as const;

/**
 * A seeded MLP of `sizes`, each hidden Linear followed by SELU ('selu') or by BatchNorm1d → ReLU ('bn'), and
 * one SGD step (lr 0.01) on a fixed batch of 128 (labels i mod 10), from the packages `nn` and `t`.
 */
export function mlpStep(
  nn: Nn,
  t: T,
  sizes: readonly number[],
  kind: 'selu' | 'bn',
): { model: InstanceType<Nn['Sequential']>; step: () => void } {
  const rng = new t.Rng(0);
  const layers = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(new nn.Linear(sizes[i], sizes[i + 1], { rng }));
    if (i + 2 === sizes.length) break;
    if (kind === 'bn') layers.push(new nn.BatchNorm1d(sizes[i + 1]), new nn.ReLU());
    else layers.push(new nn.SELU());
  }
  const model = new nn.Sequential(...layers);
  const opt = new nn.SGD(model.parameters(), { lr: 0.01 });
  const x = t.randn([128, sizes[0]], { rng });
  const labels = Array.from({ length: 128 }, (_, i) => i % 10);
  const step = () => {
    opt.zeroGrad();
    nn.crossEntropy(model.forward(x), labels).backward();
    opt.step();
  };
  return { model, step };
}

/** The SELU MLP step of `sizes` from this tree's packages. */
export function seluMlpStep(sizes: readonly number[]): { model: nnHere.Sequential; step: () => void } {
  return mlpStep(nnHere, tHere, sizes, 'selu');
}
