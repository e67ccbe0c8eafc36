import { describe, expect, it } from 'vitest';
import { type PathProbe, parseArgs, UsageError } from './cli.ts';
import { helpText } from './flags.ts';
import { COMPARE_DEFAULTS, DEEP_DEPTH, DEEP_LR, TRAIN_DEFAULTS } from './options.ts';

/** A fake file system: /runs exists and is empty, /runs/old holds a run, /file is a file. */
const probe: PathProbe = {
  kind(path) {
    if (path === '/' || path === '/runs' || path === '/empty') return path === '/runs' ? 'dir' : 'empty-dir';
    if (path === '/runs/old') return 'dir';
    if (path === '/file') return 'file';
    return 'missing';
  },
};
const parse = (...argv: string[]) => parseArgs(argv, probe);
const train = (...argv: string[]) => {
  const c = parse(...argv);
  if (c.kind !== 'train') throw new Error(`expected train, got ${c.kind}`);
  return c.options;
};

describe('parseArgs: values', () => {
  it('gives the defaults with no flags', () => {
    expect(parse()).toEqual({ kind: 'train', options: { ...TRAIN_DEFAULTS, out: undefined }, onnx: true });
    expect(parse('--no-onnx')).toMatchObject({ kind: 'train', onnx: false });
  });

  it('reads every train flag, in both --flag value and --flag=value forms', () => {
    const o = train(
      '--depth',
      '16',
      '--width=64',
      '--activation',
      'relu-bn',
      '--dropout',
      '0.1',
      '--epochs',
      '3',
      '--batch-size',
      '32',
      '--lr',
      '3e-4',
      '--optimizer',
      'sgd',
      '--momentum',
      '0.9',
      '--schedule',
      'constant',
      '--seed',
      '42',
      '--train-limit',
      '1000',
      '--test-limit',
      '500',
      '--stats-every',
      '0',
      '--out',
      '/runs/new',
    );
    expect(o).toEqual({
      model: 'mlp',
      depth: 16,
      width: 64,
      activation: 'relu-bn',
      dropout: 0.1,
      epochs: 3,
      batchSize: 32,
      lr: 3e-4,
      optimizer: 'sgd',
      momentum: 0.9,
      schedule: 'constant',
      seed: 42,
      trainLimit: 1000,
      testLimit: 500,
      statsEvery: 0,
      out: '/runs/new',
    });
  });

  it('skips a leading -- and maps --no-dropout to dropout 0', () => {
    expect(train('--', '--no-dropout').dropout).toBe(0);
    expect(train('--activation', 'selu', '--dropout', '0').dropout).toBe(0);
  });

  it('returns help for --help and -h, whatever else is given', () => {
    expect(parse('--help')).toEqual({ kind: 'help' });
    expect(parse('--depth', '4', '-h')).toEqual({ kind: 'help' });
  });

  it('parses --compare with its own defaults and --depths', () => {
    expect(parse('--compare')).toEqual({ kind: 'compare', options: { ...COMPARE_DEFAULTS, out: undefined } });
    const c = parse('--compare', '--depths', '2,4', '--epochs', '2', '--lr', '0.1');
    expect(c.kind === 'compare' && [c.options.depths, c.options.epochs, c.options.lr]).toEqual([
      [2, 4],
      2,
      0.1,
    ]);
  });

  it('parses --resume with an optional new total of epochs', () => {
    expect(parse('--resume', '/runs/old')).toEqual({
      kind: 'resume',
      dir: '/runs/old',
      epochs: undefined,
      onnx: true,
    });
    expect(parse('--resume', '/runs/old', '--epochs', '9')).toEqual({
      kind: 'resume',
      dir: '/runs/old',
      epochs: 9,
      onnx: true,
    });
  });
});

describe('parseArgs: errors say what is accepted', () => {
  const cases: [string[], RegExp][] = [
    [['--depth', '0'], /--depth must be an integer in 1..256; got "0"/],
    [['--depth', '2.5'], /--depth must be an integer in 1..256; got "2.5"/],
    [['--width', 'wide'], /--width must be an integer in 1..8192; got "wide"/],
    [['--lr', '-1'], /--lr must be a number > 0 and ≤ 10; got "-1"/],
    [['--lr', '1e-3x'], /--lr must be a number > 0/],
    [['--lr', ''], /--lr must be a number > 0/],
    [['--dropout', '1'], /--dropout must be a number in \[0, 1\); got "1"/],
    [['--activation', 'tanh'], /--activation must be one of selu, relu, relu-bn; got "tanh"/],
    [['--schedule', 'step'], /--schedule must be one of constant, cosine; got "step"/],
    [['--optimizer', 'rmsprop'], /--optimizer must be one of sgd, adam; got "rmsprop"/],
    [['--seed', '-3'], /--seed must be an integer in 0..4294967295/],
    [['--train-limit', '60001'], /--train-limit must be an integer in 1..60000; got "60001"/],
    [['--frobnicate'], /unknown flag --frobnicate; accepted: --depth .*--help/],
    [['depth'], /unexpected argument "depth"/],
    [['--depth'], /--depth needs a value: an integer in 1..256/],
    [['--depth', '--width', '3'], /--depth needs a value/],
    [['--depth', '3', '--depth', '4'], /--depth is given twice/],
    [['--compare=yes'], /--compare takes no value/],
    [['--dropout', '0.1', '--no-dropout'], /contradict/],
    [['--out', '/nope/run'], /--out \/nope\/run: its parent folder \/nope does not exist/],
    [['--out', '/file'], /--out \/file is a file/],
    [
      ['--out', '/file/sub'],
      /^--out \/file\/sub: \/file is a file, not a folder; choose a path inside a folder\.$/,
    ],
    [['--out', '/file/sub/run'], /--out \/file\/sub\/run: \/file is a file, not a folder/],
    [['--out', '/runs/old'], /already holds files; .*--resume \/runs\/old/],
    [['--resume', '/runs/missing'], /--resume \/runs\/missing: no such folder/],
    [
      ['--resume', '/runs/old', '--depth', '3'],
      /--depth cannot be used here: with --resume .* only --epochs/,
    ],
    [['--compare', '--activation', 'relu'], /--activation cannot be used here: with --compare/],
    [['--depths', '8,16'], /--depths cannot be used here: it only applies to --compare/],
    [['--compare', '--depths', '8,,16'], /--depths must be comma-separated integers/],
    [['--compare', '--resume', '/runs/old'], /cannot be combined/],
  ];
  it.each(cases)('%j → %s', (argv, message) => {
    expect(() => parse(...argv)).toThrow(UsageError);
    expect(() => parse(...argv)).toThrow(message);
  });

  it('resolves relative --out and --resume paths against the given working folder', () => {
    expect(parseArgs(['--out', 'fresh'], probe, '/runs')).toEqual({
      kind: 'train',
      options: { ...TRAIN_DEFAULTS, out: '/runs/fresh' },
      onnx: true,
    });
    expect(parseArgs(['--resume', 'old'], probe, '/runs')).toEqual({
      kind: 'resume',
      dir: '/runs/old',
      epochs: undefined,
      onnx: true,
    });
    expect(() => parseArgs(['--out', 'x/y'], probe, '/runs')).toThrow(
      /parent folder \/runs\/x does not exist/,
    );
  });

  it('accepts an --out that is an empty folder or a new folder in an existing parent', () => {
    expect(train('--out', '/empty').out).toBe('/empty');
    expect(train('--out', '/runs/fresh').out).toBe('/runs/fresh');
  });
});

describe('helpText', () => {
  it('documents every flag with what it accepts and the defaults', () => {
    const text = helpText();
    for (const flag of [
      'depth',
      'width',
      'activation',
      'dropout',
      'no-dropout',
      'epochs',
      'batch-size',
      'lr',
      'optimizer',
      'momentum',
      'schedule',
      'seed',
      'train-limit',
      'test-limit',
      'stats-every',
      'out',
      'resume',
      'compare',
      'depths',
      'help',
    ]) {
      expect(text).toContain(`--${flag}`);
    }
    expect(text).toContain(`default ${TRAIN_DEFAULTS.depth}`);
    expect(text).toContain(`with --compare ${COMPARE_DEFAULTS.depths.join(',')}`);
    expect(text).toContain('accepts one of selu, relu, relu-bn');
  });
});

describe('parseArgs: --threads', () => {
  it('is absent by default and read in every mode', () => {
    expect(parse()).not.toHaveProperty('threads');
    expect(parse('--threads', '2')).toMatchObject({ kind: 'train', threads: 2 });
    expect(parse('--compare', '--threads=1')).toMatchObject({ kind: 'compare', threads: 1 });
    expect(parse('--resume', '/runs/old', '--threads', '3')).toMatchObject({ kind: 'resume', threads: 3 });
  });
  it('refuses a count that is not a positive integer, saying what is accepted', () => {
    expect(() => parse('--threads', '0')).toThrow(/--threads must be an integer in 1\.\.256; got "0"/);
    expect(() => parse('--threads', '1.5')).toThrow(UsageError);
  });
});

describe('parseArgs: the default learning rate follows the depth', () => {
  it(`is ${TRAIN_DEFAULTS.lr} up to ${DEEP_DEPTH} layers and ${DEEP_LR} beyond, unless --lr is given`, () => {
    expect(train('--depth', String(DEEP_DEPTH)).lr).toBe(TRAIN_DEFAULTS.lr);
    expect(train('--depth', '32').lr).toBe(DEEP_LR);
    expect(train('--depth', '32', '--lr', '0.002').lr).toBe(0.002);
  });
});
