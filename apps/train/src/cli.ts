import { readdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import { FLAGS, type FlagSpec, flagList } from './flags.ts';
import {
  CNN_DEFAULTS,
  COMPARE_DEFAULTS,
  type CompareOptions,
  DEEP_DEPTH,
  DEEP_LR,
  type ModelKind,
  TRAIN_DEFAULTS,
  type TrainOptions,
} from './options.ts';

/** The parsed command line. */
export type Command =
  | { kind: 'help' }
  | { kind: 'train'; options: TrainOptions; threads?: number; onnx: boolean }
  | { kind: 'resume'; dir: string; epochs: number | undefined; threads?: number; onnx: boolean }
  | { kind: 'compare'; options: CompareOptions; threads?: number };

/** A command-line mistake; its message says what was wrong and what is accepted. */
export class UsageError extends Error {
  override name = 'UsageError';
}

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
 * `--flag=value`; a leading `--` (as pnpm may pass) is skipped. The paths of --out and --resume are
 * resolved against `cwd` (main passes the folder the user typed the command in) and returned absolute.
 *
 * @example
 * parseArgs(['--depth', '16', '--lr=3e-4']); // { kind: 'train', options: { depth: 16, lr: 0.0003, … } }
 * parseArgs(['--depth', '0']); // throws UsageError: --depth must be an integer in 1..256; got "0".
 */
export function parseArgs(
  argv: readonly string[],
  probe: PathProbe = nodePathProbe,
  cwd: string = process.cwd(),
): Command {
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

  // How many threads run matrix products: a property of the process, not of the run (not saved).
  const threads = given.has('threads') ? { threads: given.get('threads') as number } : {};
  if (mode === 'resume') {
    const dir = resolve(cwd, given.get('resume') as string);
    const kind = probe.kind(dir);
    if (kind !== 'dir') {
      throw new UsageError(
        `--resume ${dir}: ${kind === 'missing' ? 'no such folder' : `is ${kind}`}; give ${FLAGS.resume.accepts}.`,
      );
    }
    return {
      kind: 'resume',
      dir,
      epochs: given.get('epochs') as number | undefined,
      ...threads,
      onnx: !given.has('no-onnx'),
    };
  }
  const out = given.has('out') ? checkOut(resolve(cwd, given.get('out') as string), probe) : undefined;
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
      ...threads,
    };
  }
  const model = pick<ModelKind>('model', 'mlp');
  if (model === 'cnn' && given.has('depth')) {
    throw new UsageError(
      '--depth cannot be used with --model cnn: the CNN has two conv blocks (--width sets its hidden layer).',
    );
  }
  const d = model === 'cnn' ? CNN_DEFAULTS : TRAIN_DEFAULTS;
  const depth = pick('depth', d.depth);
  return {
    kind: 'train',
    options: {
      model,
      depth,
      width: pick('width', d.width),
      activation: pick('activation', d.activation),
      dropout: dropout ?? d.dropout,
      epochs: pick('epochs', d.epochs),
      batchSize: pick('batch-size', d.batchSize),
      lr: pick('lr', model === 'mlp' && depth > DEEP_DEPTH ? DEEP_LR : d.lr),
      optimizer: pick('optimizer', d.optimizer),
      momentum: pick('momentum', d.momentum),
      schedule: pick('schedule', d.schedule),
      seed: pick('seed', d.seed),
      trainLimit: pick('train-limit', d.trainLimit),
      testLimit: pick('test-limit', d.testLimit),
      statsEvery: pick('stats-every', d.statsEvery),
      out,
    },
    ...threads,
    onnx: !given.has('no-onnx'),
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
    const parent = dirname(out);
    // The nearest ancestor that exists says what is wrong: a missing folder, or a file in the way.
    let above = parent;
    while (probe.kind(above) === 'missing' && dirname(above) !== above) above = dirname(above);
    if (probe.kind(above) === 'file') {
      throw new UsageError(`--out ${out}: ${above} is a file, not a folder; choose a path inside a folder.`);
    }
    if (above !== parent) {
      throw new UsageError(
        `--out ${out}: its parent folder ${parent} does not exist; create it first or choose another path.`,
      );
    }
  }
  return out;
}
