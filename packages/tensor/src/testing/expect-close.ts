import type { NestedArray } from '../dtype';
import { formatShape } from '../shape';
import { Tensor } from '../tensor';

export interface CloseOptions {
  /** Absolute tolerance (default 1e-6). */
  atol?: number;
  /** Relative tolerance (default 1e-5). */
  rtol?: number;
  /** Treat NaN as equal to NaN (default true). */
  equalNan?: boolean;
}

function flatten(x: Tensor | NestedArray | ArrayLike<number>): {
  values: ArrayLike<number>;
  shape: number[];
} {
  if (x instanceof Tensor) return { values: x.storage, shape: [...x.shape] };
  if (typeof x === 'number') return { values: [x], shape: [] };
  if (!Array.isArray(x)) return { values: x as ArrayLike<number>, shape: [(x as ArrayLike<number>).length] };
  const shape: number[] = [];
  let level: NestedArray = x;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  const values: number[] = [];
  const walk = (v: NestedArray): void => {
    if (Array.isArray(v)) for (const w of v) walk(w);
    else values.push(v);
  };
  walk(x);
  return { values, shape };
}

/**
 * Throws unless `actual` and `expected` have the same shape (a flat expected array only needs the same
 * number of elements) and |a − e| ≤ atol + rtol·|e| elementwise
 * (numpy.allclose); the message names the worst element. Works in any test runner.
 * @example expectClose(softmax(x), [[0.09, 0.2447, 0.6652]], { atol: 1e-4 })
 */
export function expectClose(
  actual: Tensor | NestedArray | ArrayLike<number>,
  expected: Tensor | NestedArray | ArrayLike<number>,
  options: CloseOptions = {},
): void {
  const { atol = 1e-6, rtol = 1e-5, equalNan = true } = options;
  const a = flatten(actual);
  const e = flatten(expected);
  // A flat expected array (or typed array) compares flat values; a Tensor or nested array also its shape.
  const structured = e.shape.length > 1 || expected instanceof Tensor;
  if (a.values.length !== e.values.length || (structured && formatShape(a.shape) !== formatShape(e.shape))) {
    throw new Error(
      `expectClose: shapes differ: actual ${formatShape(a.shape)}, expected ${formatShape(e.shape)}`,
    );
  }
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < a.values.length; i++) {
    const x = a.values[i];
    const y = e.values[i];
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (equalNan && Number.isNaN(x) && Number.isNaN(y)) continue;
      worst = i;
      worstExcess = Number.POSITIVE_INFINITY;
      break;
    }
    if (x === y) continue;
    // An infinity matches only the same infinity (here ∞ − ∞ would make the excess NaN and pass).
    const excess =
      Number.isFinite(x) && Number.isFinite(y) ? Math.abs(x - y) - (atol + rtol * Math.abs(y)) : Infinity;
    if (excess > 0 && (worst < 0 || excess > worstExcess)) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    const x = a.values[worst];
    const y = e.values[worst];
    throw new Error(
      `expectClose: element ${worst} differs: actual ${x}, expected ${y} (|diff| ${Math.abs(x - y)}, ` +
        `allowed ${atol} + ${rtol}·|expected|)`,
    );
  }
}
