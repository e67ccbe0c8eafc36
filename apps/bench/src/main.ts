/**
 * `pnpm bench`: the workloads of issue 5 on selfnorm, its JavaScript peers and (where torch is installed)
 * PyTorch, each framework and workload in its own child process; prints one Markdown table with selfnorm's
 * ratio to the best JavaScript peer and to PyTorch on one thread.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type BenchOptions, type FrameworkId, parseArgs, type WorkloadId } from './args';
import { describePytorch, detectTorch, PYTHON, type PytorchInfo } from './frameworks/pytorch-env';
import { probeWebGPU } from './frameworks/webgpu-env';
import { type Figure, formatTable } from './table';

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

/** Runs one framework on one workload in a child process; its figures plus, for W2, its peak RSS. */
function runChild(
  id: FrameworkId,
  workload: WorkloadId,
  opts: BenchOptions,
): { figures: Figure[]; pytorch?: PytorchInfo } {
  const args = [id, workload, String(opts.reps), String(opts.warmup), opts.quick ? '1' : '0'];
  const res = spawnSync(process.execPath, [...process.execArgv, CHILD, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const last = res.stdout?.trim().split('\n').pop() ?? '';
  if (res.status !== 0 || !last.startsWith('{')) {
    process.stderr.write(`${id} ${workload} failed (exit ${res.status}):\n${res.stderr?.slice(-2000)}\n`);
    return { figures: [] };
  }
  const { figures, maxRssMB, pytorch } = JSON.parse(last) as {
    figures: Figure[];
    maxRssMB: number;
    pytorch?: PytorchInfo;
  };
  if (workload.startsWith('W2')) {
    figures.push({
      workload,
      label: 'peak RSS',
      unit: 'MB',
      higherIsBetter: false,
      values: { [id]: maxRssMB },
    });
  }
  return { figures, pytorch };
}

/** Merges per-framework figures into one row per (workload, label), keeping the order of first appearance. */
export function mergeFigures(parts: readonly Figure[]): Figure[] {
  const rows = new Map<string, Figure>();
  for (const f of parts) {
    const key = `${f.workload}\u0000${f.label}`;
    const row = rows.get(key);
    if (row) Object.assign(row.values, f.values);
    else rows.set(key, { ...f, values: { ...f.values } });
  }
  return [...rows.values()];
}

async function main() {
  let opts: BenchOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    const help = process.argv.includes('--help') || process.argv.includes('-h');
    (help ? process.stdout : process.stderr).write(`${err.message}\n`);
    process.exitCode = help ? 0 : 2;
    return;
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}-${process.arch}`;
  console.log(`selfnorm bench — ${machine}`);
  console.log(
    `median of ${opts.reps} reps${opts.quick ? '' : ' and at least 3 s'} after ${opts.warmup} warm-up${opts.quick ? ', --quick' : ' and at least 1 s'}\n`,
  );
  const parts: Figure[] = [];
  console.log(
    `selfnorm and selfnorm-kernels: ${cpus().length} threads (main + ${cpus().length - 1} worker${cpus().length === 2 ? '' : 's'} for matmul and SELU)`,
  );
  const notes: Partial<Record<FrameworkId, string>> = {};
  if (opts.frameworks.some((id) => id.startsWith('pytorch'))) {
    const torch = detectTorch();
    if (torch.installed) console.log(`pytorch: torch ${torch.version} (${PYTHON}), 2 threads; pytorch-1t: 1`);
    else {
      console.log(`pytorch, pytorch-1t: not installed (${torch.reason})`);
      notes.pytorch = notes['pytorch-1t'] = 'not installed';
    }
  }
  if (opts.frameworks.includes('selfnorm-webgpu')) {
    const probe = await probeWebGPU();
    if (probe.ok) {
      console.log(`selfnorm-webgpu: ${probe.adapter} (its workloads wait for the backend seam)`);
      notes['selfnorm-webgpu'] = 'not yet';
    } else {
      console.log(`selfnorm-webgpu: ${probe.note} (${probe.reason})`);
      notes['selfnorm-webgpu'] = probe.note;
    }
  }
  console.log('');
  const pytorch: ({ framework: FrameworkId; workload: WorkloadId } & PytorchInfo)[] = [];
  for (const workload of opts.workloads) {
    for (const id of opts.frameworks) {
      if (id === 'selfnorm-kernels' && workload.startsWith('W2')) continue;
      // pytorch-bench.py has no CNN yet (docs/BENCHMARKS.md, W4).
      if (id.startsWith('pytorch') && workload === 'W4') continue;
      if (notes[id]) continue;
      const t0 = performance.now();
      const res = runChild(id, workload, opts);
      parts.push(...res.figures);
      if (res.pytorch) pytorch.push({ framework: id, workload, ...res.pytorch });
      console.error(`  ${workload} ${id}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  }
  const figures = mergeFigures(parts);
  console.log(`\n${formatTable(figures, opts.frameworks, notes)}`);
  if (pytorch.length > 0) console.log('');
  for (const p of pytorch) console.log(describePytorch(p.framework, p.workload, p));
  if (opts.json)
    writeFileSync(opts.json, `${JSON.stringify({ machine, options: opts, figures, pytorch }, null, 2)}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
