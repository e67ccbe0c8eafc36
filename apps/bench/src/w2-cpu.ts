/**
 * CPU time per W2 training step (process-wide `process.cpuUsage()`, so a worker's time counts) and wall time,
 * on 1 or 2 threads: the figure to compare on a shared machine, where wall-clock rates are noise. One JSON line.
 * Run (in apps/bench): node [--experimental-wasm-relaxed-simd] --import tsx --conditions=@selfnorm/source
 *   src/w2-cpu.ts W2a|W2b [threads = 2] [steps = 60]
 */
import { matmulKernelInUse } from '@selfnorm/tensor';
import { seluMlpStep, W2_SIZES } from './selu-mlp-step';
import { startCpuWorkers, stopCpuWorkers } from './threads';

const which = process.argv[2] ?? 'W2a';
const threads = Number(process.argv[3] ?? 2);
const steps = Number(process.argv[4] ?? 60);
const { step } = seluMlpStep(which === 'W2a' ? W2_SIZES.W2a : W2_SIZES.W2b);
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
