import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.ts';

const dir = mkdtempSync(join(tmpdir(), 'atomic-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('writes a string, bytes, or chunks, replacing the old file and leaving no temporary file', () => {
    const path = join(dir, 'a.json');
    writeFileAtomic(path, '{"v":1}');
    expect(readFileSync(path, 'utf8')).toBe('{"v":1}');
    writeFileAtomic(path, new Uint8Array([104, 105]));
    expect(readFileSync(path, 'utf8')).toBe('hi');
    writeFileAtomic(path, [new Uint8Array([1, 2]), new Uint8Array(0), new Uint8Array([3])]);
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('leaves the old file intact when the write fails midway', () => {
    const sub = join(dir, 'crash');
    mkdirSync(sub);
    const path = join(sub, 'checkpoint.safetensors');
    writeFileSync(path, 'old checkpoint');
    function* crashing() {
      yield new Uint8Array(1000).fill(7);
      throw new Error('serializer crashed');
    }
    expect(() => writeFileAtomic(path, crashing())).toThrow('serializer crashed');
    expect(readFileSync(path, 'utf8')).toBe('old checkpoint');
    expect(readdirSync(sub)).toEqual(['checkpoint.safetensors']);
  });

  it('leaves the old file intact when the rename fails (target is a folder)', () => {
    const sub = join(dir, 'rename');
    mkdirSync(join(sub, 'target'), { recursive: true });
    writeFileSync(join(sub, 'target', 'inside'), 'keep');
    expect(() => writeFileAtomic(join(sub, 'target'), 'new')).toThrow();
    expect(readFileSync(join(sub, 'target', 'inside'), 'utf8')).toBe('keep');
    expect(readdirSync(sub)).toEqual(['target']);
  });

  it('fails clearly when the folder does not exist', () => {
    expect(() => writeFileAtomic(join(dir, 'missing', 'x'), 'x')).toThrow(/ENOENT/);
  });
});
