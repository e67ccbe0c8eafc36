import { describe, expect, it } from 'vitest';
import { scanHeader } from './header-scan';
import { cut, preview } from './preview';

const limits = { maxDepth: 64, stopAt: 1000 };

describe('scanHeader', () => {
  it('counts top-level keys and measures depth, ignoring brackets and quotes inside strings', () => {
    const scan = scanHeader('{"a":{"s":[1,[2]]},"b\\"[{":"}]","c":[]}', limits);
    expect(scan).toEqual({ topLevelKeys: 3, depth: 4, duplicate: undefined });
  });

  it('finds a repeated key after unescaping, at the top level and in an entry, but not deeper', () => {
    expect(scanHeader('{"a":1,"\\u0061":2}', limits).duplicate).toEqual({ key: 'a', under: null });
    expect(scanHeader('{"t":{"x":1,"y":2,"x":3}}', limits).duplicate).toEqual({ key: 'x', under: 't' });
    expect(scanHeader('{"t":{"x":{"k":1,"k":2}}}', limits).duplicate).toBeUndefined();
    expect(scanHeader('{"t":{"x":1},"u":{"x":1}}', limits).duplicate).toBeUndefined();
  });

  it('stops early past the limits', () => {
    expect(scanHeader(`{"x":${'['.repeat(1e5)}`, limits).depth).toBe(65);
    const many = `{${Array.from({ length: 5000 }, (_, i) => `"k${i}":0`).join(',')}}`;
    expect(scanHeader(many, { maxDepth: 64, stopAt: 10 }).topLevelKeys).toBe(11);
  });
});

describe('preview and cut', () => {
  it('renders values shortly, cut to 100 characters with …', () => {
    expect(preview([1, 'a', null, { k: true }])).toBe('[1,"a",null,{"k":true}]');
    expect(preview('x'.repeat(1e6))).toBe(`"${'x'.repeat(99)}…`);
    expect(preview(new Float32Array(3))).toBe('Float32Array(3)');
    expect(preview(Number.NaN)).toBe('NaN');
    expect(cut('abc', 2)).toBe('ab…');
    expect(cut('abc')).toBe('abc');
  });
});
