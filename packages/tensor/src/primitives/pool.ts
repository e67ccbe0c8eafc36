/**
 * 2-D max and average pooling (PyTorch's F.max_pool2d / F.avg_pool2d) on [N, C, H, W] or [C, H, W]. Max pooling
 * is one kernel pass that also finds each window's first maximal element; its gradient is a scatter-add to
 * those elements (differentiable again: scatterAdd's VJP is a gather). Average pooling is linear: the
 * primitive and its adjoint are each other's VJP.
 */
import { checkBoolean, checkTensor } from '../arg-checks';
import { record } from '../autograd/node';
import type { Pool2dGeometry } from '../device/device';
import { owned } from '../memory';
import { spatial } from '../ops/conv';
import { formatShape } from '../shape';
import type { Tensor } from '../tensor';
import { scatterAdd } from './gather';
import { empty } from './util';
import { reshape } from './view';

/** Options of `maxPool2d` (PyTorch's keyword arguments). */
export interface MaxPool2dOptions {
  /** Default: the kernel size. */
  stride?: number | readonly number[];
  /** −∞ padding on both sides, at most half the kernel. Default 0. */
  padding?: number | readonly number[];
  /** Spacing of the window's taps. Default 1. */
  dilation?: number | readonly number[];
  /** Round the output size up (a last window may start in the right padding or beyond). Default false. */
  ceilMode?: boolean;
}

/** Options of `avgPool2d` (PyTorch's keyword arguments). */
export interface AvgPool2dOptions {
  /** Default: the kernel size. */
  stride?: number | readonly number[];
  /** Zero padding on both sides, at most half the kernel. Default 0. */
  padding?: number | readonly number[];
  /** Round the output size up. Default false. */
  ceilMode?: boolean;
  /** Divide by the window size including padding (true, the default) or by the in-bounds count. */
  countIncludePad?: boolean;
}

/** PyTorch's pooling_output_shape: floor or ceil, and a last window must start inside the input or left padding. */
function outSize(size: number, k: number, pad: number, stride: number, dil: number, ceil: boolean): number {
  const span = size + 2 * pad - dil * (k - 1) - 1;
  let out = Math.floor((span + (ceil ? stride - 1 : 0)) / stride) + 1;
  if (ceil && (out - 1) * stride >= size + pad) out--;
  return out;
}

/** The checked geometry of a pooling of x ([N, C, H, W] or [C, H, W]). */
export function poolGeometry(
  x: Tensor,
  kernelSize: number | readonly number[],
  options: MaxPool2dOptions,
  op: string,
): Pool2dGeometry {
  if (x.ndim !== 3 && x.ndim !== 4) {
    throw new RangeError(`${op}: x must be [N, C, H, W] or [C, H, W], got shape ${formatShape(x.shape)}`);
  }
  const kk = spatial(kernelSize, 2, op, 'kernelSize', 1);
  const s = spatial(options.stride ?? kk, 2, op, 'stride', 1);
  const p = spatial(options.padding ?? 0, 2, op, 'padding', 0);
  const d = spatial(options.dilation ?? 1, 2, op, 'dilation', 1);
  const ceil = checkBoolean(options.ceilMode ?? false, op, 'ceilMode');
  for (let i = 0; i < 2; i++) {
    if (p[i] > Math.floor(kk[i] / 2)) {
      throw new RangeError(
        `${op}: padding ${p[i]} must be at most half the kernel size ${kk[i]} (x ${formatShape(x.shape)})`,
      );
    }
  }
  const H = x.shape[x.ndim - 2];
  const W = x.shape[x.ndim - 1];
  const outH = outSize(H, kk[0], p[0], s[0], d[0], ceil);
  const outW = outSize(W, kk[1], p[1], s[1], d[1], ceil);
  if (outH < 1 || outW < 1) {
    throw new RangeError(
      `${op}: the (dilated) kernel ${d[0] * (kk[0] - 1) + 1}×${d[1] * (kk[1] - 1) + 1} is larger than the padded input ` +
        `${H + 2 * p[0]}×${W + 2 * p[1]} (x ${formatShape(x.shape)})`,
    );
  }
  return {
    planes: x.size / (H * W || 1),
    inH: H,
    inW: W,
    outH,
    outW,
    kH: kk[0],
    kW: kk[1],
    strideH: s[0],
    strideW: s[1],
    padH: p[0],
    padW: p[1],
    dilationH: d[0],
    dilationW: d[1],
  };
}

const outShape = (x: Tensor, g: Pool2dGeometry) => [...x.shape.slice(0, -2), g.outH, g.outW];

/**
 * The maximum of each window of x ([N, C, H, W] or [C, H, W]); −∞ padding. The gradient goes to the first
 * maximal element of each window (row-major order), as PyTorch's; NaN propagates. Differentiable to any order.
 * Source: https://pytorch.org/docs/stable/generated/torch.nn.functional.max_pool2d.html
 * @example maxPool2d(features, 2) // [N, 64, 24, 24] → [N, 64, 12, 12]
 */
export function maxPool2d(
  x: Tensor,
  kernelSize: number | readonly number[],
  options: MaxPool2dOptions = {},
): Tensor {
  checkTensor(x, 'maxPool2d', 'x');
  const g = poolGeometry(x, kernelSize, options, 'maxPool2d');
  const P = g.outH * g.outW;
  const out = empty(outShape(x, g), x.dtype, x.device, false);
  const index = empty([g.planes, P], x.dtype, x.device, false);
  x.device.kernels.maxPool2d(x.buffer, out.buffer, index.buffer, g);
  return record(
    'maxPool2d',
    out,
    [x],
    (grad) => [
      owned(reshape(scatterAdd([g.planes, g.inH * g.inW], 1, index, reshape(grad, [g.planes, P])), x.shape)),
    ],
    [index],
  );
}

function avgOptions(options: AvgPool2dOptions): boolean {
  return checkBoolean(options.countIncludePad ?? true, 'avgPool2d', 'countIncludePad');
}

/**
 * The mean of each window of x ([N, C, H, W] or [C, H, W]), zero padding; the divisor is the window clipped to
 * the padded input (countIncludePad, the default) or the count of in-bounds elements. Linear, so
 * differentiable to any order. Source: https://pytorch.org/docs/stable/generated/torch.nn.functional.avg_pool2d.html
 * @example avgPool2d(features, 2, { stride: 2 }) // [N, 64, 24, 24] → [N, 64, 12, 12]
 */
export function avgPool2d(
  x: Tensor,
  kernelSize: number | readonly number[],
  options: AvgPool2dOptions = {},
): Tensor {
  checkTensor(x, 'avgPool2d', 'x');
  const g = poolGeometry(x, kernelSize, { ...options, dilation: 1 }, 'avgPool2d');
  return averagePool(x, g, avgOptions(options));
}

function averagePool(x: Tensor, g: Pool2dGeometry, includePad: boolean): Tensor {
  const out = empty(outShape(x, g), x.dtype, x.device, false);
  x.device.kernels.avgPool2d(x.buffer, out.buffer, g, includePad);
  return record(
    'avgPool2d',
    out,
    [x],
    (grad) => [owned(averagePoolAdjoint(grad, x.shape, g, includePad))],
    [],
  );
}

function averagePoolAdjoint(
  grad: Tensor,
  shape: readonly number[],
  g: Pool2dGeometry,
  includePad: boolean,
): Tensor {
  const dx = empty(shape, grad.dtype, grad.device, false);
  grad.device.kernels.avgPool2dBackward(grad.buffer, dx.buffer, g, includePad);
  return record('avgPool2dBackward', dx, [grad], (h) => [owned(averagePool(h, g, includePad))], []);
}
