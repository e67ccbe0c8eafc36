/** What one pass over a header's JSON text found, before `JSON.parse` builds any object. */
export interface HeaderScan {
  /** Keys of the top-level object: tensor names plus `__metadata__` (counting stops past `stopAt`). */
  topLevelKeys: number;
  /** The deepest nesting of objects and arrays seen (scanning stops past `maxDepth`). */
  depth: number;
  /** The first key given twice in the header or in one of its entries, and the entry (null for the top level). */
  duplicate?: { key: string; under: string | null };
}

/**
 * Walks JSON text once with an explicit stack (no recursion, so any nesting is safe), counting the top-level keys,
 * measuring the nesting depth and finding a key repeated within one object. `JSON.parse` keeps the last of two equal
 * keys without a word; this sees both. Keys are compared after unescaping (`"\u0061"` equals `"a"`). Meant for text
 * that `JSON.parse` then accepts: on malformed text the counts are only indicative.
 * @example scanHeader('{"a":1,"a":2}', { maxDepth: 64, stopAt: 10 }).duplicate // { key: 'a', under: null }
 */
export function scanHeader(
  text: string,
  { maxDepth, stopAt }: { maxDepth: number; stopAt: number },
): HeaderScan {
  const stack: (Set<string> | null)[] = []; // a Set of the keys so far for an object, null for an array
  let expectKey = false;
  let topLevelKeys = 0;
  let depth = 0;
  let currentTop: string | null = null;
  let duplicate: HeaderScan['duplicate'];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      let escaped = false;
      while (j < text.length) {
        const d = text.charCodeAt(j);
        if (d === 0x22) break;
        if (d === 0x5c) {
          escaped = true;
          j++;
        }
        j++;
      }
      const keys = stack[stack.length - 1];
      if (keys instanceof Set && expectKey) {
        let key: string;
        try {
          key = escaped ? JSON.parse(text.slice(i, j + 1)) : text.slice(i + 1, j);
        } catch {
          key = text.slice(i + 1, j);
        }
        // Deeper objects are never read (a metadata value must be a string), so only two levels count.
        if (stack.length <= 2 && keys.has(key))
          duplicate ??= { key, under: stack.length === 1 ? null : currentTop };
        keys.add(key);
        if (stack.length === 1) {
          currentTop = key;
          if (++topLevelKeys > stopAt) break;
        }
        expectKey = false;
      }
      i = j;
    } else if (c === 0x7b || c === 0x5b) {
      stack.push(c === 0x7b ? new Set() : null);
      expectKey = c === 0x7b;
      if (stack.length > depth && (depth = stack.length) > maxDepth) break;
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c) {
      expectKey = stack[stack.length - 1] instanceof Set;
    }
  }
  return { topLevelKeys, depth, duplicate };
}
