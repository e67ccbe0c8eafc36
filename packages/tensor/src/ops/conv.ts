/** conv2d and conv1d (PyTorch's F.conv2d/F.conv1d): the convolution primitive plus a broadcast bias. */
import { checkInteger, checkTensor, describeValue } from '../arg-checks';
import type { Conv2dGeometry } from '../device/device';
import { add } from '../primitives/binary';
import { convolve } from '../primitives/conv';
import { reshape } from '../primitives/view';
import { formatShape } from '../shape';
import type { Tensor } from '../tensor';

/** A size per spatial axis: one number for all, or one per axis ([h, w] for 2-D). */
export type SpatialSize = number | readonly number[];

/** Convolution padding: zeros on both sides (per axis), 'valid' (none) or 'same' (output size = input size, stride 1). */
export type ConvPadding = SpatialSize | 'same' | 'valid';

/** Options of `conv2d` and `conv1d` (PyTorch's keyword arguments). */
export interface ConvOptions {
  /** Default 1. */
  stride?: SpatialSize;
  /** Default 0. 'same' pads dilation·(k − 1) in all, the extra one after (as PyTorch), and needs stride 1. */
  padding?: ConvPadding;
  /** Spacing of the kernel taps. Default 1. */
  dilation?: SpatialSize;
  /** Input and output channels split into this many independent groups. Default 1. */
  groups?: number;
}

/** `value` as `dims` integers ≥ `min`, or an error naming the op and the option. */
export function spatial(value: unknown, dims: number, op: string, name: string, min: number): number[] {
  const list = typeof value === 'number' ? new Array<number>(dims).fill(value) : value;
  if (
    Array.isArray(list) &&
    list.length === dims &&
    list.every((v) => Number.isSafeInteger(v) && (v as number) >= min)
  ) {
    return list as number[];
  }
  const what = min === 0 ? 'a non-negative integer' : `an integer ≥ ${min}`;
  throw new RangeError(
    `${op}: ${name} must be ${what} or an array of ${dims} of them, got ${describeValue(value)}`,
  );
}

/**
 * The checked geometry of a convolution of x [N, C, H, W] by w [O, C/groups, kH, kW]; `op` names the caller
 * and `dims` how many spatial axes it speaks of (1 for conv1d, whose H axis is a dummy of size 1).
 */
export function convGeometry(
  x: Tensor,
  w: Tensor,
  options: ConvOptions,
  op: string,
  dims: 1 | 2,
): Conv2dGeometry {
  const { stride = 1, padding = 0, dilation = 1, groups = 1 } = options;
  const s = spatial(stride, dims, op, 'stride', 1);
  const d = spatial(dilation, dims, op, 'dilation', 1);
  checkInteger(groups, op, 'groups', 1);
  const [N, C, H, W] = x.shape;
  const [O, I, kH, kW] = w.shape;
  const shapes = `input ${formatShape(dims === 1 ? [N, C, W] : x.shape)}, weight ${formatShape(dims === 1 ? [O, I, kW] : w.shape)}`;
  if (C !== I * groups) {
    throw new RangeError(
      `${op}: the input has ${C} channels but the weight expects weight.shape[1]·groups = ${I}·${groups} = ${I * groups} (${shapes})`,
    );
  }
  if (O % groups !== 0) {
    throw new RangeError(`${op}: out channels ${O} are not divisible by groups ${groups} (${shapes})`);
  }
  const dil = dims === 1 ? [1, d[0]] : d;
  const str = dims === 1 ? [1, s[0]] : s;
  const span = [dil[0] * (kH - 1), dil[1] * (kW - 1)];
  let before: number[];
  let after: number[];
  if (padding === 'valid') before = after = [0, 0];
  else if (padding === 'same') {
    if (str[0] !== 1 || str[1] !== 1) {
      throw new RangeError(`${op}: padding 'same' needs stride 1, got stride ${JSON.stringify(stride)}`);
    }
    before = span.map((t) => Math.floor(t / 2));
    after = span.map((t, i) => t - before[i]);
  } else {
    const p = spatial(padding, dims, op, "padding (or 'same'/'valid')", 0);
    before = after = dims === 1 ? [0, p[0]] : p;
  }
  const paddedH = H + before[0] + after[0];
  const paddedW = W + before[1] + after[1];
  if (span[0] + 1 > paddedH || span[1] + 1 > paddedW) {
    const kernel = dims === 1 ? `${span[1] + 1}` : `${span[0] + 1}×${span[1] + 1}`;
    const input = dims === 1 ? `${paddedW}` : `${paddedH}×${paddedW}`;
    throw new RangeError(
      `${op}: the (dilated) kernel ${kernel} is larger than the padded input ${input} (${shapes})`,
    );
  }
  return {
    batch: N,
    inChannels: C,
    inH: H,
    inW: W,
    outChannels: O,
    kH,
    kW,
    outH: Math.floor((paddedH - span[0] - 1) / str[0]) + 1,
    outW: Math.floor((paddedW - span[1] - 1) / str[1]) + 1,
    strideH: str[0],
    strideW: str[1],
    padH: before[0],
    padW: before[1],
    dilationH: dil[0],
    dilationW: dil[1],
    groups,
  };
}

function checkRank(t: Tensor, rank: number, op: string, arg: string, layout: string): void {
  if (t.ndim !== rank) {
    throw new RangeError(`${op}: ${arg} must be ${rank}-D ${layout}, got shape ${formatShape(t.shape)}`);
  }
}

function withBias(y: Tensor, bias: Tensor | null | undefined, op: string, spatialDims: number): Tensor {
  if (bias === undefined || bias === null) return y;
  checkTensor(bias, op, 'bias');
  const O = y.shape[1];
  if (bias.ndim !== 1 || bias.shape[0] !== O) {
    throw new RangeError(
      `${op}: bias must have shape [${O}] (one per output channel), got ${formatShape(bias.shape)}`,
    );
  }
  return add(y, reshape(bias, [O, ...new Array<number>(spatialDims).fill(1)]));
}

/**
 * 2-D convolution (cross-correlation, as in every framework) of x [N, C, H, W] with w [O, C/groups, kH, kW]
 * plus an optional bias [O]: y[n,o,i,j] = b[o] + Σ_{c,p,q} x[n, g·C/groups + c, i·sH − padH + p·dH,
 * j·sW − padW + q·dW]·w[o,c,p,q], zeros outside x. Output [N, O, outH, outW], outH = ⌊(H + 2·padH −
 * dH·(kH − 1) − 1)/sH⌋ + 1. Differentiable in x, w and bias to any order (the gradients are the
 * transposed convolutions). Source: https://pytorch.org/docs/stable/generated/torch.nn.functional.conv2d.html
 * @example conv2d(images, weight, bias, { padding: 1 }) // [N, 1, 28, 28] · [32, 1, 3, 3] → [N, 32, 28, 28]
 */
export function conv2d(x: Tensor, w: Tensor, bias?: Tensor | null, options: ConvOptions = {}): Tensor {
  checkTensor(x, 'conv2d', 'x');
  checkTensor(w, 'conv2d', 'weight');
  checkRank(x, 4, 'conv2d', 'x', '[N, C, H, W]');
  checkRank(w, 4, 'conv2d', 'weight', '[O, C/groups, kH, kW]');
  const y = convolve(x, w, convGeometry(x, w, options, 'conv2d', 2));
  return withBias(y, bias, 'conv2d', 2);
}

/**
 * 1-D convolution of x [N, C, L] with w [O, C/groups, k] plus an optional bias [O] (PyTorch's F.conv1d):
 * the 2-D convolution over a height of 1. Output [N, O, ⌊(L + 2·pad − d·(k − 1) − 1)/s⌋ + 1].
 * Source: https://pytorch.org/docs/stable/generated/torch.nn.functional.conv1d.html
 * @example conv1d(signal, weight, null, { padding: 'same' }) // [N, 4, 100] · [8, 4, 5] → [N, 8, 100]
 */
export function conv1d(x: Tensor, w: Tensor, bias?: Tensor | null, options: ConvOptions = {}): Tensor {
  checkTensor(x, 'conv1d', 'x');
  checkTensor(w, 'conv1d', 'weight');
  checkRank(x, 3, 'conv1d', 'x', '[N, C, L]');
  checkRank(w, 3, 'conv1d', 'weight', '[O, C/groups, k]');
  const [N, C, L] = x.shape;
  const [O, I, K] = w.shape;
  const x4 = reshape(x, [N, C, 1, L]);
  const w4 = reshape(w, [O, I, 1, K]);
  const y = convolve(x4, w4, convGeometry(x4, w4, options, 'conv1d', 1));
  return withBias(reshape(y, [N, O, y.shape[3]]), bias, 'conv1d', 1);
}
