/** The dropout layers' mask-and-affine step as one primitive: one kernel pass forward, one multiply back. */
import { checkNumber, checkTensor } from '../arg-checks';
import { record } from '../autograd/node';
import { formatShape, shapesEqual } from '../shape';
import type { Tensor } from '../tensor';
import { mul } from './binary';
import { deviceOf, empty } from './util';

/**
 * y = a·x + b where u < threshold, x·0 + c elsewhere (NaN and ±∞ in x still propagate), and ∂y/∂x = a there,
 * 0 elsewhere: AlphaDropout's y = x·where(keep, a, 0) + where(keep, b, c) with keep = u < threshold, in one
 * pass instead of five, to the bit (in float32 the constants are rounded to float32 and the product is rounded
 * before the sum, as the separate ops round them). `u` holds the layer's uniform draws, of x's shape, dtype and
 * device; it is read, not differentiated.
 * @example maskedAffine(x, rand(x.shape, { rng }), 0.95, a, b, a * alphaPrime + b)
 */
export function maskedAffine(
  x: Tensor,
  u: Tensor,
  threshold: number,
  a: number,
  b: number,
  c: number,
): Tensor {
  checkTensor(x, 'maskedAffine', 'x');
  checkTensor(u, 'maskedAffine', 'u');
  for (const [v, name] of [
    [threshold, 'threshold'],
    [a, 'a'],
    [b, 'b'],
    [c, 'c'],
  ] as const)
    checkNumber(v, 'maskedAffine', name);
  if (!shapesEqual(x.shape, u.shape) || x.dtype !== u.dtype) {
    throw new RangeError(
      `maskedAffine: u must have x's shape and dtype (${formatShape(x.shape)}, ${x.dtype}), got ${formatShape(u.shape)}, ${u.dtype}`,
    );
  }
  const device = deviceOf('maskedAffine', x, u);
  const round = x.dtype === 'float32' ? Math.fround : (v: number) => v;
  const out = empty(x.shape, x.dtype, device, false);
  const scale = empty(x.shape, x.dtype, device, false);
  const k = { threshold: round(threshold), a: round(a), b: round(b), c: round(c) };
  device.kernels.maskedAffine(x.buffer, u.buffer, k, out.buffer, scale.buffer);
  const y = record('maskedAffine', out, [x], (g) => [mul(g, scale)], [scale]);
  scale.dispose(); // internal: back to the pool at once without a graph, else once backward() frees it
  return y;
}
