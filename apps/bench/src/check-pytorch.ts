/**
 * `pnpm --filter @selfnorm/bench check-pytorch`: the Python side of the PyTorch columns, on a machine with
 * torch (it fails, saying so, on one without: it is not part of CI and not a vitest test). Runs every workload
 * with --quick timing on both PyTorch columns and checks that each figure is finite and positive, that the W2
 * losses agree with selfnorm's (runPytorch throws otherwise), that the thread count took, and which BLAS ran.
 */
import { WORKLOADS } from './args';
import { runPytorch } from './frameworks/pytorch';
import { describePytorch, detectTorch } from './frameworks/pytorch-env';

const torch = detectTorch();
if (!torch.installed) {
  console.error(`check-pytorch: torch is not installed (${torch.reason})`);
  process.exit(1);
}
const problems: string[] = [];
for (const id of ['pytorch-1t', 'pytorch'] as const) {
  for (const workload of WORKLOADS) {
    const timing = { quick: true, reps: 3, warmup: 1, warmupMs: 0, minMs: 0 };
    const { figures, maxRssMB, pytorch } = runPytorch(id, workload, timing);
    console.log(describePytorch(id, workload, pytorch));
    for (const f of figures) {
      const v = f.values[id];
      if (!(v !== undefined && Number.isFinite(v) && v > 0))
        problems.push(`${id} ${workload} ${f.label}: ${v}`);
    }
    if (!(maxRssMB > 0)) problems.push(`${id} ${workload}: peak RSS ${maxRssMB}`);
    if (pytorch.threads !== (id === 'pytorch' ? 2 : 1))
      problems.push(`${id}: ran on ${pytorch.threads} threads`);
    if (workload.startsWith('W2') && !pytorch.losses?.agree)
      problems.push(`${id} ${workload}: no loss check`);
    if (!pytorch.blas.some((p) => p.includes('openblas')))
      problems.push(`${id} ${workload}: not on OpenBLAS`);
  }
}
if (problems.length > 0) {
  console.error(`check-pytorch: ${problems.length} problem(s):\n${problems.join('\n')}`);
  process.exit(1);
}
console.log('check-pytorch: ok');
