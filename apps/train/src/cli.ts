import { readdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** The hidden-layer recipes: the SNN and the paper's baselines. */
export type Activation = 'selu' | 'relu' | 'relu-bn';
/** The optimizers the app offers. */
export type OptimizerName = 'sgd' | 'adam';
/** Learning-rate schedules: constant, or cosine decay from lr to 0 over the run's steps. */
export type Schedule = 'constant' | 'cosine';

/** Everything one training run needs; `out` undefined means a fresh folder under runs/. */
export interface TrainOptions {
  depth: number;
  width: number;
  activation: Activation;
  dropout: number;
  epochs: number;
  batchSize: number;
  lr: number;
  optimizer: OptimizerName;
  momentum: number;
  schedule: Schedule;
  seed: number;
  trainLimit: number;
  testLimit: number;
  statsEvery: number;
  out: string | undefined;
}

/** What the comparison (Figure 1) runs: SNN and ReLU+BatchNorm at each depth, plain SGD. */
export interface CompareOptions {
  depths: number[];
  width: number;
  dropout: number;
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  trainLimit: number;
  testLimit: number;
  out: string | undefined;
}

/** The parsed command line. */
export type Command =
  | { kind: 'help' }
  | { kind: 'train'; options: TrainOptions }
  | { kind: 'resume'; dir: string; epochs: number | undefined }
  | { kind: 'compare'; options: CompareOptions };

/** A command-line mistake; its message says what was wrong and what is accepted. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Defaults of a plain `pnpm train` (measured: see docs/TRAINING.md). */
export const TRAIN_DEFAULTS: Readonly<Omit<TrainOptions, 'out'>> = {
  depth: 8,
  width: 256,
  activation: 'selu',
  dropout: 0.05,
  epochs: 4,
  batchSize: 128,
  lr: 1e-3,
  optimizer: 'adam',
  momentum: 0,
  schedule: 'cosine',
  seed: 1,
  trainLimit: 60_000,
  testLimit: 10_000,
  statsEvery: 50,
};

/** Defaults of `pnpm train --compare` (Figure 1 scaled down to about 30 minutes on 2 cores). */
export const COMPARE_DEFAULTS: Readonly<Omit<CompareOptions, 'out'>> = {
  depths: [8, 16, 32],
  width: 128,
  dropout: 0,
  epochs: 20,
  batchSize: 128,
  lr: 1e-2,
  seed: 1,
  trainLimit: 10_000,
  testLimit: 2_000,
};

type Kind = 'int' | 'number' | 'choice' | 'list' | 'path' | 'bool';
interface FlagSpec {
  kind: Kind;
  /** Short description for --help. */
  help: string;
  /** What is accepted, used in errors and --help. */
  accepts: string;
  check?: (v: number) => boolean;
  choices?: readonly string[];
  /** In which modes the flag is allowed. */
  modes: readonly ('train' | 'compare' | 'resume')[];
}

const T = ['train'] as const;
const TC = ['train', 'compare'] as const;
const ALL = ['train', 'compare', 'resume'] as const;
const intIn = (lo: number, hi: number) => (v: number) => Number.isInteger(v) && v >= lo && v <= hi;

/** Every flag: drives parsing, validation and --help. */
const FLAGS: Record<string, FlagSpec> = {
  depth: {
    kind: 'int',
    help: 'hidden layers',
    accepts: 'an integer in 1..256',
    check: intIn(1, 256),
    modes: T,
  },
  width: {
    kind: 'int',
    help: 'units per hidden layer',
    accepts: 'an integer in 1..8192',
    check: intIn(1, 8192),
    modes: TC,
  },
  activation: {
    kind: 'choice',
    help: 'selu = SNN (LeCun init, AlphaDropout); relu = ReLU, He init; relu-bn = Linear → BatchNorm → ReLU',
    accepts: 'one of selu, relu, relu-bn',
    choices: ['selu', 'relu', 'relu-bn'],
    modes: T,
  },
  dropout: {
    kind: 'number',
    help: 'drop probability after each hidden layer (AlphaDropout for selu, Dropout otherwise); 0 = none',
    accepts: 'a number in [0, 1)',
    check: (v) => v >= 0 && v < 1,
    modes: TC,
  },
  'no-dropout': { kind: 'bool', help: 'same as --dropout 0', accepts: 'no value', modes: TC },
  epochs: {
    kind: 'int',
    help: 'passes over the training set (with --resume: the total to reach)',
    accepts: 'an integer in 1..100000',
    check: intIn(1, 100_000),
    modes: ALL,
  },
  'batch-size': {
    kind: 'int',
    help: 'examples per step',
    accepts: 'an integer in 1..60000',
    check: intIn(1, 60_000),
    modes: TC,
  },
  lr: {
    kind: 'number',
    help: 'learning rate',
    accepts: 'a number > 0 and ≤ 10',
    check: (v) => v > 0 && v <= 10,
    modes: TC,
  },
  optimizer: {
    kind: 'choice',
    help: 'optimizer',
    accepts: 'one of sgd, adam',
    choices: ['sgd', 'adam'],
    modes: T,
  },
  momentum: {
    kind: 'number',
    help: 'SGD momentum (ignored by adam)',
    accepts: 'a number in [0, 1)',
    check: (v) => v >= 0 && v < 1,
    modes: T,
  },
  schedule: {
    kind: 'choice',
    help: 'learning-rate schedule: constant, or cosine decay from --lr to 0 over all steps',
    accepts: 'one of constant, cosine',
    choices: ['constant', 'cosine'],
    modes: T,
  },
  seed: {
    kind: 'int',
    help: 'seed of every random choice (init, shuffling, dropout)',
    accepts: 'an integer in 0..4294967295',
    check: intIn(0, 2 ** 32 - 1),
    modes: TC,
  },
  'train-limit': {
    kind: 'int',
    help: 'use only the first N training images',
    accepts: 'an integer in 1..60000',
    check: intIn(1, 60_000),
    modes: TC,
  },
  'test-limit': {
    kind: 'int',
    help: 'evaluate on only the first N test images',
    accepts: 'an integer in 1..10000',
    check: intIn(1, 10_000),
    modes: TC,
  },
  'stats-every': {
    kind: 'int',
    help: 'record each layer’s activation mean/variance every N steps (0 = once per epoch)',
    accepts: 'an integer in 0..1000000',
    check: intIn(0, 1_000_000),
    modes: T,
  },
  out: {
    kind: 'path',
    help: 'output folder (created; its parent must exist; must be new or empty)',
    accepts: 'a path whose parent folder exists',
    modes: TC,
  },
  resume: {
    kind: 'path',
    help: 'continue the run saved in this folder (its settings are reused; only --epochs may change)',
    accepts: 'a run folder holding checkpoint.safetensors',
    modes: ['resume'],
  },
  compare: {
    kind: 'bool',
    help: 'Figure 1: train SNN and ReLU+BatchNorm at each of --depths with plain SGD, one report',
    accepts: 'no value',
    modes: ['compare'],
  },
  depths: {
    kind: 'list',
    help: 'depths compared by --compare',
    accepts: 'comma-separated integers in 1..256, e.g. 8,16,32',
    check: intIn(1, 256),
    modes: ['compare'],
  },
  help: { kind: 'bool', help: 'print this help and exit', accepts: 'no value', modes: ALL },
};

/** What parseArgs needs to know about the file system (injectable for tests). */
export interface PathProbe {
  kind(path: string): 'missing' | 'file' | 'empty-dir' | 'dir';
}

/** The real file system. */
export const nodePathProbe: PathProbe = {
  kind(path) {
    try {
      const st = statSync(path);
      if (!st.isDirectory()) return 'file';
      return readdirSync(path).length === 0 ? 'empty-dir' : 'dir';
    } catch {
      return 'missing';
    }
  },
};

/**
 * Parses the command line into a {@link Command}, validating every flag; throws {@link UsageError}
 * with a message naming the flag, the value and what is accepted. Accepts `--flag value` and
 * `--flag=value`; a leading `--` (as pnpm may pass) is skipped.
 *
 * @example
 * parseArgs(['--depth', '16', '--lr=3e-4']); // { kind: 'train', options: { depth: 16, lr: 0.0003, … } }
 * parseArgs(['--depth', '0']); // throws UsageError: --depth must be an integer in 1..256; got "0".
 */
export function parseArgs(argv: readonly string[], probe: PathProbe = nodePathProbe): Command {
  const given = new Map<string, string | number | number[] | true>();
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-h') {
      given.set('help', true);
      continue;
    }
    if (!arg.startsWith('--') || arg === '--') {
      throw new UsageError(`unexpected argument "${arg}"; flags start with -- (see --help).`);
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const spec = FLAGS[name];
    if (!spec) throw new UsageError(`unknown flag --${name}; accepted: ${flagList()}.`);
    if (given.has(name)) throw new UsageError(`--${name} is given twice; give it once.`);
    if (spec.kind === 'bool') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value; got "${arg.slice(eq + 1)}".`);
      given.set(name, true);
      continue;
    }
    let raw: string;
    if (eq >= 0) raw = arg.slice(eq + 1);
    else {
      if (i + 1 >= args.length || args[i + 1].startsWith('--')) {
        throw new UsageError(`--${name} needs a value: ${spec.accepts}.`);
      }
      raw = args[++i];
    }
    given.set(name, parseValue(name, spec, raw));
  }
  if (given.has('help')) return { kind: 'help' };
  if (given.has('dropout') && given.has('no-dropout')) {
    throw new UsageError('--dropout and --no-dropout contradict each other; give one.');
  }
  const mode = given.has('resume') ? 'resume' : given.has('compare') ? 'compare' : 'train';
  if (given.has('resume') && given.has('compare'))
    throw new UsageError('--resume and --compare cannot be combined.');
  for (const name of given.keys()) {
    if (!FLAGS[name].modes.includes(mode)) {
      const why =
        mode === 'resume'
          ? 'with --resume the run’s saved settings are used; only --epochs may be given'
          : mode === 'compare'
            ? 'with --compare it is fixed by the comparison (SNN vs ReLU+BatchNorm, plain SGD, --depths)'
            : 'it only applies to --compare';
      throw new UsageError(`--${name} cannot be used here: ${why}.`);
    }
  }

  if (mode === 'resume') {
    const dir = given.get('resume') as string;
    const kind = probe.kind(dir);
    if (kind !== 'dir') {
      throw new UsageError(
        `--resume ${dir}: ${kind === 'missing' ? 'no such folder' : `is ${kind}`}; give ${FLAGS.resume.accepts}.`,
      );
    }
    return { kind: 'resume', dir, epochs: given.get('epochs') as number | undefined };
  }
  const out = given.has('out') ? checkOut(given.get('out') as string, probe) : undefined;
  const dropout = given.has('no-dropout') ? 0 : (given.get('dropout') as number | undefined);
  const pick = <V>(flag: string, dflt: V): V => (given.has(flag) ? (given.get(flag) as V) : dflt);
  if (mode === 'compare') {
    const d = COMPARE_DEFAULTS;
    return {
      kind: 'compare',
      options: {
        depths: pick('depths', d.depths),
        width: pick('width', d.width),
        dropout: dropout ?? d.dropout,
        epochs: pick('epochs', d.epochs),
        batchSize: pick('batch-size', d.batchSize),
        lr: pick('lr', d.lr),
        seed: pick('seed', d.seed),
        trainLimit: pick('train-limit', d.trainLimit),
        testLimit: pick('test-limit', d.testLimit),
        out,
      },
    };
  }
  const d = TRAIN_DEFAULTS;
  return {
    kind: 'train',
    options: {
      depth: pick('depth', d.depth),
      width: pick('width', d.width),
      activation: pick('activation', d.activation),
      dropout: dropout ?? d.dropout,
      epochs: pick('epochs', d.epochs),
      batchSize: pick('batch-size', d.batchSize),
      lr: pick('lr', d.lr),
      optimizer: pick('optimizer', d.optimizer),
      momentum: pick('momentum', d.momentum),
      schedule: pick('schedule', d.schedule),
      seed: pick('seed', d.seed),
      trainLimit: pick('train-limit', d.trainLimit),
      testLimit: pick('test-limit', d.testLimit),
      statsEvery: pick('stats-every', d.statsEvery),
      out,
    },
  };
}

function parseValue(name: string, spec: FlagSpec, raw: string): string | number | number[] {
  const bad = () => new UsageError(`--${name} must be ${spec.accepts}; got "${raw}".`);
  switch (spec.kind) {
    case 'choice':
      if (!spec.choices!.includes(raw)) throw bad();
      return raw;
    case 'path':
      if (raw.trim() === '') throw bad();
      return raw;
    case 'list': {
      const parts = raw.split(',').map((s) => s.trim());
      const nums = parts.map(Number);
      if (parts.some((p) => !/^\d+$/.test(p)) || !nums.every(spec.check!)) throw bad();
      return nums;
    }
    default: {
      const pattern = spec.kind === 'int' ? /^[+-]?\d+$/ : /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
      const v = Number(raw);
      if (!pattern.test(raw.trim()) || !Number.isFinite(v) || !spec.check!(v)) throw bad();
      return v;
    }
  }
}

function checkOut(out: string, probe: PathProbe): string {
  const kind = probe.kind(out);
  if (kind === 'file') throw new UsageError(`--out ${out} is a file; give a folder that is new or empty.`);
  if (kind === 'dir') {
    throw new UsageError(
      `--out ${out} already holds files; give a new or empty folder (or --resume ${out} to continue it).`,
    );
  }
  if (kind === 'missing') {
    const parent = dirname(resolve(out));
    const pk = probe.kind(parent);
    if (pk === 'missing' || pk === 'file') {
      throw new UsageError(
        `--out ${out}: its parent folder ${parent} does not exist; create it first or choose another path.`,
      );
    }
  }
  return out;
}

function flagList(): string {
  return Object.keys(FLAGS)
    .map((f) => `--${f}`)
    .join(' ');
}

/**
 * The --help text: every flag, what it accepts, and its default in each mode.
 *
 * @example
 * console.log(helpText());
 */
export function helpText(): string {
  const dflt = (name: string): string => {
    const key = name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
    const parts: string[] = [];
    const t = (TRAIN_DEFAULTS as Record<string, unknown>)[key];
    const c = (COMPARE_DEFAULTS as Record<string, unknown>)[key];
    if (t !== undefined && FLAGS[name].modes.includes('train')) parts.push(`default ${fmt(t)}`);
    if (c !== undefined && FLAGS[name].modes.includes('compare')) parts.push(`with --compare ${fmt(c)}`);
    if (name === 'out')
      parts.push('default runs/<time>-seed<seed> (compare-<time>-seed<seed> with --compare)');
    return parts.length ? ` [${parts.join('; ')}]` : '';
  };
  const lines = Object.entries(FLAGS).map(([name, spec]) => {
    const left = `  --${name}${spec.kind === 'bool' ? '' : ` <${spec.kind === 'choice' ? spec.choices!.join('|') : spec.kind}>`}`;
    return `${left.padEnd(36)}${spec.help}${dflt(name)}\n${' '.repeat(38)}accepts ${spec.accepts}`;
  });
  return [
    'Train a deep self-normalizing network (SELU + AlphaDropout + LeCun-normal init) on MNIST.',
    '',
    'usage: pnpm train [flags]              train one network (defaults: 8 × 256 SELU, Adam, ≥ 97 % in < 5 min)',
    '       pnpm train --resume <run dir>   continue a saved run to its (or a new) --epochs',
    '       pnpm train --compare [flags]    Figure 1 of the paper: SNN vs ReLU+BatchNorm training loss',
    '',
    'flags (also --flag=value):',
    ...lines,
    '',
    'Writes to --out: checkpoint.safetensors (weights, optimizer and RNG state), config.json,',
    'metrics.json and report.html (self-contained: loss, accuracy, per-layer activation mean/variance).',
  ].join('\n');
}

function fmt(v: unknown): string {
  return Array.isArray(v) ? v.join(',') : String(v);
}
