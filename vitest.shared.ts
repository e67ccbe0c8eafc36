import { defineConfig } from 'vitest/config';

/** Shared vitest config: resolve workspace packages from source (no build before a test). */
export default defineConfig({
  resolve: { conditions: ['@selfnorm/source'] },
  ssr: { resolve: { conditions: ['@selfnorm/source'] } },
  test: { environment: 'node', testTimeout: 60_000, hookTimeout: 60_000 },
});
