import { describe, expect, it } from 'vitest';
import { describePytorch, detectTorch, pythonEnv } from './pytorch-env';

describe('detectTorch (needs no torch)', () => {
  it('reports a missing Python as not installed, naming it, instead of failing', () => {
    expect(detectTorch('/nonexistent/python3')).toEqual({
      installed: false,
      reason: '/nonexistent/python3: ENOENT',
    });
  });
  it('reports a Python whose `import torch` fails as not installed, with its exit status', () => {
    // `false` stands for a Python without torch: it runs and exits 1.
    expect(detectTorch('false')).toEqual({ installed: false, reason: 'false: exit 1' });
  });
});

describe('pythonEnv', () => {
  it('gives OpenMP and OpenBLAS the thread count and keeps the caller’s library path last', () => {
    const env = pythonEnv(2);
    expect([env.OMP_NUM_THREADS, env.OPENBLAS_NUM_THREADS, env.OMP_WAIT_POLICY]).toEqual([
      '2',
      '2',
      'PASSIVE',
    ]);
    const one = pythonEnv(1);
    expect([one.OMP_NUM_THREADS, one.OPENBLAS_NUM_THREADS]).toEqual(['1', '1']);
    const prior = process.env.LD_LIBRARY_PATH;
    if (prior) expect(env.LD_LIBRARY_PATH?.endsWith(prior)).toBe(true);
    for (const dir of env.LD_LIBRARY_PATH?.split(':').slice(0, 1) ?? []) {
      if (!prior?.startsWith(dir)) expect(dir).toMatch(/openblas-pthread$/);
    }
  });
});

describe('describePytorch', () => {
  const info = {
    torch: '1.13.0a0',
    threads: 1,
    blas: ['/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3'],
    losses: {
      pytorch: [2.80997634, 2.31652451],
      selfnorm: [2.80997634, 2.31652427],
      maxDiff: 1.03e-7,
      agree: true,
    },
  };
  it('names the torch version, threads, BLAS library and both losses', () => {
    expect(describePytorch('pytorch-1t', 'W2a', info)).toBe(
      'pytorch-1t W2a: torch 1.13.0a0, 1 thread, BLAS openblas-pthread/libblas.so.3; losses of steps 1, 2: ' +
        'pytorch 2.8099763, 2.3165245, selfnorm 2.8099763, 2.3165243 (max |Δ| 1.0e-7, agree)',
    );
  });
  it('says when no BLAS library was mapped and leaves out losses outside W2', () => {
    expect(describePytorch('pytorch', 'W3', { ...info, threads: 2, blas: [], losses: null })).toBe(
      'pytorch W3: torch 1.13.0a0, 2 threads, BLAS (none mapped)',
    );
  });
});
