/**
 * Loading the embedded WebAssembly kernels: base64 decoding, SIMD detection, and compilation that is
 * synchronous where the engine allows it (Node; browsers for modules under 4 KB on the main thread) with
 * an asynchronous path for the rest. Nothing here runs at import time.
 */

/**
 * The smallest module that uses SIMD: `(func (result v128) (v128.const i32x4 0 0 0 0))`.
 * `WebAssembly.validate` accepts it only where 128-bit SIMD is implemented (the wasm-feature-detect idiom).
 */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
]);

/**
 * Whether this engine runs WebAssembly with 128-bit SIMD (Node ≥ 16.4, Chrome ≥ 91, Firefox ≥ 89, Safari ≥ 16.4).
 *
 * @example
 * if (!wasmSimdSupported()) console.warn('using the pure TypeScript kernels');
 */
export function wasmSimdSupported(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/**
 * The smallest module that uses relaxed SIMD: `(func (param v128 v128 v128) (result v128)
 * (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2)))`.
 */
const RELAXED_SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1, 0, 10, 13, 1, 11, 0, 32, 0, 32,
  1, 32, 2, 253, 133, 2, 11,
]);

/**
 * Whether this engine runs WebAssembly relaxed SIMD (`f32x4.relaxed_madd`: Chrome ≥ 114, Node ≥ 22; Node 20
 * only with `--experimental-wasm-relaxed-simd`), detected with `WebAssembly.validate` on a tiny module.
 *
 * @example
 * relaxedSimdSupported(); // false in Node 20 without the flag
 */
export function relaxedSimdSupported(): boolean {
  try {
    return wasmSimdSupported() && WebAssembly.validate(RELAXED_SIMD_PROBE);
  } catch {
    return false;
  }
}

/** Decodes base64 (RFC 4648) into bytes with `atob`, which browsers and Node ≥ 16 both provide. */
export function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/**
 * Compiles an embedded module synchronously, or returns null where SIMD is missing or the engine refuses
 * synchronous compilation (a browser main thread may, for large modules); use `compileWasm` there.
 *
 * @example
 * const mod = compileWasmSync(matmulWasmBase64); // WebAssembly.Module | null
 */
export function compileWasmSync(b64: string): WebAssembly.Module | null {
  if (!wasmSimdSupported()) return null;
  try {
    return new WebAssembly.Module(decodeBase64(b64));
  } catch {
    return null;
  }
}

/**
 * Compiles an embedded module asynchronously (allowed everywhere, any size); null where SIMD is missing.
 *
 * @example
 * const mod = await compileWasm(matmulWasmBase64);
 */
export async function compileWasm(b64: string): Promise<WebAssembly.Module | null> {
  if (!wasmSimdSupported()) return null;
  try {
    return await WebAssembly.compile(decodeBase64(b64));
  } catch {
    return null;
  }
}
