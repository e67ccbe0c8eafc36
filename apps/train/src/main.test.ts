import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
// By path, so that the app also starts from a folder outside the repository.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

function runMain(...args: string[]) {
  return runMainIn(appDir, ...args);
}

function runMainIn(cwd: string, ...args: string[]) {
  const r = spawnSync(
    process.execPath,
    ['--import', tsx, '--conditions=@selfnorm/source', join(appDir, 'src/main.ts'), ...args],
    {
      cwd,
      env: { ...process.env, INIT_CWD: cwd },
      encoding: 'utf8',
      timeout: 60_000,
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
    // Commands a new user can paste: the README's, not a bare `pnpm train` (pnpm is not on their PATH).
    expect(r.stdout).toContain('usage: npx -y pnpm@12.4.2 train [flags]');
    expect(r.stdout).toContain('npx -y pnpm@12.4.2 train --resume <run dir>');
    expect(r.stdout).not.toMatch(/(^|\s)pnpm train/);
  });

  it('refuses a bad flag with exit code 2 and a message saying what is accepted', () => {
    const r = runMain('--depth', '0');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --depth must be an integer in 1..256; got "0"');
    expect(r.stderr).toContain('--help');
  });

  it('prints the results to stdout, progress to stderr, and exits 3 when the loss goes NaN', () => {
    const dir = mkdtempSync(join(tmpdir(), 'train-main-'));
    try {
      const tiny = [
        '--depth',
        '4',
        '--width',
        '16',
        '--train-limit',
        '300',
        '--test-limit',
        '100',
        '--batch-size',
        '32',
      ];
      const sgd = ['--optimizer', 'sgd', '--lr', '0.4', '--momentum', '0.98', '--schedule', 'constant'];
      const r = runMainIn(dir, ...tiny, ...sgd, '--epochs', '3', '--threads', '1', '--out', 'run');
      expect(r.code).toBe(3);
      expect(r.stdout).toMatch(/^epoch 1\/3 {2}train loss \d+\.\d{4} {2}test loss/m);
      expect(r.stdout).toContain(
        `stopped without saving epoch 2. The last good checkpoint, ${dir}/run/checkpoint.safetensors`,
      );
      expect(r.stderr).not.toContain('train loss');
      expect(r.stderr).toMatch(/^epoch 1\/3 \d+% /m); // the plain progress lines
      // A relative --out is taken from where the command was typed (INIT_CWD), and the default run
      // folder goes under runs/ there too.
      const small = ['--depth', '2', '--width', '8', '--train-limit', '100', '--test-limit', '20'];
      const d = runMainIn(dir, ...small, '--epochs', '1', '--threads', '1');
      expect(d.code).toBe(0);
      expect(d.stdout).toMatch(new RegExp(`^wrote ${dir}/runs/[-T0-9]+-seed1/\\{checkpoint`, 'm'));
      expect(d.stdout).toContain('after 1 epoch, ');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('quits at a second Ctrl-C before the first checkpoint, saying how to continue', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'train-sigint-'));
    try {
      const out = join(dir, 'run');
      const child = spawn(
        process.execPath,
        [
          '--import',
          tsx,
          '--conditions=@selfnorm/source',
          join(appDir, 'src/main.ts'),
          '--threads',
          '1',
          '--train-limit',
          '12000',
          '--out',
          out,
        ],
        { cwd: dir, env: { ...process.env, INIT_CWD: dir } },
      );
      let stderr = '';
      const progress = new Promise<void>((ok) =>
        child.stderr.on('data', (b: Buffer) => {
          stderr += b.toString();
          if (/epoch 1\/4 \d+%/.test(stderr)) ok();
        }),
      );
      const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
      await progress;
      child.kill('SIGINT');
      await new Promise((ok) => setTimeout(ok, 800));
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(stderr).toContain(`quit; continue with: npx -y pnpm@12.4.2 train --resume ${out}\n`);
      expect(existsSync(join(out, 'checkpoint.safetensors'))).toBe(false);
      expect(readdirSync(out).sort()).toEqual(['.gitignore', 'config.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
