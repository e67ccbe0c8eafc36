/**
 * The WebGPU device's batched matrix multiply: C = op(A)·op(B) with transpose flags read in place. A
 * workgroup of 16×16 invocations computes a 64×64 tile of C, each invocation a 4×4 block in registers,
 * stepping over k in slabs of 16 staged in workgroup memory. Accumulation is float32.
 */
import { type GpuRuntime, Params, type WebGPUBuffer } from './runtime';
import { PRELUDE } from './wgsl';

const TILE = 64;

// params: [m, n, k, transA, transB, batchBase]
const MATMUL = /* wgsl */ `${PRELUDE}
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;
var<workgroup> As: array<array<f32, 64>, 16>; // [p][row]
var<workgroup> Bs: array<array<f32, 64>, 16>; // [p][col]

fn loadA(base: u32, row: u32, p: u32, m: u32, k: u32, t: bool) -> f32 {
  if (row >= m || p >= k) { return 0.0; }
  if (t) { return a[base + p * m + row]; }
  return a[base + row * k + p];
}
fn loadB(base: u32, p: u32, col: u32, n: u32, k: u32, t: bool) -> f32 {
  if (col >= n || p >= k) { return 0.0; }
  if (t) { return b[base + col * k + p]; }
  return b[base + p * n + col];
}

fn store(base: u32, row: u32, col: u32, m: u32, n: u32, v: vec4<f32>) {
  if (row >= m) { return; }
  for (var s = 0u; s < 4u; s++) {
    let cc = col + 16u * s;
    if (cc < n) { c[base + row * n + cc] = v[s]; }
  }
}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let m = pU(0u);
  let n = pU(1u);
  let k = pU(2u);
  let tA = pU(3u) != 0u;
  let tB = pU(4u) != 0u;
  let batch = wg.z + pU(5u);
  let aBase = batch * m * k;
  let bBase = batch * k * n;
  let row0 = wg.y * 64u;
  let col0 = wg.x * 64u;
  let flat = lid.y * 16u + lid.x; // 0..255
  var acc0 = vec4<f32>();
  var acc1 = vec4<f32>();
  var acc2 = vec4<f32>();
  var acc3 = vec4<f32>();
  let ly = lid.y;
  let lx = lid.x;
  for (var p0 = 0u; p0 < k; p0 += 16u) {
    // 16×64 values of each operand, 4 per invocation.
    for (var e = 0u; e < 4u; e++) {
      let idx = flat + e * 256u; // 0..1023
      let p = idx / 64u;
      let q = idx % 64u;
      As[p][q] = loadA(aBase, row0 + q, p0 + p, m, k, tA);
      Bs[p][q] = loadB(bBase, p0 + p, col0 + q, n, k, tB);
    }
    workgroupBarrier();
    for (var p = 0u; p < 16u; p++) {
      let av = vec4<f32>(As[p][ly], As[p][ly + 16u], As[p][ly + 32u], As[p][ly + 48u]);
      let bv = vec4<f32>(Bs[p][lx], Bs[p][lx + 16u], Bs[p][lx + 32u], Bs[p][lx + 48u]);
      acc0 = acc0 + av.x * bv;
      acc1 = acc1 + av.y * bv;
      acc2 = acc2 + av.z * bv;
      acc3 = acc3 + av.w * bv;
    }
    workgroupBarrier();
  }
  let cBase = batch * m * n;
  store(cBase, row0 + ly, col0 + lx, m, n, acc0);
  store(cBase, row0 + ly + 16u, col0 + lx, m, n, acc1);
  store(cBase, row0 + ly + 32u, col0 + lx, m, n, acc2);
  store(cBase, row0 + ly + 48u, col0 + lx, m, n, acc3);
}`;

/** For each of `batch` matrices: C[m×n] = op(A)·op(B). */
export function matmul(
  rt: GpuRuntime,
  a: WebGPUBuffer,
  b: WebGPUBuffer,
  out: WebGPUBuffer,
  batch: number,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
): void {
  if (batch * m * n === 0) return;
  const maxZ = rt.gpu.limits.maxComputeWorkgroupsPerDimension;
  for (let base = 0; base < batch; base += maxZ) {
    const p = new Params().u(m, n, k, transA ? 1 : 0, transB ? 1 : 0, base);
    const groups: [number, number, number] = [
      Math.ceil(n / TILE),
      Math.ceil(m / TILE),
      Math.min(maxZ, batch - base),
    ];
    rt.dispatch('matmul', MATMUL, p, [a, b], [out], groups);
  }
}
