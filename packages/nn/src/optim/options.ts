import { preview } from '../serialize/preview';

/** One hyper-parameter's rule: what it accepts (for messages) and the test. */
export interface OptionRule {
  /** Completes "lr must be …": 'a finite number >= 0'. */
  accepts: string;
  ok: (value: unknown) => boolean;
}

/** The rules of every option an optimizer has, by name. */
export type OptionRules = Record<string, OptionRule>;

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A finite number >= `min` (no strings, no NaN, no ±∞). */
export const finiteAtLeast = (min: number): OptionRule => ({
  accepts: `a finite number >= ${min}`,
  ok: (v) => isFiniteNumber(v) && v >= min,
});

/** Any finite number. */
export const finiteNumber: OptionRule = { accepts: 'a finite number', ok: isFiniteNumber };

/** true or false. */
export const boolean: OptionRule = { accepts: 'a boolean', ok: (v) => typeof v === 'boolean' };

/** Two finite numbers in [0, 1) (Adam's betas). */
export const betaPair: OptionRule = {
  accepts: 'two finite numbers in [0, 1)',
  ok: (v) => Array.isArray(v) && v.length === 2 && v.every((b) => isFiniteNumber(b) && b >= 0 && b < 1),
};

/** "lr must be a finite number >= 0, got -5", or undefined when `value` passes. */
export function ruleProblem(rules: OptionRules, key: string, value: unknown): string | undefined {
  const rule = Object.hasOwn(rules, key) ? rules[key] : undefined;
  if (rule === undefined) return `unknown option '${key}' (options: ${Object.keys(rules).join(', ')})`;
  return rule.ok(value) ? undefined : `${key} must be ${rule.accepts}, got ${preview(value)}`;
}

/**
 * The defaults overlaid with the options given (an `undefined` value keeps the default, as destructuring does);
 * throws a TypeError naming `where` for a non-object or an option name the optimizer does not have.
 */
export function withDefaults<O extends Record<string, unknown>>(
  where: string,
  given: unknown,
  defaults: O,
): O {
  if (given === undefined) return { ...defaults };
  if (typeof given !== 'object' || given === null || Array.isArray(given))
    throw new TypeError(`${where}: options must be an object such as { lr: 0.01 }, got ${preview(given)}`);
  const out: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(given)) {
    if (!Object.hasOwn(defaults, k))
      throw new TypeError(`${where}: unknown option '${k}' (options: ${Object.keys(defaults).join(', ')})`);
    if (v !== undefined) out[k] = v;
  }
  return out as O;
}

/** An array that refuses in-place edits with a message saying what to do instead. */
function lockedArray(where: string, key: string, values: readonly unknown[]): unknown[] {
  return new Proxy(Object.freeze([...values]) as unknown[], {
    set() {
      throw new TypeError(
        `${where}: options.${key} cannot be changed in place; assign a new pair: options.${key} = [...]`,
      );
    },
    defineProperty() {
      throw new TypeError(`${where}: options.${key} cannot be changed in place; assign a new pair`);
    },
  });
}

/** A copy of `value` as stored in options: arrays locked, everything else as is. */
export function stored(where: string, key: string, value: unknown): unknown {
  return Array.isArray(value) ? lockedArray(where, key, value) : value;
}

/**
 * Wraps an optimizer's options so that every assignment is checked with the same rules as the constructor
 * (`options.lr = -5` throws and changes nothing); no option can be added, deleted or redefined.
 */
export function guardOptions<O extends object>(
  where: string,
  target: O,
  rules: OptionRules,
  consistent: (candidate: O) => string | undefined,
): O {
  return new Proxy(target, {
    set(t, key, value) {
      if (typeof key !== 'string') throw new TypeError(`${where}: option keys are strings`);
      const problem = ruleProblem(rules, key, value) ?? consistent({ ...t, [key]: value });
      if (problem !== undefined) throw new RangeError(`${where}: ${problem}`);
      (t as Record<string, unknown>)[key] = stored(where, key, value);
      return true;
    },
    deleteProperty(_t, key) {
      throw new TypeError(`${where}: option '${String(key)}' cannot be deleted`);
    },
    defineProperty(_t, key) {
      throw new TypeError(
        `${where}: option '${String(key)}' cannot be redefined; assign it: options.${String(key)} = …`,
      );
    },
  });
}
