import { describe, expect, it } from 'vitest';
import { toMnistPixels } from './mnist-pixels.ts';

describe('toMnistPixels', () => {
  it('scales a drawn bar into the 20-pixel box and centres its mass in the 28 × 28 field', () => {
    const w = 280;
    const ink = new Uint8Array(w * w);
    for (let y = 20; y < 220; y++) for (let x = 30; x < 50; x++) ink[y * w + x] = 255; // a vertical bar
    const px = toMnistPixels(ink, w, w)!;
    let mass = 0;
    let mx = 0;
    let my = 0;
    let rows = 0;
    for (let y = 0; y < 28; y++) {
      let any = false;
      for (let x = 0; x < 28; x++) {
        const v = px[y * 28 + x];
        mass += v;
        mx += v * (x + 0.5);
        my += v * (y + 0.5);
        if (v > 0) any = true;
      }
      if (any) rows++;
    }
    expect(rows).toBe(20);
    expect(mx / mass).toBeCloseTo(14, 0);
    expect(my / mass).toBeCloseTo(14, 0);
    expect(Math.max(...px)).toBe(255);
  });

  it('returns null for an empty drawing and names a size mismatch', () => {
    expect(toMnistPixels(new Uint8Array(100), 10, 10)).toBeNull();
    expect(() => toMnistPixels(new Uint8Array(99), 10, 10)).toThrow(/10×10 needs 100 values, got 99/);
  });
});
