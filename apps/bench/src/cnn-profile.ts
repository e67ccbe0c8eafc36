/**
 * Where W4's CNN step spends its CPU time: every kernel of the CPU device wrapped to add its process CPU time
 * (`process.cpuUsage`, robust to a loaded machine, unlike wall time; on two threads it includes the worker's
 * share of split products), per kernel and geometry, over timed steps after warm-up. Prints CPU ms per step.
 * Run: npx -y pnpm@12.4.2 --filter @selfnorm/bench cnn-profile [threads 1|2] [steps] [channels e.g. 16,32]
 */
import { cpu } from '@selfnorm/tensor';
import { selfnorm } from './frameworks/selfnorm';
import { startCpuWorkers } from './threads';
import { CNN_SPEC, cnnData } from './workloads';

const threads = Number(process.argv[2] ?? 1);
const steps = Number(process.argv[3] ?? 10);
const channels = (process.argv[4] ?? CNN_SPEC.channels.join(',')).split(',').map(Number) as [number, number];
const spec = { ...CNN_SPEC, channels };
if (threads > 1) await startCpuWorkers(threads - 1);

/** A kernel call's row: binary/unary/reduce by op (binary also by shape), conv kernels by input channels. */
function label(name: string, args: unknown[]): string {
  if (name === 'binary') return `binary ${args[0]} [${(args[6] as number[]).join(',')}]`;
  if (name === 'unary' || name === 'reduce') return `${name} ${args[0]}`;
  if (name.startsWith('conv')) return `${name} C=${(args[3] as { inChannels: number }).inChannels}`;
  return name;
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const table = cpu.kernels as unknown as Record<string, (...args: unknown[]) => unknown>;
const spent = new Map<string, number>();
let on = false;
for (const name of Object.keys(table)) {
  const kernel = table[name];
  table[name] = (...args: unknown[]) => {
    if (!on) return kernel(...args);
    const t0 = process.cpuUsage();
    const result = kernel(...args);
    const key = label(name, args);
    spent.set(key, (spent.get(key) ?? 0) + cpuMs(process.cpuUsage(t0)));
    return result;
  };
}

const step = selfnorm.cnnStep(spec, cnnData(spec));
for (let i = 0; i < 3; i++) step.run();
on = true;
const t0 = process.cpuUsage();
for (let i = 0; i < steps; i++) step.run();
const total = cpuMs(process.cpuUsage(t0)) / steps;
console.log(
  `W4 step, channels ${channels.join('/')}, batch ${spec.batch}, ${threads} thread(s): ${total.toFixed(1)} CPU ms per step`,
);
let inKernels = 0;
for (const [key, ms] of [...spent].sort((a, b) => b[1] - a[1])) {
  inKernels += ms / steps;
  console.log(`${(ms / steps).toFixed(2).padStart(8)} ms  ${key}`);
}
console.log(
  `${inKernels.toFixed(1).padStart(8)} ms  in kernels; the rest is the tensor API, autograd and allocation`,
);
