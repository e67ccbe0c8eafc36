// Sizes a user pays for: each package's tarball as `pnpm pack` makes it, and minimal browser bundles of the
// built packages (esbuild, minified, then gzip -9) for three entry points in release-tests/bundle-sizes/.
// Needs a build first (`npx -y pnpm@12.4.2 build`). Prints a Markdown table for docs/RELEASING.md.
// Usage: node release-tests/bundle-sizes.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), 'selfnorm-sizes-'));
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const rows = [];
try {
  for (const pkg of ['tensor', 'nn']) {
    execFileSync('npx', ['-y', 'pnpm@12.4.2', 'pack', '--pack-destination', out], {
      cwd: join(root, 'packages', pkg),
      stdio: 'ignore',
    });
  }
  for (const f of readdirSync(out).filter((f) => f.endsWith('.tgz'))) {
    rows.push([`tarball ${f}`, kb(statSync(join(out, f)).size), '']);
  }
  for (const entry of readdirSync(join(root, 'release-tests', 'bundle-sizes')).sort()) {
    const result = await build({
      entryPoints: [join(root, 'release-tests', 'bundle-sizes', entry)],
      bundle: true,
      minify: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      write: false,
      logLevel: 'error',
      absWorkingDir: root,
      // The built packages (dist/, as published), not their sources.
      alias: {
        '@selfnorm/tensor': join(root, 'packages', 'tensor'),
        '@selfnorm/nn': join(root, 'packages', 'nn'),
      },
    });
    const code = result.outputFiles[0].contents;
    rows.push([`bundle ${entry}`, kb(code.length), kb(gzipSync(code, { level: 9 }).length)]);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
console.log('| what | size | gzip |\n|---|---|---|');
for (const [what, size, gz] of rows) console.log(`| ${what} | ${size} | ${gz} |`);
