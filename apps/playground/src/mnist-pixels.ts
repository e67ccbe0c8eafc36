/**
 * Turns a drawing into an MNIST-like 28 × 28 image, as the MNIST digits were made: the ink's bounding box
 * scaled (keeping its aspect) into a 20 × 20 box by area averaging, then placed so that its centre of mass
 * is at the centre of the 28 × 28 field. Source: LeCun et al., "The MNIST database" (yann.lecun.com).
 */

/**
 * `ink` holds `width × height` values in 0..255 (0 = background). Returns 784 values in 0..255, or null
 * when nothing is drawn.
 *
 * @example
 * const pixels = toMnistPixels(alphaChannel, 280, 280); // Float32Array(784) or null
 */
export function toMnistPixels(ink: ArrayLike<number>, width: number, height: number): Float32Array | null {
  if (ink.length !== width * height)
    throw new RangeError(
      `toMnistPixels: ${width}×${height} needs ${width * height} values, got ${ink.length}`,
    );
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (ink[y * width + x] > 0) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
  if (x1 < 0) return null;
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const scale = 20 / Math.max(bw, bh);
  const tw = Math.max(1, Math.round(bw * scale));
  const th = Math.max(1, Math.round(bh * scale));
  // Area averaging: every source pixel adds its ink to the target pixel it falls in.
  const box = new Float64Array(tw * th);
  const hits = new Float64Array(tw * th);
  for (let y = y0; y <= y1; y++) {
    const ty = Math.min(th - 1, Math.floor((y - y0) * scale));
    for (let x = x0; x <= x1; x++) {
      const tx = Math.min(tw - 1, Math.floor((x - x0) * scale));
      box[ty * tw + tx] += ink[y * width + x];
      hits[ty * tw + tx]++;
    }
  }
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < th; y++)
    for (let x = 0; x < tw; x++) {
      const v = hits[y * tw + x] > 0 ? box[y * tw + x] / hits[y * tw + x] : 0;
      box[y * tw + x] = v;
      mass += v;
      mx += v * x;
      my += v * y;
    }
  const ox = Math.round(14 - (mx / mass + 0.5));
  const oy = Math.round(14 - (my / mass + 0.5));
  const out = new Float32Array(784);
  for (let y = 0; y < th; y++)
    for (let x = 0; x < tw; x++) {
      const X = x + ox;
      const Y = y + oy;
      if (X >= 0 && X < 28 && Y >= 0 && Y < 28) out[Y * 28 + X] = Math.min(255, box[y * tw + x]);
    }
  return out;
}
