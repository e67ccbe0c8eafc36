/**
 * What the SelfNormalizationMonitor costs a training step: the W2a and W2b steps (batch 128, SGD, one
 * thread) with and without a monitor on every SELU layer, in interleaved blocks so that a machine's drift
 * hits both alike. Prints the median step time of each and the median of the per-round overheads (robust
 * to a load spike during one block).
 * Run: npx -y pnpm@12.4.2 --filter @selfnorm/bench monitor-overhead
 */
import { SelfNormalizationMonitor } from '@selfnorm/nn';
import { seluMlpStep, W2_SIZES } from './selu-mlp-step';
import { median } from './stats';

const shapes = [
  { name: 'W2a', sizes: W2_SIZES.W2a },
  { name: 'W2b', sizes: W2_SIZES.W2b },
];
const rounds = Number(process.argv[2] ?? 30);
const stepsPerBlock = 10;

for (const { name, sizes } of shapes) {
  const { model, step } = seluMlpStep(sizes);
  const block = () => {
    const t0 = performance.now();
    for (let i = 0; i < stepsPerBlock; i++) step();
    return (performance.now() - t0) / stepsPerBlock;
  };
  for (let i = 0; i < 10; i++) step(); // warm-up
  const plain: number[] = [];
  const watched: number[] = [];
  for (let r = 0; r < rounds; r++) {
    plain.push(block());
    const monitor = new SelfNormalizationMonitor(model);
    watched.push(block());
    monitor.remove();
  }
  const overhead = median(plain.map((p, r) => (watched[r] - p) / p));
  console.log(
    `${name}: ${median(plain).toFixed(2)} ms/step plain, ${median(watched).toFixed(2)} ms/step monitored: ` +
      `${overhead >= 0 ? '+' : ''}${(overhead * 100).toFixed(1)} % (median of ${rounds} interleaved rounds)`,
  );
}
