/**
 * One framework, one workload, in its own process (so peak RSS belongs to it alone). Prints one JSON line:
 * { figures, maxRssMB } (PyTorch: the Python child's peak RSS, plus `pytorch`: what it ran on and, for W2,
 * its losses beside selfnorm's). Usage: child.ts <framework> <workload> <reps> <warmup> <quick 0|1>
 */
import { FRAMEWORKS, type FrameworkId, WORKLOADS, type WorkloadId } from './args';
import { runWorkload, timingOf } from './run';

const [id, workload, reps, warmup, quick] = process.argv.slice(2);
if (!FRAMEWORKS.includes(id as FrameworkId) || !WORKLOADS.includes(workload as WorkloadId)) {
  throw new RangeError(`child.ts: expected <framework> <workload>, got ${id} ${workload}`);
}
const options = { reps: Number(reps), warmup: Number(warmup), quick: quick === '1' };
let result: object;
if (id === 'pytorch' || id === 'pytorch-1t') {
  const { runPytorch } = await import('./frameworks/pytorch');
  result = runPytorch(id, workload as WorkloadId, timingOf(options));
} else {
  const figures = await runWorkload(id as FrameworkId, workload as WorkloadId, options);
  result = { figures, maxRssMB: process.resourceUsage().maxRSS / 1024 };
}
process.stdout.write(`\n${JSON.stringify(result)}\n`);
process.exit(0);
