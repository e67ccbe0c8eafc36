import type { Rng } from '@selfnorm/tensor';
import { Mlp as TrainMlp } from '../../train/src/model.ts';

/** The three hidden-layer recipes the page trains side by side. */
export type Activation = 'selu' | 'relu' | 'relu-bn';

/** Every recipe, in the order the page shows them. */
export const ACTIVATIONS: readonly Activation[] = ['selu', 'relu', 'relu-bn'];

/** What the page calls each recipe. */
export const ACTIVATION_LABELS: Readonly<Record<Activation, string>> = {
  selu: 'SELU + LeCun (SNN)',
  relu: 'ReLU + He',
  'relu-bn': 'ReLU + BatchNorm',
};

/** The shape of one network: `depth` hidden layers of `width` units with one recipe. */
export interface NetSpec {
  depth: number;
  width: number;
  activation: Activation;
  /** Drop probability after each hidden layer (AlphaDropout for selu, Dropout otherwise); 0 = none. */
  dropout: number;
}

/**
 * The MLP of apps/train itself (`blocks.<i>.linear`, `blocks.<i>.norm`, `head`), so that a checkpoint
 * either app writes loads in the other: `depth` × [Linear → activation → dropout], then Linear → 10
 * logits. 'selu' is the self-normalizing network (LeCun normal N(0, 1/fanIn), SELU, AlphaDropout);
 * 'relu' uses He normal N(0, 2/fanIn); 'relu-bn' puts BatchNorm1d before each ReLU. The page adds its
 * own limits on the spec ({@link checkSpec}).
 *
 * @example
 * const net = new Mlp({ depth: 8, width: 256, activation: 'selu', dropout: 0 }, rng.split(), rng.split());
 * net.forward(x); // [batch, 10]
 */
export class Mlp extends TrainMlp {
  constructor(spec: NetSpec, initRng: Rng, dropoutRng: Rng) {
    checkSpec(spec);
    super(spec, initRng, dropoutRng);
  }
}

/** The largest depth the page offers (the "up to 32"). */
export const MAX_DEPTH = 32;
/** The largest width the page offers. */
export const MAX_WIDTH = 1024;

/**
 * Throws a RangeError naming the field when a spec is out of range: depth 1..32, width 1..1024, dropout
 * in [0, 1), activation one of {@link ACTIVATIONS}.
 *
 * @example
 * checkSpec({ depth: 40, width: 64, activation: 'selu', dropout: 0 }); // RangeError: … depth …
 */
export function checkSpec(spec: NetSpec): void {
  const { depth, width, activation, dropout } = spec;
  if (!Number.isInteger(depth) || depth < 1 || depth > MAX_DEPTH)
    throw new RangeError(`Mlp: depth must be an integer in 1..${MAX_DEPTH}, got ${String(depth)}`);
  if (!Number.isInteger(width) || width < 1 || width > MAX_WIDTH)
    throw new RangeError(`Mlp: width must be an integer in 1..${MAX_WIDTH}, got ${String(width)}`);
  if (!ACTIVATIONS.includes(activation))
    throw new RangeError(
      `Mlp: activation must be one of ${ACTIVATIONS.join(', ')}, got ${String(activation).slice(0, 100)}`,
    );
  if (!(typeof dropout === 'number' && dropout >= 0 && dropout < 1))
    throw new RangeError(`Mlp: dropout is a drop probability in [0, 1), got ${String(dropout)}`);
}
