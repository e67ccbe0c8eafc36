import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

// Two projects: every test on the engine as it is, and the WebAssembly kernel tests again with relaxed SIMD
// turned on (Node 20 has it only behind a flag; Node ≥ 22 and Chromium ship it), so that both builds of the
// matmul micro-kernel (a multiply and an add; a fused multiply-add) are tested on every run.
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      projects: [
        { extends: true, test: { name: 'tensor' } },
        {
          extends: true,
          test: {
            name: 'relaxed-simd',
            include: ['src/devices/cpu/wasm/*.test.ts'],
            execArgv: ['--experimental-wasm-relaxed-simd'],
            env: { SELFNORM_EXPECT_RELAXED_SIMD: '1' },
          },
        },
      ],
    },
  }),
);
