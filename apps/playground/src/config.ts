import { ACTIVATIONS, type Activation, checkSpec, MAX_DEPTH } from './model.ts';

/** The optimizers the page offers. */
export type OptimizerName = 'adam' | 'sgd';

/** Everything a training run of the page needs; the networks share all of it but the activation. */
export interface TrainConfig {
  depth: number;
  width: number;
  /** AlphaDropout (SNN) or Dropout rate after each hidden layer; 0 = none. */
  dropout: number;
  optimizer: OptimizerName;
  lr: number;
  batchSize: number;
  seed: number;
  /** The networks that train side by side on the same batches. */
  nets: Activation[];
}

/** The page's defaults: the SNN of apps/train, with its two baselines beside it. */
export const DEFAULT_CONFIG: Readonly<TrainConfig> = {
  depth: 8,
  width: 128,
  dropout: 0,
  optimizer: 'adam',
  lr: 1e-3,
  batchSize: 128,
  seed: 1,
  nets: ['selu', 'relu', 'relu-bn'],
};

/** What the page's URL may ask for: a config, and the test hook `?autostart&steps=N`. */
export interface PageParams {
  config: TrainConfig;
  /** Start training at once. */
  autostart: boolean;
  /** Stop after this many steps (then evaluate on the whole test split and show `done`); null = run on. */
  steps: number | null;
}

function intParam(q: URLSearchParams, name: string, lo: number, hi: number, fallback: number): number {
  const raw = q.get(name);
  if (raw === null) return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < lo || v > hi)
    throw new RangeError(`?${name}= must be an integer in ${lo}..${hi}, got '${raw.slice(0, 100)}'`);
  return v;
}

function numParam(q: URLSearchParams, name: string, lo: number, hi: number, fallback: number): number {
  const raw = q.get(name);
  if (raw === null) return fallback;
  const v = Number(raw);
  if (!(raw.trim() !== '' && v >= lo && v < hi))
    throw new RangeError(`?${name}= must be a number in [${lo}, ${hi}), got '${raw.slice(0, 100)}'`);
  return v;
}

/**
 * Reads the page's URL query: depth, width, dropout, optimizer (adam|sgd), lr, batch, seed, nets
 * (comma-separated: selu,relu,relu-bn), autostart and steps. A bad value throws a RangeError naming it.
 *
 * @example
 * parseParams('?autostart&steps=200&nets=selu').steps; // 200
 */
export function parseParams(search: string): PageParams {
  const q = new URLSearchParams(search);
  const d = DEFAULT_CONFIG;
  const optimizer = q.get('optimizer') ?? d.optimizer;
  if (optimizer !== 'adam' && optimizer !== 'sgd')
    throw new RangeError(`?optimizer= must be adam or sgd, got '${optimizer.slice(0, 100)}'`);
  const netsRaw = q.get('nets');
  const nets = netsRaw === null ? [...d.nets] : netsRaw.split(',').filter((s) => s !== '');
  const bad = nets.find((n) => !ACTIVATIONS.includes(n as Activation));
  if (bad !== undefined || nets.length === 0 || new Set(nets).size !== nets.length)
    throw new RangeError(
      `?nets= must list distinct networks among ${ACTIVATIONS.join(', ')}, got '${String(netsRaw).slice(0, 100)}'`,
    );
  const config: TrainConfig = {
    depth: intParam(q, 'depth', 1, MAX_DEPTH, d.depth),
    width: intParam(q, 'width', 1, 1024, d.width),
    dropout: numParam(q, 'dropout', 0, 1, d.dropout),
    optimizer,
    lr: numParam(q, 'lr', Number.MIN_VALUE, 10, d.lr),
    batchSize: intParam(q, 'batch', 1, 4096, d.batchSize),
    seed: intParam(q, 'seed', 0, 2 ** 31 - 1, d.seed),
    nets: nets as Activation[],
  };
  checkSpec({ ...config, activation: 'selu' });
  const steps = q.has('steps') ? intParam(q, 'steps', 0, 1_000_000, 0) : null;
  return { config, autostart: q.has('autostart'), steps };
}
