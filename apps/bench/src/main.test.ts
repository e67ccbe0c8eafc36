import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

describe('pnpm bench without torch', () => {
  it('marks both PyTorch columns "not installed" and still runs the others', () => {
    const res = spawnSync(
      process.execPath,
      [
        ...['--import', 'tsx', '--conditions=@selfnorm/source', MAIN],
        ...['--quick', '--only', 'W3', '--frameworks', 'selfnorm,pytorch,pytorch-1t'],
      ],
      { encoding: 'utf8', env: { ...process.env, SELFNORM_BENCH_PYTHON: '/nonexistent/python3' } },
    );
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toContain('pytorch, pytorch-1t: not installed (/nonexistent/python3: ENOENT)');
    const row = res.stdout.split('\n').find((l) => l.startsWith('| W3 SELU'));
    const cells = row
      ?.split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    // workload, unit, selfnorm, pytorch, pytorch-1t, selfnorm ÷ best peer, selfnorm ÷ pytorch-1t
    expect(cells?.slice(3)).toEqual(['not installed', 'not installed', '—', '—']);
    expect(Number(cells?.[2])).toBeGreaterThan(0);
  }, 120_000);
});
