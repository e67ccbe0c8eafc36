/**
 * Argument checks shared by every op: each failure names the function, the argument, what it received
 * (cut to about 100 characters) and what it accepts. Every check costs O(1) or O(rank), never O(size).
 */
import { Tensor } from './tensor';

const MAX_PREVIEW = 100;

/** A bounded preview of a value: never more than about `budget` characters, whatever its size or depth. */
function preview(v: unknown, budget: number, depth: number): string {
  if (typeof v === 'string') {
    const s = JSON.stringify(v.length > budget ? v.slice(0, budget) : v);
    return v.length > budget ? `${s.slice(0, -1)}…"` : s;
  }
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v !== 'object' || v === null) return String(v);
  if (v instanceof Tensor) return `Tensor(shape [${v.shape.join(', ')}], ${v.dtype})`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as ArrayLike<number>).length})`;
  if (depth > 4) return Array.isArray(v) ? '[…]' : '{…}';
  const array = Array.isArray(v);
  const open = array ? '[' : '{';
  const close = array ? ']' : '}';
  const entries = array ? (v as unknown[]) : Object.keys(v);
  let out = open;
  for (let i = 0; i < entries.length; i++) {
    if (out.length >= budget) return `${out}…${close}`;
    const item = array
      ? preview(entries[i], budget - out.length, depth + 1)
      : `${entries[i] as string}: ${preview((v as Record<string, unknown>)[entries[i] as string], budget - out.length, depth + 1)}`;
    out += (i > 0 ? ', ' : '') + item;
  }
  return out.length > budget + 20 ? `${out.slice(0, budget)}…${close}` : out + close;
}

/**
 * A short description of a value for an error message: its kind and a preview cut to about 100
 * characters, e.g. `the string "abc"`, `an array [[1, 2]]`, `Tensor(shape [2, 3], float32)`.
 * @example describeValue([[1, 2]]) // 'an array [[1, 2]]'
 */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (v instanceof Tensor) return `a ${preview(v, MAX_PREVIEW, 0)}`;
  if (Array.isArray(v)) return `an array ${preview(v, MAX_PREVIEW, 0)}`;
  if (ArrayBuffer.isView(v)) return `a ${preview(v, MAX_PREVIEW, 0)}`;
  if (typeof v === 'function') return `a function${v.name ? ` (${v.name})` : ''}`;
  if (typeof v === 'object') {
    const name = Object.getPrototypeOf(v)?.constructor?.name;
    return `${name && name !== 'Object' ? `a ${name} ` : 'an object '}${preview(v, MAX_PREVIEW, 0)}`;
  }
  return `the ${typeof v} ${preview(v, MAX_PREVIEW, 0)}`;
}

/**
 * Returns `value` when it is a Tensor; otherwise throws a TypeError naming the function and the argument
 * (a nested array gets the hint to wrap it with `tensor()`). Use it at the top of any function that takes
 * tensors, so a wrong argument fails at the call.
 * @example checkTensor(x, 'Linear.forward', 'input') // throws "Linear.forward: input must be a Tensor, got an array [[1, 2]] …"
 */
export function checkTensor(value: unknown, fn: string, arg: string): Tensor {
  if (value instanceof Tensor) return value;
  const hint = Array.isArray(value) || typeof value === 'number' ? ' (wrap data with tensor(...))' : '';
  throw new TypeError(`${fn}: ${arg} must be a Tensor, got ${describeValue(value)}${hint}`);
}

/** Throws unless `value` is true or false; returns it. */
export function checkBoolean(value: unknown, fn: string, arg: string): boolean {
  if (value === true || value === false) return value;
  throw new TypeError(`${fn}: ${arg} must be true or false, got ${describeValue(value)}`);
}

/** Throws unless `value` is a safe integer (≥ `min` when given); returns it. */
export function checkInteger(value: unknown, fn: string, arg: string, min?: number): number {
  if (Number.isSafeInteger(value) && (min === undefined || (value as number) >= min)) return value as number;
  const what =
    min === undefined ? 'an integer' : min === 0 ? 'a non-negative integer' : `an integer ≥ ${min}`;
  throw new TypeError(`${fn}: ${arg} must be ${what}, got ${describeValue(value)}`);
}

/** Throws unless `value` is a number (NaN and ±∞ included); returns it. */
export function checkNumber(value: unknown, fn: string, arg: string): number {
  if (typeof value === 'number') return value;
  throw new TypeError(`${fn}: ${arg} must be a number, got ${describeValue(value)}`);
}
