/** Whether operations record the graph. A plain module-level flag: selfnorm's graph building is synchronous. */
let enabled = true;

/** True when new operations are recorded for differentiation (false inside `noGrad`). */
export function isGradEnabled(): boolean {
  return enabled;
}

/**
 * Runs `fn` without recording operations for differentiation, like `torch.no_grad()`.
 * Use for evaluation and for in-place parameter updates. `fn` must be synchronous.
 *
 * @example
 * const y = noGrad(() => model.forward(x)); // y.requiresGrad === false
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/** Runs `fn` with recording switched on (inside a `noGrad`, for example), like `torch.enable_grad()`. */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}

/** Runs `fn` with recording set to `mode`, restoring the previous mode afterwards (also on a throw). */
export function withGradMode<T>(mode: boolean, fn: () => T): T {
  const previous = enabled;
  enabled = mode;
  try {
    const result = fn();
    if (result instanceof Promise) {
      throw new TypeError('noGrad/enableGrad: the function must be synchronous (it returned a Promise)');
    }
    return result;
  } finally {
    enabled = previous;
  }
}
