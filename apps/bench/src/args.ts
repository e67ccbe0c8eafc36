/** Command-line options of `pnpm bench`. */

/**
 * The frameworks the bench compares. `selfnorm` uses every core (matmul workers); `selfnorm-1t` is the same
 * on one thread; `selfnorm-kernels` calls the float32 kernels directly (W1, W3 only); `selfnorm-webgpu` runs on
 * a hardware WebGPU adapter where there is one (else the table says "no GPU adapter"). The JavaScript peers
 * follow, then PyTorch through the system Python (two threads; one), a reference shown where torch is installed.
 */
export const FRAMEWORKS = [
  'selfnorm',
  'selfnorm-1t',
  'selfnorm-kernels',
  'selfnorm-webgpu',
  'tfjs-cpu',
  'tfjs-wasm',
  'jax-wasm',
  'pytorch',
  'pytorch-1t',
] as const;
export type FrameworkId = (typeof FRAMEWORKS)[number];

/** The peers of "selfnorm ÷ best peer": the JavaScript frameworks only (PyTorch has its own ratio). */
export const JS_PEERS: readonly FrameworkId[] = ['tfjs-cpu', 'tfjs-wasm', 'jax-wasm'];

/**
 * The workloads of issue 5: W1 matmul, W2a/W2b training steps, W3 SELU forward + backward; of issue 14: W4, a
 * CNN training step and conv2d alone.
 */
export const WORKLOADS = ['W1', 'W2a', 'W2b', 'W3', 'W4'] as const;
export type WorkloadId = (typeof WORKLOADS)[number];

export interface BenchOptions {
  /** A short run: few repetitions, n = 256 only for W1. */
  quick: boolean;
  /** Timed repetitions per figure (the median is reported); at least 30 unless quick. */
  reps: number;
  /** Untimed warm-up repetitions before timing. */
  warmup: number;
  workloads: WorkloadId[];
  frameworks: FrameworkId[];
  /** Also write the figures as JSON to this path. */
  json: string | null;
}

const USAGE =
  'usage: pnpm bench [--quick] [--reps N] [--warmup N] [--only W1,W2a,W2b,W3,W4] ' +
  `[--frameworks ${FRAMEWORKS.join(',')}] [--json out.json]`;

function list<T extends string>(value: string, allowed: readonly T[], flag: string): T[] {
  const items = value.split(',').filter((s) => s !== '');
  for (const item of items) {
    if (!allowed.includes(item as T)) {
      throw new RangeError(
        `${flag}: unknown "${item}"; expected a comma-separated subset of ${allowed.join(',')}`,
      );
    }
  }
  return items as T[];
}

function count(value: string | undefined, flag: string, min: number): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) {
    throw new RangeError(`${flag}: expected an integer >= ${min}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/**
 * Parses `pnpm bench` arguments. Defaults: 30 timed reps and at least 3 s of them, after 3 warm-ups and at
 * least 1 s of them (quick: 5 after 1).
 * @example parseArgs(['--quick', '--only', 'W1']) // { quick: true, reps: 5, workloads: ['W1'], ... }
 */
export function parseArgs(argv: readonly string[]): BenchOptions {
  const opts: BenchOptions = {
    quick: false,
    reps: 0,
    warmup: -1,
    workloads: [...WORKLOADS],
    frameworks: [...FRAMEWORKS],
    json: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--':
        break;
      case '--quick':
        opts.quick = true;
        break;
      case '--reps':
        opts.reps = count(value(), flag, 1);
        break;
      case '--warmup':
        opts.warmup = count(value(), flag, 0);
        break;
      case '--only':
        opts.workloads = list(value() ?? '', WORKLOADS, flag);
        break;
      case '--frameworks':
        opts.frameworks = list(value() ?? '', FRAMEWORKS, flag);
        break;
      case '--json':
        opts.json = value() ?? null;
        break;
      case '--help':
      case '-h':
        throw new RangeError(USAGE);
      default:
        throw new RangeError(`unknown argument "${argv[i]}"\n${USAGE}`);
    }
  }
  if (opts.reps === 0) opts.reps = opts.quick ? 5 : 30;
  if (opts.warmup < 0) opts.warmup = opts.quick ? 1 : 3;
  return opts;
}
