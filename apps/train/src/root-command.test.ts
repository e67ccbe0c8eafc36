import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The README's command, exactly as a new user types it at the repository root. */
function readmeCommand(...args: string[]) {
  const r = spawnSync('npx', ['-y', 'pnpm@12.4.2', 'train', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, CI: 'true', npm_config_update_notifier: 'false' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npx -y pnpm@12.4.2 train (the README command, end to end)', () => {
  it('prints a usage error alone, with no pnpm noise, and keeps exit code 2', () => {
    const r = readmeCommand('--bad-flag');
    expect(r.stderr).toMatch(
      /^error: unknown flag --bad-flag; accepted: --depth .* --help\.\nRun with --help to see every flag\.\n$/,
    );
    expect(r.stderr).not.toMatch(/ELIFECYCLE|ERR_PNPM/);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
  });
});
