import { gradients } from '../autograd/functional';
import { noGrad } from '../autograd/grad-mode';
import { randn } from '../creation';
import { mul } from '../primitives/binary';
import { sum } from '../primitives/reduce';
import { Rng } from '../random';
import { Tensor } from '../tensor';

export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
  /** Seed of the random upstream gradient (default 0). */
  seed?: number;
  /** Throw when the check fails (default true); otherwise inspect the returned result. */
  raise?: boolean;
}

export interface GradcheckResult {
  ok: boolean;
  /** The input, flat element, analytic and numeric values of the worst mismatch (relative to tolerance). */
  worst: { input: number; index: number; analytic: number; numeric: number; error: number } | null;
}

/**
 * Checks the analytic gradient of `fn` against central differences, like `torch.autograd.gradcheck`.
 * Inputs must be float64. The output is contracted with a random upstream gradient v, so the check covers
 * the whole Jacobian: ∂(v·f)/∂x (analytic, via the engine) vs (v·f(x+ε) − v·f(x−ε)) / 2ε per element.
 * Only inputs with `requiresGrad` are checked.
 *
 * @example gradcheck((a, b) => mul(a, b), [randn([3], { rng, dtype: 'float64', requiresGrad: true }), b])
 */
export function gradcheck(
  fn: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): GradcheckResult {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, seed = 0, raise = true } = options;
  const checked = inputs.map((x, i) => {
    if (!(x instanceof Tensor)) throw new TypeError(`gradcheck: input ${i} is not a Tensor`);
    if (x.requiresGrad && x.dtype !== 'float64') {
      throw new TypeError(`gradcheck: input ${i} is ${x.dtype}; finite differences need float64 inputs`);
    }
    return x.requiresGrad;
  });
  if (!checked.some(Boolean)) throw new Error('gradcheck: no input has requiresGrad; nothing to check');
  const leaves = inputs.map((x) => (x.requiresGrad ? x.detach().requireGrad() : x));
  const out = fn(...leaves);
  const v = randn(out.shape, { rng: new Rng(seed), dtype: 'float64' });
  const project = (t: Tensor) => sum(mul(t, v)).item();
  const wanted = leaves.filter((_, i) => checked[i]);
  const analytic = out.requiresGrad
    ? gradients([out], wanted, { gradOutputs: [v.cast(out.dtype)], allowUnused: true })
    : wanted.map(() => null);
  let worst: GradcheckResult['worst'] = null;
  let k = 0;
  leaves.forEach((x, i) => {
    if (!checked[i]) return;
    const a = analytic[k++];
    for (let j = 0; j < x.size; j++) {
      const orig = x.storage[j];
      x.storage[j] = orig + eps;
      const plus = noGrad(() => project(fn(...leaves)));
      x.storage[j] = orig - eps;
      const minus = noGrad(() => project(fn(...leaves)));
      x.storage[j] = orig;
      const numeric = (plus - minus) / (2 * eps);
      const analyticJ = a ? a.storage[j] : 0;
      const err = Math.abs(analyticJ - numeric) / (atol + rtol * Math.abs(numeric));
      if (!worst || err > worst.error || Number.isNaN(err))
        worst = { input: i, index: j, analytic: analyticJ, numeric, error: err };
    }
  });
  const ok = worst === null || (worst as { error: number }).error <= 1;
  if (!ok && raise) {
    const w = worst as unknown as NonNullable<GradcheckResult['worst']>;
    throw new Error(
      `gradcheck: the gradient of input ${w.input} at element ${w.index} is ${w.analytic} analytically but ` +
        `${w.numeric} by central differences (eps ${eps}, atol ${atol}, rtol ${rtol})`,
    );
  }
  return { ok, worst };
}
