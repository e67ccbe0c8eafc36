import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32';

/** The textbook bit-at-a-time CRC-32, the reference the sliced one is checked against. */
function crc32Bitwise(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('crc32', () => {
  it('gives the standard check values', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(new TextEncoder().encode('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });

  it('matches the bitwise reference at every length and offset around the 8-byte blocks', () => {
    const data = new Uint8Array(67);
    let x = 12345;
    for (let i = 0; i < data.length; i++) data[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
    for (let start = 0; start < 9; start++) {
      for (let end = start; end <= data.length; end++) {
        const part = data.subarray(start, end);
        expect(crc32(part)).toBe(crc32Bitwise(part));
      }
    }
  });

  it('hashes 10 MB fast (well under 100 ms; ~10 ms measured)', () => {
    const data = new Uint8Array(10_000_000).map((_, i) => (i * 2654435761) >>> 24);
    crc32(data.subarray(0, 1 << 16)); // warm up
    const t = performance.now();
    const c = crc32(data);
    const ms = performance.now() - t;
    expect(c).toBe(crc32Bitwise(data.subarray(0, 10_000_000)));
    expect(ms).toBeLessThan(100);
  });
});
