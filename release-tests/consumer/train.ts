// A small self-normalizing network learns XOR-like quadrants, written only against the published API of
// @selfnorm/tensor and @selfnorm/nn. Used by the Node check (train-node.ts), the browser page
// (browser/page.ts) and type-checked under moduleResolution node16 and bundler.
import { AlphaDropout, crossEntropy, Linear, SELU, Sequential, SGD } from '@selfnorm/nn';
import { Rng, rand, type Tensor, tensor } from '@selfnorm/tensor';

/** n points in [−1, 1)², labelled 1 where x₀·x₁ > 0 (quadrants I and III), else 0. */
export function quadrants(n: number, rng: Rng): { x: Tensor; y: Tensor } {
  const x = rand([n, 2], { rng }).mul(2).sub(1);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) labels.push(x.data[2 * i] * x.data[2 * i + 1] > 0 ? 1 : 0);
  return { x, y: tensor(labels) };
}

/** A 2 → 32 → 32 → 2 self-normalizing network: Linear (LeCun-normal), SELU, AlphaDropout. */
export function snn(rng: Rng): Sequential {
  return new Sequential(
    new Linear(2, 32, { rng }),
    new SELU(),
    new AlphaDropout({ rate: 0.05, rng }),
    new Linear(32, 32, { rng }),
    new SELU(),
    new Linear(32, 2, { rng }),
  );
}

/** One optimisation step; returns the loss before the update. */
export function trainStep(model: Sequential, optimizer: SGD, x: Tensor, y: Tensor): number {
  optimizer.zeroGrad();
  const loss = crossEntropy(model.forward(x), y);
  loss.backward();
  optimizer.step();
  return loss.item();
}

/** Trains for `steps` full-batch steps from a fixed seed; returns the loss at every step. */
export function train(steps: number, seed = 1): number[] {
  const rng = new Rng(seed);
  const { x, y } = quadrants(256, rng);
  const model = snn(rng).train();
  const optimizer = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) losses.push(trainStep(model, optimizer, x, y));
  return losses;
}
