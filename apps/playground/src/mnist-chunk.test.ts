import { describe, expect, it } from 'vitest';
import { concatSlices, decodeChunk, encodeChunk, isGzip } from './mnist-chunk.ts';

const slice = (count: number, label: number) => ({
  images: new Uint8Array(count * 784).fill(label * 10),
  labels: new Uint8Array(count).fill(label),
  count,
});

describe('MNIST chunks', () => {
  it('round-trips images and labels', () => {
    const back = decodeChunk(encodeChunk(slice(3, 7)));
    expect(back.count).toBe(3);
    expect(Array.from(back.labels)).toEqual([7, 7, 7]);
    expect(back.images.length).toBe(3 * 784);
    expect(back.images[3 * 784 - 1]).toBe(70);
  });

  it('refuses a truncated chunk, a foreign file and a bad label, saying which', () => {
    const bytes = encodeChunk(slice(2, 1));
    expect(() => decodeChunk(bytes.subarray(0, bytes.length - 1), 'train-0.bin')).toThrow(
      'decodeChunk: train-0.bin holds 1585 bytes, but 2 images need 1586',
    );
    expect(() => decodeChunk(new Uint8Array([0x1f, 0x8b, 8, 0]))).toThrow(/does not start with 'SNM1'/);
    const bad = encodeChunk(slice(2, 1));
    bad[17] = 12;
    expect(() => decodeChunk(bad)).toThrow('decodeChunk: chunk: label 12 at 1; labels are 0..9');
  });

  it('joins slices in order and recognises gzip by its magic bytes', () => {
    const joined = concatSlices([slice(1, 2), slice(2, 5)]);
    expect(Array.from(joined.labels)).toEqual([2, 5, 5]);
    expect(joined.images[0]).toBe(20);
    expect(joined.images[784]).toBe(50);
    expect(isGzip(new Uint8Array([0x1f, 0x8b, 8]))).toBe(true);
    expect(isGzip(encodeChunk(slice(1, 0)))).toBe(false);
  });
});
