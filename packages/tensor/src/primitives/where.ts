import { record } from '../autograd/node';
import { broadcastShapes, broadcastStrides } from '../shape';
import { Tensor } from '../tensor';
import { deviceOf, empty, operands, type TensorLike } from './util';

/**
 * Elementwise select: a where cond ≠ 0, else b; all three broadcast. The gradient flows only into the
 * chosen branch. NOTE: the unchosen branch is still computed, so keep it finite (e.g. `exp(min(x, 0))`):
 * its zero gradient times an infinite local derivative would be NaN.
 *
 * @example where(gt(x, 0), x, mul(x, 0.01)) // leaky ReLU
 */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  if (!(cond instanceof Tensor)) throw new TypeError('where: cond must be a Tensor (nonzero means true)');
  const [x, y, dtype] = operands(a, b, 'where');
  const shape = broadcastShapes(broadcastShapes(cond.shape, x.shape, 'where'), y.shape, 'where');
  const device = deviceOf('where', cond, x, y);
  const out = empty(shape, dtype, device, false);
  const strides = (t: Tensor) => broadcastStrides(t.shape, shape);
  device.kernels.where(
    cond.buffer,
    strides(cond),
    x.buffer,
    strides(x),
    y.buffer,
    strides(y),
    out.buffer,
    shape,
  );
  return record(
    'where',
    out,
    [x, y],
    (g) => [x.requiresGrad ? where(cond, g, 0) : null, y.requiresGrad ? where(cond, 0, g) : null],
    [cond],
  );
}
