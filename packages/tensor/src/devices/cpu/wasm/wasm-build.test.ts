import { describe, expect, it } from 'vitest';
import { assembleWat, sharedVariant } from '../../../../scripts/build-wasm.mjs';
import { elementwiseWasmBase64 } from './elementwise.wasm';
import elementwiseWat from './elementwise.wat?raw';
import { compileWasmSync, decodeBase64, wasmSimdSupported } from './load';
import { matmulSharedWasmBase64, matmulWasmBase64 } from './matmul.wasm';
import matmulWat from './matmul.wat?raw';
import { seluSharedWasmBase64, seluWasmBase64 } from './selu.wasm';
import seluWat from './selu.wat?raw';

describe('embedded WebAssembly', () => {
  const modules = [
    { name: 'matmul', wat: matmulWat, b64: matmulWasmBase64 },
    { name: 'selu', wat: seluWat, b64: seluWasmBase64 },
    { name: 'elementwise', wat: elementwiseWat, b64: elementwiseWasmBase64 },
  ];

  for (const { name, wat, b64 } of modules) {
    it(`${name}.wasm.ts is exactly what ${name}.wat assembles to (rerun scripts/build-wasm.mjs if not)`, async () => {
      expect(decodeBase64(b64)).toEqual(await assembleWat(`${name}.wat`, wat));
    });

    it(`${name}: under the 4 KB a browser main thread may compile synchronously; compiles in Node`, () => {
      expect(decodeBase64(b64).length).toBeLessThan(4096);
      expect(compileWasmSync(b64)).toBeInstanceOf(WebAssembly.Module);
    });
  }

  for (const { name, wat, shared: b64, fn } of [
    { name: 'matmul', wat: matmulWat, shared: matmulSharedWasmBase64, fn: 'gemm' },
    { name: 'selu', wat: seluWat, shared: seluSharedWasmBase64, fn: 'selu' },
  ]) {
    it(`${name}SharedWasmBase64 is the @shared build of ${name}.wat: an imported shared memory, the same code`, async () => {
      const shared = sharedVariant(wat);
      expect(shared).toContain('(import "env" "memory" (memory 1 65536 shared))');
      expect(shared).not.toContain('(memory (export "memory") 1)');
      expect(decodeBase64(b64)).toEqual(await assembleWat(`${name}.wat`, shared!));
      const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
      const mod = compileWasmSync(b64)!;
      expect(Object.keys(new WebAssembly.Instance(mod, { env: { memory } }).exports)).toContain(fn);
    });
  }

  it('detects SIMD in Node', () => {
    expect(wasmSimdSupported()).toBe(true);
  });

  it('decodes base64 as RFC 4648 does', () => {
    expect(Array.from(decodeBase64('AGFzbQ=='))).toEqual([0, 97, 115, 109]);
  });
});
