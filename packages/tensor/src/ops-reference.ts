/**
 * Naive float64 reference implementations used by the op-table test (ops.test.ts): index arithmetic on
 * plain arrays, written independently of the kernels. Not exported from the package.
 */
export interface Ref {
  shape: number[];
  data: number[];
}

export const size = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

/** The multi-index of flat position `i` in `shape`. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}

export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let f = 0;
  for (let d = 0; d < shape.length; d++) f = f * shape[d] + idx[d];
  return f;
}

/** Reads `r` at a multi-index of the broadcast shape (right-aligned, size-1 axes repeat). */
export function at(r: Ref, idx: readonly number[]): number {
  const off = idx.length - r.shape.length;
  const own = r.shape.map((s, d) => (s === 1 ? 0 : idx[d + off]));
  return r.data[ravel(own, r.shape)];
}

export function broadcastShape(...shapes: number[][]): number[] {
  const n = Math.max(...shapes.map((s) => s.length));
  return Array.from({ length: n }, (_, i) =>
    Math.max(...shapes.map((s) => (i < n - s.length ? 1 : s[i - (n - s.length)]))),
  );
}

/** Elementwise map over broadcast inputs. */
export function mapRef(f: (...v: number[]) => number, ...xs: Ref[]): Ref {
  const shape = broadcastShape(...xs.map((x) => x.shape));
  const data = Array.from({ length: size(shape) }, (_, i) => {
    const idx = unravel(i, shape);
    return f(...xs.map((x) => at(x, idx)));
  });
  return { shape, data };
}

/** Reduces `axes` (all if undefined) with `f` over the list of values of each output position. */
export function reduceRef(
  x: Ref,
  axes: number[] | undefined,
  keepDims: boolean,
  f: (v: number[]) => number,
): Ref {
  const ax = (axes ?? x.shape.map((_, i) => i)).map((a) => (a < 0 ? a + x.shape.length : a));
  const keep = x.shape.map((s, d) => (ax.includes(d) ? 1 : s));
  const groups: number[][] = Array.from({ length: size(keep) }, () => []);
  for (let i = 0; i < x.data.length; i++) {
    const idx = unravel(i, x.shape).map((v, d) => (ax.includes(d) ? 0 : v));
    groups[ravel(idx, keep)].push(x.data[i]);
  }
  return { shape: keepDims ? keep : x.shape.filter((_, d) => !ax.includes(d)), data: groups.map(f) };
}

export function matmulRef(a: Ref, b: Ref): Ref {
  const [m, k] = a.shape;
  const n = b.shape[1];
  const data = new Array<number>(m * n).fill(0);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a.data[i * k + p] * b.data[p * n + j];
      data[i * n + j] = s;
    }
  return { shape: [m, n], data };
}

export function permuteRef(x: Ref, dims: number[]): Ref {
  const shape = dims.map((d) => x.shape[d]);
  const data = Array.from({ length: x.data.length }, (_, i) => {
    const idx = unravel(i, shape);
    const src = new Array<number>(dims.length);
    dims.forEach((d, k) => {
      src[d] = idx[k];
    });
    return x.data[ravel(src, x.shape)];
  });
  return { shape, data };
}

export const sumOf = (v: number[]): number => v.reduce((s, x) => s + x, 0);
export const meanOf = (v: number[]): number => sumOf(v) / v.length;
export const varOf = (v: number[], correction = 1): number => {
  const m = meanOf(v);
  return v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - correction);
};
export const lseOf = (v: number[]): number => {
  const m = Math.max(...v);
  return m + Math.log(sumOf(v.map((x) => Math.exp(x - m))));
};

/** log(1 + eˣ) in float64, written directly (no max/abs split): exact enough for |x| ≤ 700. */
export const softplusRef = (x: number): number => (x > 30 ? x + Math.exp(-x) : Math.log1p(Math.exp(x)));

/** torch.index_select: x with axis `axis` replaced by the slices at `indices` (read as a flat list). */
export function indexSelectRef(x: Ref, axis: number, indices: readonly number[]): Ref {
  const a = axis < 0 ? axis + x.shape.length : axis;
  const shape = x.shape.map((s, d) => (d === a ? indices.length : s));
  const data = Array.from({ length: size(shape) }, (_, i) => {
    const idx = unravel(i, shape);
    idx[a] = indices[idx[a]];
    return x.data[ravel(idx, x.shape)];
  });
  return { shape, data };
}
