#!/usr/bin/env node
// The `train` command of the repository: `npx -y pnpm@12.4.2 train [flags]` at the root runs this file
// as a bin (the root has no `train` script, so pnpm runs the bin of that name as `pnpm exec` would), so
// pnpm prints no ELIFECYCLE lines of its own and the app's exit code reaches the shell unchanged.
// It runs src/main.ts from source: tsx compiles it, and the @selfnorm/source condition resolves the
// workspace packages to their src/ (no build needed).
import { spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const tsx = import.meta.resolve('tsx');
// Ctrl-C reaches the app directly (same process group); this launcher only waits for it to exit.
process.on('SIGINT', () => {});
const r = spawnSync(
  process.execPath,
  ['--import', tsx, '--conditions=@selfnorm/source', main, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
if (r.error) {
  process.stderr.write(`error: could not start ${main}: ${r.error.message}\n`);
  process.exitCode = 1;
} else {
  process.exitCode = r.status ?? 128 + (constants.signals[r.signal] ?? 0);
}
