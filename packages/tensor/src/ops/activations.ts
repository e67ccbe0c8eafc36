/** Elementwise composites: built from primitives only, so they need no kernel and no gradient code. */
import { checkNumber, checkTensor } from '../arg-checks';
import { mul, sub } from '../primitives/binary';
import { gt, lt } from '../primitives/compare';
import { exp } from '../primitives/unary';
import { asTensor, type TensorLike } from '../primitives/util';
import { where } from '../primitives/where';
import type { Tensor } from '../tensor';

/** x². */
export function square(x: Tensor): Tensor {
  checkTensor(x, 'square', 'x');
  return mul(x, x);
}

/**
 * Limits x to [min, max] (either bound may be omitted). NOTE: the gradient is 1 inside the closed interval
 * (bounds included) and 0 outside, as in PyTorch.
 */
export function clamp(x: Tensor, min?: TensorLike, max?: TensorLike): Tensor {
  checkTensor(x, 'clamp', 'x');
  if (min === undefined && max === undefined) throw new TypeError('clamp: give at least one of min and max');
  // A number bound lives where x lives (asTensor makes CPU tensors); a tensor bound must already be there.
  const bound = (b: TensorLike, name: string) => {
    const t = asTensor(b, x.dtype, 'clamp', name);
    return typeof b === 'number' ? t.to(x.device) : t;
  };
  const lo = min === undefined ? undefined : bound(min, 'min');
  const hi = max === undefined ? undefined : bound(max, 'max');
  let out = x;
  if (lo !== undefined) out = where(lt(out, lo), lo, out);
  if (hi !== undefined) out = where(gt(out, hi), hi, out);
  return out;
}

// relu is a primitive (one pass each way); re-exported here beside the other activations.
export { relu } from '../primitives/unary';

/**
 * ELU: x for x > 0, α(eˣ − 1) otherwise (Clevert et al., 2016). The negative branch exponentiates 0 for x > 0 so
 * large inputs never overflow; the gradient at 0 is α (the negative branch), as in PyTorch.
 */
export function elu(x: Tensor, alpha = 1): Tensor {
  checkTensor(x, 'elu', 'x');
  checkNumber(alpha, 'elu', 'alpha');
  // where(x > 0, 0, x) rather than minimum(x, 0): a tie in minimum would halve the gradient at 0.
  const negative = where(gt(x, 0), 0, x);
  return where(gt(x, 0), x, mul(sub(exp(negative), 1), alpha));
}

// softplus is a primitive (its gradient, sigmoid, is smooth at every order); re-exported here beside the
// other activations.
export { softplus } from '../primitives/unary';
