/** The 8-block MLP step of the BatchNorm comparison, built from a given copy of the packages (compare-trees). */
type Nn = typeof import('@selfnorm/nn');
type T = typeof import('@selfnorm/tensor');

/**
 * One SGD step (lr 0.01, crossEntropy, batch 128) of 784 → 8 × 512 → 10 with Linear → SELU blocks ('selu') or
 * Linear → BatchNorm1d → ReLU blocks ('bn'), seeded, from the packages `nn` and `t`.
 */
export function blockStep(nn: Nn, t: T, kind: 'selu' | 'bn'): () => void {
  const rng = new t.Rng(1);
  const layers = [];
  for (let i = 0, d = 784; i < 8; i++, d = 512) {
    layers.push(new nn.Linear(d, 512, { rng }));
    if (kind === 'bn') layers.push(new nn.BatchNorm1d(512), new nn.ReLU());
    else layers.push(new nn.SELU());
  }
  const model = new nn.Sequential(...layers, new nn.Linear(512, 10, { rng }));
  const opt = new nn.SGD(model.parameters(), { lr: 0.01 });
  const x = t.randn([128, 784], { rng });
  const labels = Array.from({ length: 128 }, (_, i) => i % 10);
  return () => {
    opt.zeroGrad();
    nn.crossEntropy(model.forward(x), labels).backward();
    opt.step();
  };
}
