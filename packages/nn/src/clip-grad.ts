import { abs, clamp, max, mul, noGrad, square, sum, Tensor } from '@selfnorm/tensor';
import { preview } from './serialize/preview';

/** Options of `clipGradNorm`. */
export interface ClipGradNormOptions {
  /** The p of the p-norm: a number > 0, or `Infinity` for the largest magnitude. Default 2. */
  normType?: number;
  /** Throw when the total norm is NaN or ±∞ instead of scaling by it. Default false, as PyTorch. */
  errorIfNonfinite?: boolean;
}

/** The parameters that have a gradient, checked; `parameters` is iterated once (it may be a generator). */
function withGrads(parameters: Iterable<Tensor>, where: string): Tensor[] {
  if (parameters === null || typeof (parameters as Iterable<Tensor>)?.[Symbol.iterator] !== 'function')
    throw new TypeError(`${where}: parameters must be an iterable of tensors, such as model.parameters()`);
  const list: Tensor[] = [];
  let i = 0;
  for (const p of parameters) {
    if (!(p instanceof Tensor)) throw new TypeError(`${where}: parameters[${i}] is not a Tensor`);
    if (p.grad !== null) list.push(p);
    i++;
  }
  return list;
}

/**
 * Scales the gradients of `parameters` in place (their `.grad` is replaced by the scaled tensor) so that
 * their combined p-norm — the norm of all gradients concatenated — is at most `maxNorm`, and returns that
 * norm from before the scaling: PyTorch's `torch.nn.utils.clip_grad_norm_`. The scale is
 * min(1, maxNorm / (norm + 1e-6)). Parameters without a gradient are skipped; with none, returns 0.
 * NOTE: as in PyTorch, a NaN or infinite norm is not an error unless `errorIfNonfinite`: the gradients are
 * then multiplied by NaN or 0, which a step with them would spread into the weights; check the returned norm.
 * @example
 * loss.backward();
 * const norm = clipGradNorm(model.parameters(), 1.0);
 * optimizer.step();
 */
export function clipGradNorm(
  parameters: Iterable<Tensor>,
  maxNorm: number,
  { normType = 2, errorIfNonfinite = false }: ClipGradNormOptions = {},
): number {
  const where = 'clipGradNorm';
  const params = withGrads(parameters, where);
  if (typeof maxNorm !== 'number' || Number.isNaN(maxNorm) || maxNorm < 0)
    throw new RangeError(`${where}: maxNorm must be a number >= 0, got ${preview(maxNorm)}`);
  if (typeof normType !== 'number' || !(normType > 0))
    throw new RangeError(`${where}: normType must be a number > 0 or Infinity, got ${preview(normType)}`);
  if (params.length === 0) return 0;
  const total = noGrad(() =>
    totalNorm(
      params.map((p) => p.grad as Tensor),
      normType,
    ),
  );
  if (errorIfNonfinite && !Number.isFinite(total))
    throw new RangeError(
      `${where}: the total norm of order ${normType} of the gradients is ${total}, so they cannot be clipped; ` +
        'find where the loss went non-finite, or pass { errorIfNonfinite: false } to scale anyway',
    );
  const scale = Math.min(maxNorm / (total + 1e-6), 1);
  if (scale < 1 || Number.isNaN(scale)) {
    noGrad(() => {
      for (const p of params) p.grad = mul(p.grad as Tensor, scale);
    });
  }
  return total;
}

function totalNorm(grads: readonly Tensor[], p: number): number {
  if (p === Number.POSITIVE_INFINITY) {
    let m = 0;
    for (const g of grads) {
      const v = g.size === 0 ? 0 : max(abs(g)).item();
      if (Number.isNaN(v)) return Number.NaN;
      m = Math.max(m, v);
    }
    return m;
  }
  let acc = 0;
  for (const g of grads) {
    if (g.size === 0) continue;
    // Each tensor's norm, then the norm of those norms, as PyTorch (the same value, up to rounding).
    const norm = p === 2 ? Math.sqrt(sum(square(g)).item()) : sum(abs(g).pow(p)).item() ** (1 / p);
    acc += norm ** p;
  }
  return acc ** (1 / p);
}

/**
 * Clamps every gradient of `parameters` to [−clipValue, clipValue] (their `.grad` is replaced by the
 * clamped tensor): PyTorch's `torch.nn.utils.clip_grad_value_`. Parameters without a gradient are skipped.
 * @example clipGradValue(model.parameters(), 0.5);
 */
export function clipGradValue(parameters: Iterable<Tensor>, clipValue: number): void {
  const where = 'clipGradValue';
  const params = withGrads(parameters, where);
  if (typeof clipValue !== 'number' || !(clipValue >= 0))
    throw new RangeError(`${where}: clipValue must be a number >= 0, got ${preview(clipValue)}`);
  noGrad(() => {
    for (const p of params) p.grad = clamp(p.grad as Tensor, -clipValue, clipValue);
  });
}
