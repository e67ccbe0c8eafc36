/**
 * Random fills on the WebGPU device from a counter-based generator: Philox2x32-10 (Salmon et al., "Parallel
 * random numbers: as easy as 1, 2, 3", SC 2011). Each fill draws two words from the `Rng` (key and stream),
 * and element i is a function of (key, stream, i) alone, so a seed gives the same values on every run and
 * every GPU, but not the CPU device's values (which come from the `Rng` stream in order).
 */
import type { Rng } from '../../random';
import { type GpuRuntime, Params, type WebGPUBuffer } from './runtime';
import { MAIN_1D, PRELUDE } from './wgsl';

const PHILOX = /* wgsl */ `
// The 32×32 → 64-bit product as (hi, lo), from 16-bit halves (WGSL has no 64-bit integers).
fn mulhilo(a: u32, b: u32) -> vec2<u32> {
  let aLo = a & 0xffffu;
  let aHi = a >> 16u;
  let bLo = b & 0xffffu;
  let bHi = b >> 16u;
  let ll = aLo * bLo;
  let hl = aHi * bLo;
  let lh = aLo * bHi;
  let cross = (ll >> 16u) + (hl & 0xffffu) + lh;
  return vec2<u32>(aHi * bHi + (hl >> 16u) + (cross >> 16u), (cross << 16u) | (ll & 0xffffu));
}
fn philox(c0: u32, c1: u32, k0: u32) -> vec2<u32> {
  var x0 = c0;
  var x1 = c1;
  var key = k0;
  for (var r = 0u; r < 10u; r++) {
    let p = mulhilo(0xD256D193u, x0);
    x0 = p.x ^ key ^ x1;
    x1 = p.y;
    key = key + 0x9E3779B9u;
  }
  return vec2<u32>(x0, x1);
}`;

// params: [n, kind (0 uniform, 1 normal, 2 int), key, stream, low (f32), range (u32)]
const RANDOM = /* wgsl */ `${PRELUDE}${PHILOX}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
${MAIN_1D}
  let w = philox(i, pU(3u), pU(2u));
  let kind = pU(1u);
  if (kind == 0u) {
    out[i] = f32(w.x >> 8u) * 5.9604644775390625e-8;
  } else if (kind == 1u) {
    // Box–Muller, one normal per element: u1 in (0, 1], u2 in [0, 1).
    let u1 = (f32(w.x >> 8u) + 1.0) * 5.9604644775390625e-8;
    let u2 = f32(w.y >> 8u) * 5.9604644775390625e-8;
    out[i] = sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
  } else {
    out[i] = pF(4u) + f32(mulhilo(w.x, pU(5u)).x);
  }
}`;

/** Random fill: 'uniform' [0, 1), 'normal' N(0, 1), 'int' integers in [low, high) (high − low ≤ 2³²). */
export function random(
  rt: GpuRuntime,
  out: WebGPUBuffer,
  kind: 'uniform' | 'normal' | 'int',
  rng: Rng,
  low = 0,
  high = 1,
): void {
  if (
    kind === 'int' &&
    !(Number.isInteger(low) && Number.isInteger(high) && high > low && high - low <= 2 ** 32)
  ) {
    throw new RangeError(
      `webgpu random: 'int' needs integers low < high with high − low ≤ 2^32, got low=${low}, high=${high}`,
    );
  }
  const key = rng.nextUint32();
  const stream = rng.nextUint32();
  const k = kind === 'uniform' ? 0 : kind === 'normal' ? 1 : 2;
  const range = kind === 'int' ? (high - low === 2 ** 32 ? 0xffffffff : high - low) : 0;
  const p = new Params().u(out.length, k, key, stream).f(low).u(range);
  rt.dispatch('random', RANDOM, p, [], [out], rt.groups1d(out.length));
}

/** The host's Philox2x32-10, word for word the shader's (for tests and for reproducing a GPU draw). */
export function philox2x32(c0: number, c1: number, key: number): [number, number] {
  let x0 = c0 >>> 0;
  let x1 = c1 >>> 0;
  let k = key >>> 0;
  for (let r = 0; r < 10; r++) {
    const [hi, lo] = mulhilo32(0xd256d193, x0);
    x0 = (hi ^ k ^ x1) >>> 0;
    x1 = lo;
    k = (k + 0x9e3779b9) >>> 0;
  }
  return [x0, x1];
}

function mulhilo32(a: number, b: number): [number, number] {
  const aLo = a & 0xffff;
  const aHi = a >>> 16;
  const bLo = b & 0xffff;
  const bHi = b >>> 16;
  const ll = aLo * bLo;
  const hl = aHi * bLo;
  const lh = aLo * bHi;
  const cross = (ll >>> 16) + (hl & 0xffff) + lh;
  return [(aHi * bHi + (hl >>> 16) + Math.floor(cross / 65536)) >>> 0, Math.imul(a, b) >>> 0];
}
