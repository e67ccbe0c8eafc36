import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');

function runMain(...args: string[]) {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=@selfnorm/source', 'src/main.ts', ...args],
    {
      cwd: appDir,
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('main (the pnpm train entry point)', () => {
  it('prints the help with every flag and exits 0', () => {
    const r = runMain('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--depth');
    expect(r.stdout).toContain('--resume');
  });

  it('refuses a bad flag with exit code 2 and a message saying what is accepted', () => {
    const r = runMain('--depth', '0');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --depth must be an integer in 1..256; got "0"');
    expect(r.stderr).toContain('--help');
  });
});
