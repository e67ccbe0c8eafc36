/**
 * Convolution as three primitives closed under differentiation: the convolution y = conv(x, w) and its two
 * adjoints, dx = convᵀ_x(gy, w) (the transposed convolution) and dw = convᵀ_w(x, gy). Each is bilinear, so the
 * VJP of each is written with the other two (any order of derivatives). Forward values come from the device's
 * `ConvKernels`.
 */
import { record } from '../autograd/node';
import type { Conv2dGeometry } from '../device/device';
import { promote } from '../dtype';
import { owned } from '../memory';
import { formatShape } from '../shape';
import type { Tensor } from '../tensor';
import { deviceOf, empty } from './util';
import { cast } from './view';

/** A fresh tensor on `like`'s device whose buffer the kernel writes completely. */
function output(shape: readonly number[], like: Tensor): Tensor {
  return empty(shape, like.dtype, like.device, false);
}

/** Both operands in their promoted dtype (a VJP may see a gradient of another dtype), on one device. */
function same(a: Tensor, b: Tensor): [Tensor, Tensor] {
  deviceOf('conv2d', a, b);
  const d = promote(a.dtype, b.dtype);
  return [cast(a, d), cast(b, d)];
}

const xShape = (g: Conv2dGeometry) => [g.batch, g.inChannels, g.inH, g.inW];
const wShape = (g: Conv2dGeometry) => [g.outChannels, g.inChannels / g.groups, g.kH, g.kW];
const yShape = (g: Conv2dGeometry) => [g.batch, g.outChannels, g.outH, g.outW];

function expect(t: Tensor, shape: number[], op: string, arg: string): void {
  if (t.ndim !== 4 || t.shape.some((d, i) => d !== shape[i])) {
    throw new RangeError(`${op}: ${arg} must have shape ${formatShape(shape)}, got ${formatShape(t.shape)}`);
  }
}

/**
 * y = conv(x, w) over a checked geometry, no bias (x [N, C, H, W], w [O, C/groups, kH, kW], same dtype).
 * VJP: ∂x = convᵀ_x(g, w), ∂w = convᵀ_w(x, g).
 */
export function convolve(x0: Tensor, w0: Tensor, geometry: Conv2dGeometry): Tensor {
  const [x, w] = same(x0, w0);
  expect(x, xShape(geometry), 'conv2d', 'x');
  expect(w, wShape(geometry), 'conv2d', 'weight');
  const out = output(yShape(geometry), x);
  out.device.kernels.conv2d(x.buffer, w.buffer, out.buffer, geometry);
  return record('conv2d', out, [x, w], (g) => [
    x.requiresGrad ? owned(convInputAdjoint(g, w, geometry)) : null,
    w.requiresGrad ? owned(convWeightAdjoint(x, g, geometry)) : null,
  ]);
}

/**
 * dx = convᵀ_x(gy, w): the adjoint of conv in x (a transposed convolution), of x's shape. Since
 * ⟨h, convᵀ_x(gy, w)⟩ = ⟨conv(h, w), gy⟩, its VJP for upstream h is ∂gy = conv(h, w), ∂w = convᵀ_w(h, gy).
 */
export function convInputAdjoint(gy0: Tensor, w0: Tensor, geometry: Conv2dGeometry): Tensor {
  const [gy, w] = same(gy0, w0);
  expect(gy, yShape(geometry), 'conv2d backward', 'the output gradient');
  const out = output(xShape(geometry), gy);
  out.device.kernels.conv2dBackInput(gy.buffer, w.buffer, out.buffer, geometry);
  return record('conv2dBackInput', out, [gy, w], (h) => [
    gy.requiresGrad ? owned(convolve(h, w, geometry)) : null,
    w.requiresGrad ? owned(convWeightAdjoint(h, gy, geometry)) : null,
  ]);
}

/**
 * dw = convᵀ_w(x, gy): the adjoint of conv in w, of w's shape. Since ⟨H, convᵀ_w(x, gy)⟩ = ⟨conv(x, H), gy⟩,
 * its VJP for upstream H is ∂x = convᵀ_x(gy, H), ∂gy = conv(x, H).
 */
export function convWeightAdjoint(x0: Tensor, gy0: Tensor, geometry: Conv2dGeometry): Tensor {
  const [x, gy] = same(x0, gy0);
  expect(gy, yShape(geometry), 'conv2d backward', 'the output gradient');
  const out = output(wShape(geometry), x);
  out.device.kernels.conv2dBackWeight(x.buffer, gy.buffer, out.buffer, geometry);
  return record('conv2dBackWeight', out, [x, gy], (h) => [
    x.requiresGrad ? owned(convInputAdjoint(gy, h, geometry)) : null,
    gy.requiresGrad ? owned(convolve(x, h, geometry)) : null,
  ]);
}
