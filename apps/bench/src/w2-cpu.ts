/**
 * CPU time per W2 training step (process-wide `process.cpuUsage()`, so a worker's time counts) and wall time,
 * on 1 or 2 threads: the figure to compare on a shared machine, where wall-clock rates are noise. One JSON line.
 * Run (in apps/bench): node [--experimental-wasm-relaxed-simd] --import tsx --conditions=@selfnorm/source
 *   src/w2-cpu.ts W2a|W2b [threads = 2] [steps = 60]
 */
import { crossEntropy, Linear, SELU, Sequential, SGD } from '@selfnorm/nn';
import { matmulKernelInUse, Rng, randn } from '@selfnorm/tensor';
import { startCpuWorkers, stopCpuWorkers } from './threads';

const which = process.argv[2] ?? 'W2a';
const threads = Number(process.argv[3] ?? 2);
const steps = Number(process.argv[4] ?? 60);
const sizes = which === 'W2a' ? [784, ...Array(8).fill(512), 10] : [784, ...Array(32).fill(256), 10];
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
const workers = await startCpuWorkers(threads - 1);
for (let i = 0; i < 20; i++) step();
const walls: number[] = [];
const c0 = process.cpuUsage();
const w0 = performance.now();
for (let i = 0; i < steps; i++) {
  const t = performance.now();
  step();
  walls.push(performance.now() - t);
}
const wall = (performance.now() - w0) / steps;
const c = process.cpuUsage(c0);
walls.sort((a, b) => a - b);
const out: Record<string, string> = {
  which,
  kernel: matmulKernelInUse(),
  threads: String(threads),
  wallMs: wall.toFixed(2),
  medWallMs: walls[walls.length >> 1].toFixed(2),
  cpuMs: ((c.user + c.system) / 1e3 / steps).toFixed(2),
  sps: (128 / (walls[walls.length >> 1] / 1e3)).toFixed(0),
};
console.log(JSON.stringify(out));
await stopCpuWorkers(workers);
