// @selfnorm/tensor alone: fit y = 3x − 1 by gradient descent, with autograd and in-place updates.
import { Rng, randn, type Tensor, zeros } from '@selfnorm/tensor';

const rng = new Rng(7);
const x = randn([64, 1], { rng, dtype: 'float64' });
const y = x.mul(3).sub(1);
const w = zeros([1, 1], { dtype: 'float64', requiresGrad: true });
const b = zeros([1], { dtype: 'float64', requiresGrad: true });

const mse = (): Tensor => x.matmul(w).add(b).sub(y).square().mean();
const losses: number[] = [];
for (let step = 0; step < 50; step++) {
  const loss = mse();
  losses.push(loss.item());
  loss.backward();
  for (const p of [w, b]) {
    const g = p.grad;
    if (g === null) throw new Error('a parameter got no gradient');
    for (let i = 0; i < p.size; i++) p.data[i] -= 0.1 * g.data[i];
    p.grad = null;
  }
}
const first = losses[0];
const last = losses[losses.length - 1];
console.log(
  `loss ${first.toFixed(4)} → ${last.toFixed(6)}; w = ${w.item().toFixed(4)}, b = ${b.item().toFixed(4)}`,
);
if (!(last < first * 1e-3)) throw new Error(`the loss should fall by 1000× in 50 steps: ${first} → ${last}`);
if (Math.abs(w.item() - 3) > 0.01 || Math.abs(b.item() + 1) > 0.01) {
  throw new Error(`expected w ≈ 3 and b ≈ −1, got ${w.item()} and ${b.item()}`);
}
