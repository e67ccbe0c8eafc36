import { TRAIN_COMMAND } from './command.ts';
import { COMPARE_DEFAULTS, DEEP_DEPTH, DEEP_LR, TRAIN_DEFAULTS } from './options.ts';

/** How a flag's value is read. */
export type Kind = 'int' | 'number' | 'choice' | 'list' | 'path' | 'bool';
/** One flag: its kind, its --help line, what it accepts, and the modes that allow it. */
export interface FlagSpec {
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
export const FLAGS: Record<string, FlagSpec> = {
  depth: {
    kind: 'int',
    help: 'hidden layers (mlp only)',
    accepts: 'an integer in 1..256',
    check: intIn(1, 256),
    modes: T,
  },
  model: {
    kind: 'choice',
    help: 'mlp = the deep MLP; cnn = 2 × [conv 3×3 → act → max-pool 2] → Linear(--width) → 10 (its own defaults, see docs/TRAINING.md)',
    accepts: 'one of mlp, cnn',
    choices: ['mlp', 'cnn'],
    modes: T,
  },
  width: {
    kind: 'int',
    help: 'units per hidden layer (cnn: of its hidden Linear layer, default 128)',
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
    help: `learning rate (train: ${DEEP_LR} instead when --depth is above ${DEEP_DEPTH})`,
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
  threads: {
    kind: 'int',
    help: 'threads for matrix products and large SELU passes (default: every core; results are identical for any count)',
    accepts: 'an integer in 1..256',
    check: intIn(1, 256),
    modes: ALL,
  },
  'no-onnx': {
    kind: 'bool',
    help: 'do not write model.onnx (the trained network for ONNX Runtime) when the run is done',
    accepts: 'no value',
    modes: ['train', 'resume'],
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

/** Every flag name, for the unknown-flag error. */
export function flagList(): string {
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
    `usage: ${TRAIN_COMMAND} [flags]              train one network (defaults: 8 × 256 SELU, Adam, ≥ 97 % in < 5 min)`,
    `       ${TRAIN_COMMAND} --resume <run dir>   continue a saved run to its (or a new) --epochs`,
    `       ${TRAIN_COMMAND} --compare [flags]    Figure 1 of the paper: SNN vs ReLU+BatchNorm training loss`,
    '',
    `Deep nets: above ${DEEP_DEPTH} layers the default learning rate is ${DEEP_LR} (a larger Adam step with dropout after`,
    'every layer pushes a 32-layer SNN off its fixed point); --dropout 0 helps further (docs/TRAINING.md).',
    '',
    'flags (also --flag=value):',
    ...lines,
    '',
    'Writes to --out: checkpoint.safetensors (weights, optimizer, schedule and RNG state, metrics),',
    'best.safetensors (the weights of the best epoch), config.json, metrics.json, report.html (self-contained:',
    "loss, accuracy, per-layer activation mean/variance and the weights' ω, τ) and, when the run is done,",
    'model.onnx (for ONNX Runtime; --no-onnx skips it). Results go to stdout, progress to stderr.',
    '',
    'exit codes: 0 done; 1 error (a message says which file and what is intact); 2 bad flags;',
    '            3 the loss became NaN or infinite (the last good checkpoint is kept); 130 stopped by Ctrl-C.',
  ].join('\n');
}

function fmt(v: unknown): string {
  return Array.isArray(v) ? v.join(',') : String(v);
}
