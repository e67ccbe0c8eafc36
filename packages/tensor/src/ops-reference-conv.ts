/**
 * Naive float64 references for the convolution, pooling and padding ops of the op table (ops.test.ts),
 * written independently of the kernels: pad the input into a plain array first, then slide the window.
 * Not exported from the package.
 */
import type { Ref } from './ops-reference';

const pair = (v: number | number[]): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);

/** x [N, C, H, W] padded with `fill` by (top, bottom, left, right). */
function padded(x: Ref, t: number, b: number, l: number, r: number, fill: number) {
  const [N, C, H, W] = x.shape;
  const Hp = H + t + b;
  const Wp = W + l + r;
  const data = new Array<number>(N * C * Hp * Wp).fill(fill);
  for (let q = 0; q < N * C; q++)
    for (let i = 0; i < H; i++)
      for (let j = 0; j < W; j++) data[(q * Hp + i + t) * Wp + j + l] = x.data[(q * H + i) * W + j];
  return { data, Hp, Wp };
}

export interface ConvRefOptions {
  stride?: number | number[];
  padding?: number | number[] | 'same';
  dilation?: number | number[];
  groups?: number;
}

/** conv2d by definition on a padded copy. */
export function conv2dRef(x: Ref, w: Ref, bias: Ref | null, o: ConvRefOptions = {}): Ref {
  const [N, C, ,] = x.shape;
  const [O, I, kH, kW] = w.shape;
  const [sH, sW] = pair(o.stride ?? 1);
  const [dH, dW] = pair(o.dilation ?? 1);
  const groups = o.groups ?? 1;
  let pads: [number, number, number, number];
  if (o.padding === 'same') {
    const th = dH * (kH - 1);
    const tw = dW * (kW - 1);
    pads = [Math.floor(th / 2), th - Math.floor(th / 2), Math.floor(tw / 2), tw - Math.floor(tw / 2)];
  } else {
    const [pH, pW] = pair(o.padding ?? 0);
    pads = [pH, pH, pW, pW];
  }
  const p = padded(x, pads[0], pads[1], pads[2], pads[3], 0);
  const oH = Math.floor((p.Hp - dH * (kH - 1) - 1) / sH) + 1;
  const oW = Math.floor((p.Wp - dW * (kW - 1) - 1) / sW) + 1;
  const data: number[] = [];
  for (let n = 0; n < N; n++)
    for (let oc = 0; oc < O; oc++) {
      const grp = Math.floor(oc / (O / groups));
      for (let i = 0; i < oH; i++)
        for (let j = 0; j < oW; j++) {
          let s = bias ? bias.data[oc] : 0;
          for (let c = 0; c < I; c++)
            for (let a = 0; a < kH; a++)
              for (let b = 0; b < kW; b++) {
                const xi = ((n * C + grp * I + c) * p.Hp + i * sH + a * dH) * p.Wp + j * sW + b * dW;
                s += p.data[xi] * w.data[((oc * I + c) * kH + a) * kW + b];
              }
          data.push(s);
        }
    }
  return { shape: [N, O, oH, oW], data };
}

/** conv1d as conv2d over a height of 1. */
export function conv1dRef(x: Ref, w: Ref, bias: Ref | null, o: ConvRefOptions = {}): Ref {
  const one = (v: number | number[] | 'same' | undefined, d: number) =>
    v === undefined ? undefined : v === 'same' ? 'same' : [d, typeof v === 'number' ? v : v[0]];
  const y = conv2dRef(
    { shape: [x.shape[0], x.shape[1], 1, x.shape[2]], data: x.data },
    { shape: [w.shape[0], w.shape[1], 1, w.shape[2]], data: w.data },
    bias,
    {
      stride: one(o.stride, 1) as number[] | undefined,
      padding: one(o.padding, 0) as number[] | 'same' | undefined,
      dilation: one(o.dilation, 1) as number[] | undefined,
      groups: o.groups,
    },
  );
  return { shape: [y.shape[0], y.shape[1], y.shape[3]], data: y.data };
}

export interface PoolRefOptions {
  stride?: number | number[];
  padding?: number | number[];
  dilation?: number | number[];
  ceilMode?: boolean;
  countIncludePad?: boolean;
}

function poolOut(size: number, k: number, p: number, s: number, d: number, ceil: boolean): number {
  const span = size + 2 * p - d * (k - 1) - 1;
  let out = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceil && (out - 1) * s >= size + p) out--;
  return out;
}

/** max or average pooling by definition (NaN padding marks positions outside the input). */
export function poolRef(kind: 'max' | 'avg', x: Ref, kernel: number | number[], o: PoolRefOptions = {}): Ref {
  const [N, C, H, W] = x.shape;
  const [kH, kW] = pair(kernel);
  const [sH, sW] = pair(o.stride ?? kernel);
  const [pH, pW] = pair(o.padding ?? 0);
  const [dH, dW] = pair(o.dilation ?? 1);
  const ceil = o.ceilMode ?? false;
  const oH = poolOut(H, kH, pH, sH, dH, ceil);
  const oW = poolOut(W, kW, pW, sW, dW, ceil);
  const extra = 2 * Math.max(kH * dH, kW * dW);
  const p = padded(x, pH, pH + extra, pW, pW + extra, Number.NaN);
  const data: number[] = [];
  for (let q = 0; q < N * C; q++)
    for (let i = 0; i < oH; i++)
      for (let j = 0; j < oW; j++) {
        let best = Number.NEGATIVE_INFINITY;
        let sum = 0;
        let inside = 0;
        let inPadded = 0;
        for (let a = 0; a < kH; a++)
          for (let b = 0; b < kW; b++) {
            const r = i * sH + a * dH;
            const c = j * sW + b * dW;
            const v = p.data[(q * p.Hp + r) * p.Wp + c];
            if (r < H + 2 * pH && c < W + 2 * pW) inPadded++;
            if (Number.isNaN(v)) continue;
            best = Math.max(best, v);
            sum += v;
            inside++;
          }
        data.push(kind === 'max' ? best : sum / ((o.countIncludePad ?? true) ? inPadded : inside));
      }
  return { shape: [N, C, oH, oW], data };
}

/** adaptive average pooling by PyTorch's window formula. */
export function adaptiveAvgRef(x: Ref, oH: number, oW: number): Ref {
  const [N, C, H, W] = x.shape;
  const data: number[] = [];
  for (let q = 0; q < N * C; q++)
    for (let i = 0; i < oH; i++)
      for (let j = 0; j < oW; j++) {
        const [r0, r1] = [Math.floor((i * H) / oH), Math.ceil(((i + 1) * H) / oH)];
        const [c0, c1] = [Math.floor((j * W) / oW), Math.ceil(((j + 1) * W) / oW)];
        let s = 0;
        for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) s += x.data[(q * H + r) * W + c];
        data.push(s / ((r1 - r0) * (c1 - c0)));
      }
  return { shape: [N, C, oH, oW], data };
}

/** F.pad on the last two axes of a 4-D input (pads = [left, right, top, bottom]). */
export function pad2dRef(x: Ref, pads: number[], mode: 'constant' | 'reflect' | 'replicate', value = 0): Ref {
  const [N, C, H, W] = x.shape;
  const [l, r, t, b] = [pads[0], pads[1], pads[2] ?? 0, pads[3] ?? 0];
  const Ho = H + t + b;
  const Wo = W + l + r;
  const src = (j: number, n: number) =>
    mode === 'replicate' ? Math.min(n - 1, Math.max(0, j)) : j < 0 ? -j : j >= n ? 2 * (n - 1) - j : j;
  const data: number[] = [];
  for (let q = 0; q < N * C; q++)
    for (let i = 0; i < Ho; i++)
      for (let j = 0; j < Wo; j++) {
        const [ii, jj] = [i - t, j - l];
        const inside = ii >= 0 && ii < H && jj >= 0 && jj < W;
        if (mode === 'constant') data.push(inside ? x.data[(q * H + ii) * W + jj] : value);
        else data.push(x.data[(q * H + src(ii, H)) * W + src(jj, W)]);
      }
  return { shape: [N, C, Ho, Wo], data };
}
