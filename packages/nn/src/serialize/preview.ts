/** The longest preview of a value that an error message carries. */
export const PREVIEW_CHARS = 100;

/** Containers deeper than this are shown as `[…]` / `{…}`, so no value can overflow the stack. */
const PREVIEW_DEPTH = 4;

/**
 * A short JSON-like rendering of any value for an error message: at most `max` characters (then "…"), containers
 * below a few levels shown as `[…]`, so neither a 2 MB string nor a 100,000-deep array reaches the message
 * (JSON.stringify of the latter throws `RangeError: Maximum call stack size exceeded`).
 * @example preview('x'.repeat(1e6)) // '"xxxx…' (101 characters)
 */
export function preview(value: unknown, max = PREVIEW_CHARS): string {
  const parts: string[] = [];
  let length = 0;
  const emit = (s: string): boolean => {
    parts.push(s);
    length += s.length;
    return length <= max;
  };
  const walk = (v: unknown, depth: number): boolean => {
    if (typeof v === 'string') return emit(JSON.stringify(v.length > max ? v.slice(0, max + 1) : v));
    if (typeof v === 'bigint') return emit(`${v}n`);
    if (v === null || typeof v !== 'object') {
      return emit(typeof v === 'function' ? 'a function' : String(v));
    }
    if (ArrayBuffer.isView(v)) {
      const n = (v as unknown as { length?: number }).length ?? v.byteLength;
      return emit(`${v.constructor.name}(${n})`);
    }
    const isArray = Array.isArray(v);
    if (depth >= PREVIEW_DEPTH) return emit(isArray ? '[…]' : '{…}');
    if (!emit(isArray ? '[' : '{')) return false;
    const keys = isArray ? null : Object.keys(v);
    const n = isArray ? (v as unknown[]).length : keys!.length;
    for (let i = 0; i < n; i++) {
      if (i > 0 && !emit(',')) return false;
      if (isArray) {
        if (!walk((v as unknown[])[i], depth + 1)) return false;
      } else {
        if (!emit(`${JSON.stringify(keys![i].slice(0, max + 1))}:`)) return false;
        if (!walk((v as Record<string, unknown>)[keys![i]], depth + 1)) return false;
      }
    }
    return emit(isArray ? ']' : '}');
  };
  walk(value, 0);
  const text = parts.join('');
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * `text` cut to `max` characters, with "…" when it was longer.
 * @example cut('abc', 2) // 'ab…'
 */
export function cut(text: string, max = PREVIEW_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
