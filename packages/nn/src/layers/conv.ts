import {
  type ConvOptions,
  type ConvPadding,
  checkTensor,
  conv1d,
  conv2d,
  type DType,
  type Rng,
  type Tensor,
  zeros,
} from '@selfnorm/tensor';
import { convFans, type Initializer, lecunNormal } from '../init';
import { Module } from '../module';

/** Options of `Conv1d` and `Conv2d` (PyTorch's keyword arguments, plus the initializer). */
export interface ConvLayerOptions {
  /** Default 1. */
  stride?: number | readonly number[];
  /** Zeros on both sides per axis, 'valid' (none) or 'same' (stride 1). Default 0. */
  padding?: ConvPadding;
  /** Default 1. */
  dilation?: number | readonly number[];
  /** Divides inChannels and outChannels. Default 1. */
  groups?: number;
  /** Learn a bias per output channel (initialized to zeros). Default true. */
  bias?: boolean;
  /** The seeded generator of the default initializer; required unless `init` is given. */
  rng?: Rng;
  /**
   * The weight initializer, called as init([O, I/groups, ...k], { fanIn: I/groups·Πk, fanOut: O/groups·Πk, dtype }).
   * Default LeCun normal.
   */
  init?: Initializer;
  /** Default 'float32'. */
  dtype?: DType;
}

/** The shared part of Conv1d and Conv2d: argument checks, the weight [O, I/groups, ...k] and the bias [O]. */
abstract class ConvNd extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: readonly number[];
  readonly options: Readonly<ConvOptions>;
  /** Shape [outChannels, inChannels/groups, ...kernelSize] (PyTorch's layout). */
  weight: Tensor;
  /** Shape [outChannels], or null without a bias. */
  bias: Tensor | null;

  constructor(
    readonly layerName: string,
    dims: number,
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly number[],
    options: ConvLayerOptions,
  ) {
    super();
    const {
      stride = 1,
      padding = 0,
      dilation = 1,
      groups = 1,
      bias = true,
      rng,
      init,
      dtype = 'float32',
    } = options;
    for (const [name, n] of [
      ['inChannels', inChannels],
      ['outChannels', outChannels],
      ['groups', groups],
    ] as const) {
      if (!(Number.isSafeInteger(n) && n > 0)) {
        throw new RangeError(`${layerName}: ${name} must be a positive integer, got ${n}`);
      }
    }
    if (inChannels % groups !== 0 || outChannels % groups !== 0) {
      throw new RangeError(
        `${layerName}: inChannels ${inChannels} and outChannels ${outChannels} must both be divisible by groups ${groups}`,
      );
    }
    const k = typeof kernelSize === 'number' ? new Array<number>(dims).fill(kernelSize) : [...kernelSize];
    if (k.length !== dims || !k.every((v) => Number.isSafeInteger(v) && v > 0)) {
      throw new RangeError(
        `${layerName}: kernelSize must be a positive integer or ${dims} of them, got ${JSON.stringify(kernelSize)}`,
      );
    }
    if (init === undefined && rng === undefined) {
      throw new TypeError(
        `${layerName}: pass { rng } for the default LeCun-normal initialization, or an explicit { init }`,
      );
    }
    const shape = [outChannels, inChannels / groups, ...k];
    const weight = (init ?? lecunNormal({ rng: rng! }))(shape, {
      ...convFans(inChannels, outChannels, k, groups),
      dtype,
    });
    if (weight.ndim !== shape.length || weight.shape.some((d, i) => d !== shape[i])) {
      throw new RangeError(`${layerName}: init returned shape [${weight.shape}], expected [${shape}]`);
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = k;
    this.options = { stride, padding, dilation, groups };
    this.weight = weight.isLeaf ? weight.requireGrad() : weight.detach().requireGrad();
    this.bias = bias ? zeros([outChannels], { dtype: weight.dtype, requiresGrad: true }) : null;
    this.registerParameter('weight', this.weight);
    this.registerParameter('bias', this.bias);
  }

  protected check(x: Tensor, rank: number, layout: string): void {
    checkTensor(x, `${this.layerName}.forward`, 'input');
    if (x.ndim !== rank || x.shape[1] !== this.inChannels) {
      throw new RangeError(
        `${this.layerName}(${this.inChannels}, ${this.outChannels}): expected input ${layout}, got [${x.shape}]`,
      );
    }
  }

  override extraRepr(): string {
    const o = this.options;
    return (
      `${this.inChannels}, ${this.outChannels}, kernelSize=[${this.kernelSize}], stride=${JSON.stringify(o.stride)}, ` +
      `padding=${JSON.stringify(o.padding)}, dilation=${JSON.stringify(o.dilation)}, groups=${o.groups}, bias=${this.bias !== null}`
    );
  }
}

/**
 * A 2-D convolution layer on [N, C, H, W]: y = conv2d(x, W) + b, W of shape [outChannels, inChannels/groups,
 * kH, kW] and b of shape [outChannels] (PyTorch's `nn.Conv2d` layout and stateDict names, so checkpoints
 * interchange).
 * NOTE: the default weight initialization is LeCun normal, N(0, 1/fanIn) with fanIn = inChannels/groups·kH·kW —
 * what self-normalizing CNNs need — not PyTorch's kaiming_uniform(a=√5), U(±1/√fanIn); pass `init` for another
 * (e.g. `heNormal({ rng })` for ReLU), or `lecunUniform` scaled by 1/3 for PyTorch's variance. Biases start at 0.
 * Source: PyTorch's `nn.Conv2d`; Klambauer et al. 2017 for the initialization.
 * @example new Conv2d(1, 32, 3, { rng: new Rng(0) }).forward(images) // [N, 1, 28, 28] → [N, 32, 26, 26]
 */
export class Conv2d extends ConvNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly number[],
    options: ConvLayerOptions = {},
  ) {
    super('Conv2d', 2, inChannels, outChannels, kernelSize, options);
  }

  forward(x: Tensor): Tensor {
    this.check(x, 4, `[N, ${this.inChannels}, H, W]`);
    return conv2d(x, this.weight, this.bias, this.options);
  }
}

/**
 * A 1-D convolution layer on [N, C, L]: y = conv1d(x, W) + b, W of shape [outChannels, inChannels/groups, k]
 * (PyTorch's `nn.Conv1d`). Default initialization LeCun normal with fanIn = inChannels/groups·k (see Conv2d).
 * Source: PyTorch's `nn.Conv1d`.
 * @example new Conv1d(4, 8, 5, { rng: new Rng(0), padding: 'same' }).forward(x) // [N, 4, 100] → [N, 8, 100]
 */
export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: number, options: ConvLayerOptions = {}) {
    super('Conv1d', 1, inChannels, outChannels, kernelSize, options);
  }

  forward(x: Tensor): Tensor {
    this.check(x, 3, `[N, ${this.inChannels}, L]`);
    return conv1d(x, this.weight, this.bias, this.options);
  }
}
