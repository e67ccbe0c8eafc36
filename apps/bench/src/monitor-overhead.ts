/**
 * What the SelfNormalizationMonitor costs a training step: the W2a and W2b steps (batch 128, SGD, one
 * thread) with and without a monitor on every SELU layer, in interleaved blocks so that a machine's drift
 * hits both alike. Prints the median step time of each and the median of the per-round overheads (robust
 * to a load spike during one block).
 * Run: npx -y pnpm@12.4.2 --filter @selfnorm/bench monitor-overhead
 */
import { crossEntropy, Linear, SELU, SelfNormalizationMonitor, Sequential, SGD } from '@selfnorm/nn';
import { Rng, randn } from '@selfnorm/tensor';

const shapes = [
  { name: 'W2a', sizes: [784, ...Array(8).fill(512), 10] },
  { name: 'W2b', sizes: [784, ...Array(32).fill(256), 10] },
];
const rounds = Number(process.argv[2] ?? 30);
const stepsPerBlock = 10;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

for (const { name, sizes } of shapes) {
  const rng = new Rng(0);
  const layers = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(new Linear(sizes[i], sizes[i + 1], { rng }));
    if (i + 2 < sizes.length) layers.push(new SELU());
  }
  const model = new Sequential(...layers);
  const opt = new SGD(model.parameters(), { lr: 0.01 });
  const x = randn([128, 784], { rng });
  const labels = Array.from({ length: 128 }, (_, i) => i % 10);
  const step = () => {
    opt.zeroGrad();
    crossEntropy(model.forward(x), labels).backward();
    opt.step();
  };
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
