import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { type AssetFiles, mnistAssets } from './vite/mnist-assets.ts';

/**
 * The headers that make the page cross-origin isolated, so SharedArrayBuffer (and with it the CPU device's
 * worker threads) is available. public/_headers sets the same on static hosts that read that file.
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

const cacheDir = fileURLToPath(new URL('./node_modules/.cache/selfnorm-playground-mnist', import.meta.url));

/** Serves data/ (the MNIST chunks and manifest) in dev, and writes it into the build. */
function mnistData(): Plugin {
  let files: AssetFiles | null = null;
  const get = () => (files ??= mnistAssets({ cacheDir }));
  return {
    name: 'selfnorm-mnist-data',
    configureServer(server) {
      server.middlewares.use('/data', (req, res, next) => {
        const name = (req.url ?? '').replace(/^\//, '').split('?')[0];
        const bytes = get().get(name);
        if (!bytes) return next();
        res.setHeader(
          'Content-Type',
          name.endsWith('.json') ? 'application/json' : 'application/octet-stream',
        );
        res.setHeader('Cache-Control', 'no-cache');
        res.end(bytes);
      });
    },
    generateBundle() {
      for (const [name, source] of get()) this.emitFile({ type: 'asset', fileName: `data/${name}`, source });
    },
  };
}

export default defineConfig({
  base: './',
  resolve: { conditions: ['@selfnorm/source'] },
  ssr: { resolve: { conditions: ['@selfnorm/source'] } },
  plugins: [mnistData()],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 1024 },
  server: { host: 'localhost', port: 5173, headers: ISOLATION_HEADERS },
  preview: { host: 'localhost', port: 4173, headers: ISOLATION_HEADERS },
  test: { environment: 'node', testTimeout: 120_000, hookTimeout: 120_000 },
});
