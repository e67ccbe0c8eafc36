import { describe, expect, it } from 'vitest';
import { assembleWat } from '../../../scripts/build-wasm.mjs';
import { compileWasmSync, decodeBase64, wasmSimdSupported } from './load';
import { matmulWasmBase64 } from './matmul.wasm';
import matmulWat from './matmul.wat?raw';

describe('embedded WebAssembly', () => {
  it('matmul.wasm.ts is exactly what matmul.wat assembles to (rerun scripts/build-wasm.mjs if not)', async () => {
    const bytes = await assembleWat('matmul.wat', matmulWat);
    expect(decodeBase64(matmulWasmBase64)).toEqual(bytes);
  });

  it('stays under the 4 KB a browser main thread may compile synchronously', () => {
    expect(decodeBase64(matmulWasmBase64).length).toBeLessThan(4096);
  });

  it('detects SIMD and compiles synchronously in Node', () => {
    expect(wasmSimdSupported()).toBe(true);
    expect(compileWasmSync(matmulWasmBase64)).toBeInstanceOf(WebAssembly.Module);
  });

  it('decodes base64 as RFC 4648 does', () => {
    expect(Array.from(decodeBase64('AGFzbQ=='))).toEqual([0, 97, 115, 109]);
  });
});
