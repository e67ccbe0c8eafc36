/**
 * Weight initializers: variance scaling and its named cases (LeCun, He, Glorot), and constants.
 *
 * Every initializer is a function `(shape, { fanIn, fanOut, dtype }) => Tensor` made by a factory that takes
 * the seeded `Rng`. Layers pass fanIn and fanOut explicitly. Only when they are omitted and the shape is 2-D
 * is the shape read as PyTorch's weight layout [out, in] (fanIn = shape[1], fanOut = shape[0]); any other
 * shape without explicit fans is an error, because guessing fans from a shape is how frameworks get
 * convolution and transposed layouts wrong.
 *
 * The constant initializers are named `zerosInit`, `onesInit` and `constantInit` so that they do not clash
 * with @selfnorm/tensor's `zeros` and `ones` in user code; the `init` object offers all of them under the
 * short names as well (`init.zeros()`, `init.lecunNormal({ rng })`).
 */
import {
  cast,
  type DType,
  full,
  getDefaultDevice,
  mul,
  noGrad,
  type Rng,
  rand,
  randn,
  sub,
  type Tensor,
  tensor,
} from '@selfnorm/tensor';

/** The fans and dtype a layer passes to an initializer. */
export interface InitContext {
  /** Number of inputs feeding each output unit (e.g. inFeatures of a Linear layer). */
  fanIn?: number;
  /** Number of outputs each input feeds (e.g. outFeatures of a Linear layer). */
  fanOut?: number;
  /** Element type of the tensor to create. Default 'float32'. */
  dtype?: DType;
}

/** Creates a tensor of the given shape, e.g. a layer's weight. */
export type Initializer = (shape: readonly number[], context?: InitContext) => Tensor;

/** Which fan the variance is scaled by: fanIn, fanOut, or their mean (fanIn + fanOut) / 2. */
export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';

/** The distribution of variance-scaling draws, all with mean 0 and variance scale / fan. */
export type InitDistribution = 'normal' | 'truncatedNormal' | 'uniform';

/** Options of varianceScaling. */
export interface VarianceScalingOptions {
  /** The seeded generator the draws come from. */
  rng: Rng;
  /** The variance is scale / fan. Default 1. */
  scale?: number;
  /** Default 'fanIn'. */
  mode?: FanMode;
  /** Default 'normal' (untruncated, as the SNN paper and its code use). */
  distribution?: InitDistribution;
}

/**
 * The standard deviation of a standard normal truncated to [−2, 2]: 0.87962566103423978. A truncated
 * normal must draw with σ / 0.8796… to keep the variance it promises (Keras and JAX do; TensorFlow.js does
 * not and delivers 0.774·σ²).
 */
export const TRUNCATED_NORMAL_STD = 0.87962566103423978;

function checkPositiveInteger(name: string, value: number): void {
  if (!(Number.isSafeInteger(value) && value > 0)) {
    throw new RangeError(`initializer: ${name} must be a positive integer, got ${value}`);
  }
}

function fanOf(mode: FanMode, shape: readonly number[], context: InitContext): number {
  const guessable = shape.length === 2;
  const need = (name: 'fanIn' | 'fanOut'): number => {
    const given = context[name];
    if (given !== undefined) {
      checkPositiveInteger(name, given);
      return given;
    }
    if (guessable) return name === 'fanIn' ? shape[1] : shape[0];
    throw new TypeError(
      `initializer: pass ${name} explicitly for shape [${shape.join(', ')}]; fans are read from the shape ` +
        'only for a 2-D [out, in] weight',
    );
  };
  if (mode === 'fanIn') return need('fanIn');
  if (mode === 'fanOut') return need('fanOut');
  return (need('fanIn') + need('fanOut')) / 2;
}

function sizeOfShape(shape: readonly number[]): number {
  if (!Array.isArray(shape))
    throw new TypeError(`initializer: shape must be an array of integers, got ${shape}`);
  let size = 1;
  for (const d of shape) {
    if (!(Number.isSafeInteger(d) && d >= 0)) {
      throw new RangeError(`initializer: shape [${shape.join(', ')}] must hold non-negative integers`);
    }
    size *= d;
  }
  return size;
}

/**
 * The draws `z` (float64, one per element in row-major order, as `randn`/`rand` draw them) mapped to `f(z)` in
 * float64 with tensor ops and rounded once to `dtype`. Outside the graph: the result is a fresh leaf.
 */
function mapped(z: Tensor, dtype: DType, f: (z: Tensor) => Tensor): Tensor {
  const t = noGrad(() => cast(f(z), dtype));
  // Drawn and mapped on the CPU (float64: a GPU has none), then placed on the default device.
  const device = getDefaultDevice();
  return t.device === device ? t : t.to(device);
}

/**
 * Draws weights of mean 0 and variance scale / n, n = fanIn, fanOut or (fanIn + fanOut)/2 by `mode`.
 *
 * normal: N(0, σ²); uniform: U(−√3σ, √3σ); truncatedNormal: N(0, (σ/0.8796…)²) cut at ±2σ/0.8796…, so the
 * variance is still σ². Source: Keras/TF `VarianceScaling` (with the truncation correction that
 * TensorFlow.js omits); He et al. 2015; Glorot & Bengio 2010; LeCun et al. 1998.
 *
 * @example const w = varianceScaling({ rng, scale: 2, mode: 'fanIn' })([256, 784], { fanIn: 784, fanOut: 256 });
 */
export function varianceScaling(options: VarianceScalingOptions): Initializer {
  const { rng, scale = 1, mode = 'fanIn', distribution = 'normal' } = options;
  if (rng === undefined || typeof rng.normal !== 'function') {
    throw new TypeError('varianceScaling: pass a seeded generator, e.g. { rng: new Rng(0) }');
  }
  if (!(Number.isFinite(scale) && scale > 0)) {
    throw new RangeError(`varianceScaling: scale must be a finite number > 0, got ${scale}`);
  }
  if (mode !== 'fanIn' && mode !== 'fanOut' && mode !== 'fanAvg') {
    throw new TypeError(
      `varianceScaling: mode must be 'fanIn', 'fanOut' or 'fanAvg', got ${JSON.stringify(mode)}`,
    );
  }
  if (distribution !== 'normal' && distribution !== 'truncatedNormal' && distribution !== 'uniform') {
    throw new TypeError(
      `varianceScaling: distribution must be 'normal', 'truncatedNormal' or 'uniform', got ${JSON.stringify(distribution)}`,
    );
  }
  return (shape, context = {}) => {
    const sigma = Math.sqrt(scale / fanOf(mode, shape, context));
    const dtype = context.dtype ?? 'float32';
    const size = sizeOfShape(shape);
    const f64 = { rng, dtype: 'float64', device: 'cpu' } as const;
    if (distribution === 'normal') return mapped(randn(shape, f64), dtype, (z) => mul(z, sigma));
    if (distribution === 'uniform') {
      const limit = Math.sqrt(3) * sigma;
      return mapped(rand(shape, f64), dtype, (u) => mul(sub(mul(u, 2), 1), limit));
    }
    // NOTE: rejection sampling keeps |z| ≤ 2 (95.4% accepted); dividing σ by 0.8796… restores the variance.
    // The draws are made on the host, once per tensor (an initializer is not a hot path), into a plain array
    // that tensor() then copies; the rejection loop has no fixed-size tensor form.
    const wide = sigma / TRUNCATED_NORMAL_STD;
    const draws: number[] = [];
    while (draws.length < size) {
      const z = rng.normal();
      if (z >= -2 && z <= 2) draws.push(z);
    }
    return mapped(tensor(draws, { shape, dtype: 'float64', device: 'cpu' }), dtype, (z) => mul(z, wide));
  };
}

/** Options of the named normal initializers. */
export interface NormalInitOptions {
  rng: Rng;
  /** Draw from the 2σ-truncated normal (variance-corrected) instead of the full normal. Default false. */
  truncated?: boolean;
}

/** Options of the named uniform initializers. */
export interface UniformInitOptions {
  rng: Rng;
}

const normalKind = (o: NormalInitOptions): InitDistribution => (o.truncated ? 'truncatedNormal' : 'normal');

/**
 * LeCun normal, N(0, 1/fanIn): the initialization that self-normalizing networks need (ω ≈ 0, τ ≈ 1).
 *
 * Untruncated by default, as in the SNN paper and its code; `truncated: true` cuts at 2σ and divides σ by
 * 0.87962566103423978 so the variance stays 1/fanIn. Source: Klambauer et al. 2017; LeCun et al. 1998.
 * @example const linearInit = lecunNormal({ rng: new Rng(0) }); linearInit([512, 784], { fanIn: 784, fanOut: 512 });
 */
export function lecunNormal(options: NormalInitOptions): Initializer {
  return varianceScaling({ rng: options.rng, scale: 1, mode: 'fanIn', distribution: normalKind(options) });
}

/**
 * LeCun uniform, U(−√(3/fanIn), √(3/fanIn)): variance 1/fanIn.
 * @example lecunUniform({ rng })([10, 20], { fanIn: 20, fanOut: 10 })
 */
export function lecunUniform(options: UniformInitOptions): Initializer {
  return varianceScaling({ rng: options.rng, scale: 1, mode: 'fanIn', distribution: 'uniform' });
}

/**
 * He (Kaiming) normal, N(0, 2/fanIn), for ReLU networks. Source: He et al. 2015.
 * @example heNormal({ rng })([512, 784], { fanIn: 784, fanOut: 512 })
 */
export function heNormal(options: NormalInitOptions): Initializer {
  return varianceScaling({ rng: options.rng, scale: 2, mode: 'fanIn', distribution: normalKind(options) });
}

/**
 * He (Kaiming) uniform, U(−√(6/fanIn), √(6/fanIn)): variance 2/fanIn. Source: He et al. 2015.
 * @example heUniform({ rng })([512, 784], { fanIn: 784, fanOut: 512 })
 */
export function heUniform(options: UniformInitOptions): Initializer {
  return varianceScaling({ rng: options.rng, scale: 2, mode: 'fanIn', distribution: 'uniform' });
}

/**
 * Glorot (Xavier) normal, N(0, 2/(fanIn + fanOut)). Source: Glorot & Bengio 2010.
 * @example glorotNormal({ rng })([10, 784], { fanIn: 784, fanOut: 10 })
 */
export function glorotNormal(options: NormalInitOptions): Initializer {
  return varianceScaling({ rng: options.rng, scale: 1, mode: 'fanAvg', distribution: normalKind(options) });
}

/**
 * Glorot (Xavier) uniform, U(−√(6/(fanIn + fanOut)), √(6/(fanIn + fanOut))). Source: Glorot & Bengio 2010.
 * @example glorotUniform({ rng })([10, 784], { fanIn: 784, fanOut: 10 })
 */
export function glorotUniform(options: UniformInitOptions): Initializer {
  return varianceScaling({ rng: options.rng, scale: 1, mode: 'fanAvg', distribution: 'uniform' });
}

/**
 * Fills with a constant value (fans are ignored).
 * @example constantInit(0.1)([512]) // a bias of 0.1s
 */
export function constantInit(value: number): Initializer {
  if (!Number.isFinite(value))
    throw new RangeError(`constantInit: value must be a finite number, got ${value}`);
  return (shape, context = {}) => {
    sizeOfShape(shape);
    return full(shape, value, { dtype: context.dtype ?? 'float32' });
  };
}

/**
 * Fills with 0 (e.g. biases). Named to avoid clashing with @selfnorm/tensor's `zeros`; also `init.zeros`.
 * @example zerosInit()([512])
 */
export function zerosInit(): Initializer {
  return constantInit(0);
}

/**
 * Fills with 1 (e.g. BatchNorm's scale). Named to avoid clashing with @selfnorm/tensor's `ones`; also `init.ones`.
 * @example onesInit()([512])
 */
export function onesInit(): Initializer {
  return constantInit(1);
}

/**
 * All initializers under short names, PyTorch's `nn.init` style: `init.lecunNormal({ rng })`, `init.zeros()`.
 * @example new Linear(784, 512, { rng, init: init.lecunNormal({ rng }) })
 */
export const init = {
  varianceScaling,
  lecunNormal,
  lecunUniform,
  heNormal,
  heUniform,
  glorotNormal,
  glorotUniform,
  constant: constantInit,
  zeros: zerosInit,
  ones: onesInit,
} as const;

/**
 * The fans of a convolution weight [outChannels, inChannels/groups, ...kernelSize], PyTorch's
 * `_calculate_fan_in_and_fan_out`: fanIn = inChannels/groups · Πk, fanOut = outChannels/groups · Πk
 * (each input feeds outChannels/groups output channels at Πk kernel positions).
 * @example convFans(32, 64, [3, 3]) // { fanIn: 288, fanOut: 576 }
 */
export function convFans(
  inChannels: number,
  outChannels: number,
  kernelSize: readonly number[],
  groups = 1,
): { fanIn: number; fanOut: number } {
  const positions = kernelSize.reduce((p, k) => p * k, 1);
  return { fanIn: (inChannels / groups) * positions, fanOut: (outChannels / groups) * positions };
}
