/**
 * Two checkouts of the repository in one Node process, for a before/after that a loaded machine cannot
 * blur: each tree's own packages (imported by path), one thread, blocks alternating the two, CPU time per
 * repetition (`process.cpuUsage()`), and the median over blocks of the ratio after/before.
 *
 *   cd apps/bench && npx tsx --conditions=@selfnorm/source src/compare-trees.ts /path/before /path/after [blocks]
 *
 * Workloads: W1 (n = 512 A·B), the W2a and W2b steps, W3 (SELU forward and backward on 2^20), the
 * ReLU + BatchNorm1d step of W2a's shape, and AlphaDropout forward and backward on [128, 256].
 */
import { mlpStep, W2_SIZES } from './selu-mlp-step';
import { median } from './stats';
import { MLP_SPECS, mlpData, normalData, SELU_SIZE } from './workloads';

type Nn = typeof import('@selfnorm/nn');
type T = typeof import('@selfnorm/tensor');
type Framework = typeof import('./frameworks/selfnorm')['selfnorm'];
interface Tree {
  nn: Nn;
  t: T;
  fw: Framework;
}

async function load(root: string): Promise<Tree> {
  return {
    nn: await import(`${root}/packages/nn/src/index.ts`),
    t: await import(`${root}/packages/tensor/src/index.ts`),
    fw: (await import(`${root}/apps/bench/src/frameworks/selfnorm.ts`)).selfnorm,
  };
}

function alphaDropout({ nn, t }: Tree): () => void {
  const layer = new nn.AlphaDropout({ rate: 0.05, rng: new t.Rng(1) });
  const x = t.randn([128, 256], { rng: new t.Rng(2), requiresGrad: true });
  const g = t.randn([128, 256], { rng: new t.Rng(3) });
  return () => {
    x.grad = null;
    layer.forward(x).backward(g);
  };
}

const cases: Array<[string, (tree: Tree) => () => unknown, number]> = [
  [
    'W1 n=512 A·B',
    ({ fw }) => {
      const r = fw.matmul(normalData(1, 512 * 512), normalData(2, 512 * 512), 512, false, false);
      return () => r.run();
    },
    10,
  ],
  [
    'W2a train step 8×512',
    ({ fw }) => {
      const r = fw.trainStep(MLP_SPECS.W2a, mlpData(MLP_SPECS.W2a));
      return () => r.run();
    },
    4,
  ],
  [
    'W2b train step 32×256',
    ({ fw }) => {
      const r = fw.trainStep(MLP_SPECS.W2b, mlpData(MLP_SPECS.W2b));
      return () => r.run();
    },
    4,
  ],
  [
    'W3 SELU fwd+bwd 2^20',
    ({ fw }) => {
      const r = fw.selu(normalData(3, SELU_SIZE), normalData(4, SELU_SIZE));
      return () => r.run();
    },
    10,
  ],
  ['ReLU+BatchNorm1d step 8×512', ({ nn, t }) => mlpStep(nn, t, W2_SIZES.W2a, 'bn').step, 4],
  ['AlphaDropout fwd+bwd [128, 256]', alphaDropout, 20],
];

function cpuMs(f: () => unknown, reps: number): number {
  const t0 = process.cpuUsage();
  for (let i = 0; i < reps; i++) f();
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / 1000 / reps;
}

const [before, after, blocksArg] = process.argv.slice(2);
if (!before || !after) {
  console.error('usage: compare-trees.ts /path/before /path/after [blocks]');
  process.exit(2);
}
const blocks = Number(blocksArg ?? 20);
const trees = [await load(before), await load(after)];
console.log(
  `| workload | before (ms CPU) | after (ms CPU) | median after/before (${blocks} blocks) |\n|---|---:|---:|---:|`,
);
for (const [name, make, reps] of cases) {
  const [a, b] = trees.map(make);
  cpuMs(a, reps);
  cpuMs(b, reps);
  const [as, bs, ratios] = [[] as number[], [] as number[], [] as number[]];
  for (let k = 0; k < blocks; k++) {
    // Alternate which tree goes first, so neither always runs on a warmer cache.
    const [ta, tb] = k % 2 === 0 ? [cpuMs(a, reps), cpuMs(b, reps)] : [0, cpuMs(b, reps)];
    const ta2 = k % 2 === 0 ? ta : cpuMs(a, reps);
    as.push(ta2);
    bs.push(tb);
    ratios.push(tb / ta2);
  }
  console.log(
    `| ${name} | ${median(as).toFixed(3)} | ${median(bs).toFixed(3)} | ${median(ratios).toFixed(3)} |`,
  );
}
