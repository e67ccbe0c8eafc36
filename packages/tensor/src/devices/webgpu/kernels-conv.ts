/**
 * The WebGPU device's convolution and pooling kernels (the seam's ConvKernels): direct loops, one invocation
 * per element written, so no two invocations add into one element (the adjoints gather instead of scatter).
 * Layouts and window rules are the CPU reference's (src/devices/cpu/reference/conv.ts, pool.ts): NCHW input,
 * OIHW weight, PyTorch's divisors. Sums accumulate in float32.
 */
import type { Conv2dGeometry, Pool2dGeometry } from '../../device/device';
import { type GpuRuntime, Params, type WebGPUBuffer } from './runtime';
import { MAIN_1D, PRELUDE } from './wgsl';

// params: [n, batch, inC, inH, inW, outC, kH, kW, outH, outW, sH, sW, pH, pW, dH, dW, groups]
const GEOMETRY = /* wgsl */ `
struct G { batch: i32, inC: i32, inH: i32, inW: i32, outC: i32, kH: i32, kW: i32, outH: i32, outW: i32,
  sH: i32, sW: i32, pH: i32, pW: i32, dH: i32, dW: i32, groups: i32 }
fn geometry() -> G {
  return G(pI(1u), pI(2u), pI(3u), pI(4u), pI(5u), pI(6u), pI(7u), pI(8u), pI(9u), pI(10u), pI(11u), pI(12u),
    pI(13u), pI(14u), pI(15u), pI(16u));
}`;

function convParams(n: number, g: Conv2dGeometry): Params {
  return new Params()
    .u(n)
    .i(g.batch, g.inChannels, g.inH, g.inW, g.outChannels, g.kH, g.kW, g.outH, g.outW)
    .i(g.strideH, g.strideW, g.padH, g.padW, g.dilationH, g.dilationW, g.groups);
}

const CONV = /* wgsl */ `${PRELUDE}${GEOMETRY}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
${MAIN_1D}
  let g = geometry();
  let I = g.inC / g.groups;
  let Og = g.outC / g.groups;
  let ow = i32(i) % g.outW;
  let oh = (i32(i) / g.outW) % g.outH;
  let o = (i32(i) / (g.outW * g.outH)) % g.outC;
  let b = i32(i) / (g.outW * g.outH * g.outC);
  let c0 = (o / Og) * I;
  var s = 0.0;
  for (var c = 0; c < I; c++) {
    let xPlane = (b * g.inC + c0 + c) * g.inH;
    let wPlane = (o * I + c) * g.kH;
    for (var kh = 0; kh < g.kH; kh++) {
      let ih = oh * g.sH - g.pH + kh * g.dH;
      if (ih < 0 || ih >= g.inH) { continue; }
      for (var kw = 0; kw < g.kW; kw++) {
        let iw = ow * g.sW - g.pW + kw * g.dW;
        if (iw < 0 || iw >= g.inW) { continue; }
        s += x[(xPlane + ih) * g.inW + iw] * w[(wPlane + kh) * g.kW + kw];
      }
    }
  }
  out[i] = s;
}`;

const CONV_BACK_INPUT = /* wgsl */ `${PRELUDE}${GEOMETRY}
@group(0) @binding(1) var<storage, read> gy: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;
${MAIN_1D}
  let g = geometry();
  let I = g.inC / g.groups;
  let Og = g.outC / g.groups;
  let iw = i32(i) % g.inW;
  let ih = (i32(i) / g.inW) % g.inH;
  let ci = (i32(i) / (g.inW * g.inH)) % g.inC;
  let b = i32(i) / (g.inW * g.inH * g.inC);
  let grp = ci / I;
  let c = ci % I;
  var s = 0.0;
  for (var o = grp * Og; o < (grp + 1) * Og; o++) {
    for (var kh = 0; kh < g.kH; kh++) {
      let th = ih + g.pH - kh * g.dH;
      if (th < 0 || th % g.sH != 0 || th / g.sH >= g.outH) { continue; }
      let oh = th / g.sH;
      for (var kw = 0; kw < g.kW; kw++) {
        let tw = iw + g.pW - kw * g.dW;
        if (tw < 0 || tw % g.sW != 0 || tw / g.sW >= g.outW) { continue; }
        let ow = tw / g.sW;
        s += gy[((b * g.outC + o) * g.outH + oh) * g.outW + ow] * w[((o * I + c) * g.kH + kh) * g.kW + kw];
      }
    }
  }
  dx[i] = s;
}`;

const CONV_BACK_WEIGHT = /* wgsl */ `${PRELUDE}${GEOMETRY}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> gy: array<f32>;
@group(0) @binding(3) var<storage, read_write> dw: array<f32>;
${MAIN_1D}
  let g = geometry();
  let I = g.inC / g.groups;
  let Og = g.outC / g.groups;
  let kw = i32(i) % g.kW;
  let kh = (i32(i) / g.kW) % g.kH;
  let c = (i32(i) / (g.kW * g.kH)) % I;
  let o = i32(i) / (g.kW * g.kH * I);
  let c0 = (o / Og) * I;
  var s = 0.0;
  for (var b = 0; b < g.batch; b++) {
    let xPlane = (b * g.inC + c0 + c) * g.inH;
    let gPlane = (b * g.outC + o) * g.outH;
    for (var oh = 0; oh < g.outH; oh++) {
      let ih = oh * g.sH - g.pH + kh * g.dH;
      if (ih < 0 || ih >= g.inH) { continue; }
      for (var ow = 0; ow < g.outW; ow++) {
        let iw = ow * g.sW - g.pW + kw * g.dW;
        if (iw < 0 || iw >= g.inW) { continue; }
        s += gy[(gPlane + oh) * g.outW + ow] * x[(xPlane + ih) * g.inW + iw];
      }
    }
  }
  dw[i] = s;
}`;

/** out = conv2d(x, w). */
export function conv2d(
  rt: GpuRuntime,
  x: WebGPUBuffer,
  w: WebGPUBuffer,
  out: WebGPUBuffer,
  g: Conv2dGeometry,
): void {
  rt.dispatch('conv2d', CONV, convParams(out.length, g), [x, w], [out], rt.groups1d(out.length));
}

/** dx = conv2dᵀ(gy, w). */
export function conv2dBackInput(
  rt: GpuRuntime,
  gy: WebGPUBuffer,
  w: WebGPUBuffer,
  dx: WebGPUBuffer,
  g: Conv2dGeometry,
): void {
  rt.dispatch(
    'conv2dBackInput',
    CONV_BACK_INPUT,
    convParams(dx.length, g),
    [gy, w],
    [dx],
    rt.groups1d(dx.length),
  );
}

/** dw = Σ gy · x over the batch and positions. */
export function conv2dBackWeight(
  rt: GpuRuntime,
  x: WebGPUBuffer,
  gy: WebGPUBuffer,
  dw: WebGPUBuffer,
  g: Conv2dGeometry,
): void {
  rt.dispatch(
    'conv2dBackWeight',
    CONV_BACK_WEIGHT,
    convParams(dw.length, g),
    [x, gy],
    [dw],
    rt.groups1d(dw.length),
  );
}

// params: [n, planes, inH, inW, outH, outW, kH, kW, sH, sW, pH, pW, dH, dW, countIncludePad]
const POOL_GEOMETRY = /* wgsl */ `
struct P { inH: i32, inW: i32, outH: i32, outW: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32,
  dH: i32, dW: i32, includePad: bool }
fn pool() -> P {
  return P(pI(2u), pI(3u), pI(4u), pI(5u), pI(6u), pI(7u), pI(8u), pI(9u), pI(10u), pI(11u), pI(12u), pI(13u),
    pU(14u) != 0u);
}
// The in-bounds window [h0, h1) × [w0, w1) of output (oh, ow) and its divisor (the CPU's avgWindow).
fn avgWindow(p: P, oh: i32, ow: i32) -> vec4<i32> {
  let h0 = oh * p.sH - p.pH;
  let w0 = ow * p.sW - p.pW;
  return vec4<i32>(max(h0, 0), min(min(h0 + p.kH, p.inH + p.pH), p.inH), max(w0, 0), min(min(w0 + p.kW, p.inW + p.pW), p.inW));
}
fn divisor(p: P, oh: i32, ow: i32) -> f32 {
  let h0 = oh * p.sH - p.pH;
  let w0 = ow * p.sW - p.pW;
  let win = avgWindow(p, oh, ow);
  if (p.includePad) {
    return f32((min(h0 + p.kH, p.inH + p.pH) - h0) * (min(w0 + p.kW, p.inW + p.pW) - w0));
  }
  return f32((win.y - win.x) * (win.w - win.z));
}`;

function poolParams(n: number, g: Pool2dGeometry, countIncludePad = false): Params {
  return new Params()
    .u(n)
    .i(g.planes, g.inH, g.inW, g.outH, g.outW, g.kH, g.kW, g.strideH, g.strideW, g.padH, g.padW)
    .i(g.dilationH, g.dilationW)
    .u(countIncludePad ? 1 : 0);
}

const MAX_POOL = /* wgsl */ `${PRELUDE}${POOL_GEOMETRY}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<storage, read_write> argmax: array<f32>;
${MAIN_1D}
  let p = pool();
  let ow = i32(i) % p.outW;
  let oh = (i32(i) / p.outW) % p.outH;
  let base = (i32(i) / (p.outW * p.outH)) * p.inH * p.inW;
  var best = -infValue();
  var at = -1;
  for (var kh = 0; kh < p.kH; kh++) {
    let ih = oh * p.sH - p.pH + kh * p.dH;
    if (ih < 0 || ih >= p.inH) { continue; }
    for (var kw = 0; kw < p.kW; kw++) {
      let iw = ow * p.sW - p.pW + kw * p.dW;
      if (iw < 0 || iw >= p.inW) { continue; }
      let v = x[base + ih * p.inW + iw];
      if (at < 0 || v > best || isNan(v)) {
        best = v;
        at = ih * p.inW + iw;
        if (isNan(v)) { break; }
      }
    }
    if (isNan(best)) { break; }
  }
  out[i] = best;
  argmax[i] = f32(at);
}`;

const AVG_POOL = /* wgsl */ `${PRELUDE}${POOL_GEOMETRY}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
${MAIN_1D}
  let p = pool();
  let ow = i32(i) % p.outW;
  let oh = (i32(i) / p.outW) % p.outH;
  let base = (i32(i) / (p.outW * p.outH)) * p.inH * p.inW;
  let win = avgWindow(p, oh, ow);
  var s = 0.0;
  for (var ih = win.x; ih < win.y; ih++) {
    for (var iw = win.z; iw < win.w; iw++) { s += x[base + ih * p.inW + iw]; }
  }
  out[i] = s / divisor(p, oh, ow);
}`;

const AVG_POOL_BACK = /* wgsl */ `${PRELUDE}${POOL_GEOMETRY}
@group(0) @binding(1) var<storage, read> gy: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
${MAIN_1D}
  let p = pool();
  let iw = i32(i) % p.inW;
  let ih = (i32(i) / p.inW) % p.inH;
  let q = i32(i) / (p.inW * p.inH);
  // The outputs whose window can hold (ih, iw): oh·sH − pH ≤ ih < oh·sH − pH + kH.
  let ohLo = max(0, (ih + p.pH - p.kH + p.sH) / p.sH);
  let ohHi = min(p.outH - 1, (ih + p.pH) / p.sH);
  let owLo = max(0, (iw + p.pW - p.kW + p.sW) / p.sW);
  let owHi = min(p.outW - 1, (iw + p.pW) / p.sW);
  var s = 0.0;
  for (var oh = ohLo; oh <= ohHi; oh++) {
    for (var ow = owLo; ow <= owHi; ow++) {
      let win = avgWindow(p, oh, ow);
      if (ih >= win.x && ih < win.y && iw >= win.z && iw < win.w) {
        s += gy[(q * p.outH + oh) * p.outW + ow] / divisor(p, oh, ow);
      }
    }
  }
  dx[i] = s;
}`;

/** out = window maxima, argmax = the flat in-plane index of the first maximal element (NaN wins). */
export function maxPool2d(
  rt: GpuRuntime,
  x: WebGPUBuffer,
  out: WebGPUBuffer,
  argmax: WebGPUBuffer,
  g: Pool2dGeometry,
): void {
  rt.dispatch('maxPool2d', MAX_POOL, poolParams(out.length, g), [x], [out, argmax], rt.groups1d(out.length));
}

/** out = window means. */
export function avgPool2d(
  rt: GpuRuntime,
  x: WebGPUBuffer,
  out: WebGPUBuffer,
  g: Pool2dGeometry,
  countIncludePad: boolean,
): void {
  rt.dispatch(
    'avgPool2d',
    AVG_POOL,
    poolParams(out.length, g, countIncludePad),
    [x],
    [out],
    rt.groups1d(out.length),
  );
}

/** dx = avgPool2dᵀ(gy). */
export function avgPool2dBackward(
  rt: GpuRuntime,
  gy: WebGPUBuffer,
  dx: WebGPUBuffer,
  g: Pool2dGeometry,
  countIncludePad: boolean,
): void {
  const p = poolParams(dx.length, g, countIncludePad);
  rt.dispatch('avgPool2dBackward', AVG_POOL_BACK, p, [gy], [dx], rt.groups1d(dx.length));
}
