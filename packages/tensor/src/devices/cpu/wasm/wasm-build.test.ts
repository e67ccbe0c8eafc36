import { describe, expect, it } from 'vitest';
import { assembleWat, builds, exportName, sharedVariant } from '../../../../scripts/build-wasm.mjs';
import * as elementwiseWasm from './elementwise.wasm';
import elementwiseWat from './elementwise.wat?raw';
import { compileWasmSync, decodeBase64, relaxedSimdSupported, wasmSimdSupported } from './load';
import * as matmulWasm from './matmul.wasm';
import matmulWat from './matmul.wat?raw';
import * as seluWasm from './selu.wasm';
import seluWat from './selu.wat?raw';

const matmulBuilds: Record<string, string> = matmulWasm;

describe('embedded WebAssembly', () => {
  const modules: { name: string; wat: string; generated: Record<string, string>; builds: string[] }[] = [
    {
      name: 'matmul',
      wat: matmulWat,
      generated: matmulWasm,
      builds: ['', '-shared', '-relaxed', '-relaxed-shared'],
    },
    { name: 'selu', wat: seluWat, generated: seluWasm, builds: ['', '-shared'] },
    { name: 'elementwise', wat: elementwiseWat, generated: elementwiseWasm, builds: [''] },
  ];

  for (const { name, wat, generated, builds: expected } of modules) {
    it(`${name}.wasm.ts holds exactly the builds ${name}.wat assembles to (rerun scripts/build-wasm.mjs if not)`, async () => {
      const all = builds(wat);
      expect(all.map(([suffix]) => suffix)).toEqual(expected);
      expect(Object.keys(generated).sort()).toEqual(all.map(([suffix]) => exportName(name + suffix)).sort());
      for (const [suffix, text] of all) {
        expect(decodeBase64(generated[exportName(name + suffix)]), `${name}${suffix}`).toEqual(
          await assembleWat(`${name}.wat`, text),
        );
      }
    });

    it(`${name}: every build is under the 4 KB a browser main thread may compile synchronously; compiles in Node`, () => {
      for (const suffix of expected) {
        const bytes = decodeBase64(generated[exportName(name + suffix)]);
        expect(bytes.length).toBeLessThan(4096);
        const mod = compileWasmSync(generated[exportName(name + suffix)]);
        // A relaxed build compiles exactly where the engine has relaxed SIMD (Node 20: behind a flag).
        if (suffix.includes('relaxed') && !relaxedSimdSupported()) expect(mod, name + suffix).toBeNull();
        else expect(mod, name + suffix).toBeInstanceOf(WebAssembly.Module);
      }
    });
  }

  for (const { name, wat, shared: b64, fn } of [
    { name: 'matmul', wat: matmulWat, shared: matmulWasm.matmulSharedWasmBase64, fn: 'gemm' },
    { name: 'selu', wat: seluWat, shared: seluWasm.seluSharedWasmBase64, fn: 'selu' },
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

  it('the relaxed builds of matmul.wat differ from the plain ones only in fused multiply-adds', () => {
    const all = new Map(builds(matmulWat).map(([suffix, text]) => [suffix, text]));
    const madds = (text: string) => (text.match(/\(f32x4\.relaxed_madd /g) ?? []).length;
    expect(madds(all.get('-relaxed')!)).toBe(8); // the 4×8 tile: 8 accumulators
    expect(madds(all.get('-relaxed-shared')!)).toBe(8);
    expect(all.get('-relaxed-shared')).toContain('(import "env" "memory" (memory 1 65536 shared))');
    const plainLines = all.get('')!.split('\n');
    const relaxedLines = all.get('-relaxed')!.split('\n');
    expect(relaxedLines.length).toBe(plainLines.length);
    const changed = plainLines.filter((line, i) => line !== relaxedLines[i]);
    expect(changed.length).toBe(8);
    for (const line of changed) expect(line).toMatch(/f32x4\.add .*f32x4\.mul/);
  });

  it('every matmul build the engine runs gives the same product of small integers (exact in float32)', () => {
    const suffixes = relaxedSimdSupported()
      ? ['', '-shared', '-relaxed', '-relaxed-shared']
      : ['', '-shared'];
    const [m, n, k] = [5, 11, 7];
    const a = Float32Array.from({ length: m * k }, (_, i) => (i % 5) - 2);
    const b = Float32Array.from({ length: k * n }, (_, i) => (i % 7) - 3);
    const want = new Float32Array(m * n);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) want[i * n + j] += a[i * k + p] * b[p * n + j];
    for (const suffix of suffixes) {
      const shared = suffix.endsWith('shared');
      const memory = shared
        ? new WebAssembly.Memory({ initial: 4, maximum: 65536, shared: true })
        : undefined;
      const mod = compileWasmSync(matmulBuilds[exportName(`matmul${suffix}`)])!;
      const ex = new WebAssembly.Instance(mod, memory ? { env: { memory } } : {}).exports as {
        memory?: WebAssembly.Memory;
        gemm: (...args: number[]) => void;
      };
      const mem = memory ?? ex.memory!;
      if (!shared) mem.grow(3);
      const f32 = new Float32Array(mem.buffer);
      f32.set(a, 1024 / 4);
      f32.set(b, 2048 / 4);
      ex.gemm(1024, k * 4, 4, 2048, n * 4, 4, 4096, n * 4, m, n, k, 0, 8192, 8192 + 131072, 64);
      expect(f32.slice(4096 / 4, 4096 / 4 + m * n), `matmul${suffix}`).toEqual(want);
    }
  });

  it('detects SIMD in Node', () => {
    expect(wasmSimdSupported()).toBe(true);
  });

  it('detects relaxed SIMD where the project asks for it (the relaxed-simd test project runs Node with the flag)', () => {
    // SELFNORM_EXPECT_RELAXED_SIMD is set by the relaxed-simd vitest project (vitest.config.ts).
    if (process.env.SELFNORM_EXPECT_RELAXED_SIMD === '1') expect(relaxedSimdSupported()).toBe(true);
    else
      expect(relaxedSimdSupported()).toBe(
        WebAssembly.validate(decodeBase64(matmulWasm.matmulRelaxedWasmBase64)),
      );
  });

  it('decodes base64 as RFC 4648 does', () => {
    expect(Array.from(decodeBase64('AGFzbQ=='))).toEqual([0, 97, 115, 109]);
  });
});
