import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('exportOnnx is browser-safe', () => {
  it('bundles for the browser (no node: import anywhere below it) to under 200 KB minified, @selfnorm/tensor included (191 KB on 2026-12-02: the device seam, convolution, pooling, batchNorm, the relaxed-SIMD matmul builds)', async () => {
    const result = await build({
      stdin: {
        contents: "export { exportOnnx } from './export.ts';",
        resolveDir: fileURLToPath(new URL('.', import.meta.url)),
        loader: 'ts',
      },
      bundle: true,
      minify: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      conditions: ['@selfnorm/source'],
      logLevel: 'silent',
    });
    const code = result.outputFiles[0].text;
    // @selfnorm/tensor is bundled too here: the export's own share is about 81 KB (docs/INTEROP.md).
    expect(code.length).toBeLessThan(200_000);
    expect(code.includes('exportOnnx: options.opset must be')).toBe(true);
    expect(/from ?["']node:|require\(["']node:/.test(code)).toBe(false);
  });
});
