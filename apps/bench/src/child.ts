/**
 * One framework, one workload, in its own process (so peak RSS belongs to it alone). Prints one JSON line:
 * { figures, maxRssMB }. Usage: child.ts <framework> <workload> <reps> <warmup> <quick 0|1>
 */
import { FRAMEWORKS, type FrameworkId, WORKLOADS, type WorkloadId } from './args';
import { runWorkload } from './run';

const [id, workload, reps, warmup, quick] = process.argv.slice(2);
if (!FRAMEWORKS.includes(id as FrameworkId) || !WORKLOADS.includes(workload as WorkloadId)) {
  throw new RangeError(`child.ts: expected <framework> <workload>, got ${id} ${workload}`);
}
const figures = await runWorkload(id as FrameworkId, workload as WorkloadId, {
  reps: Number(reps),
  warmup: Number(warmup),
  quick: quick === '1',
});
const maxRssMB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`\n${JSON.stringify({ figures, maxRssMB })}\n`);
process.exit(0);
